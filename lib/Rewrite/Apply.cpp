//===- Apply.cpp - Edits to files: diff, YAML, atomic write ---------------===//
#include "Rewrite/Apply.h"

#include "clang/Format/Format.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/ReplacementsYaml.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/xxhash.h"

#include <sys/stat.h>
#include <unistd.h>

namespace varscope::rewrite {
namespace {

llvm::Error error(const std::string &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Msg.c_str());
}

std::vector<llvm::StringRef> lines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Out;
  while (!Text.empty()) {
    size_t NL = Text.find('\n');
    if (NL == llvm::StringRef::npos) {
      Out.push_back(Text);
      break;
    }
    Out.push_back(Text.substr(0, NL + 1));
    Text = Text.substr(NL + 1);
  }
  return Out;
}

/// Myers' O(ND) diff: the edit script as (kind, index) with kind ' ', '-', '+'.
std::vector<std::pair<char, size_t>> diffLines(const std::vector<llvm::StringRef> &A,
                                               const std::vector<llvm::StringRef> &B) {
  const long N = A.size(), M = B.size(), Max = N + M;
  std::vector<long> V(2 * Max + 2, 0);
  std::vector<std::vector<long>> Trace;
  long D = 0;
  for (; D <= Max; ++D) {
    Trace.push_back(V);
    bool Done = false;
    for (long K = -D; K <= D; K += 2) {
      long X = (K == -D || (K != D && V[Max + K - 1] < V[Max + K + 1])) ? V[Max + K + 1] : V[Max + K - 1] + 1;
      long Y = X - K;
      while (X < N && Y < M && A[X] == B[Y])
        ++X, ++Y;
      V[Max + K] = X;
      if (X >= N && Y >= M) {
        Done = true;
        break;
      }
    }
    if (Done)
      break;
  }
  std::vector<std::pair<char, size_t>> Script;
  long X = N, Y = M;
  for (long d = D; d > 0; --d) {
    const std::vector<long> &Vd = Trace[d];
    long K = X - Y;
    long PrevK = (K == -d || (K != d && Vd[Max + K - 1] < Vd[Max + K + 1])) ? K + 1 : K - 1;
    long PrevX = Vd[Max + PrevK], PrevY = PrevX - PrevK;
    while (X > PrevX && Y > PrevY)
      Script.push_back({' ', static_cast<size_t>(--X)}), --Y;
    if (X == PrevX)
      Script.push_back({'+', static_cast<size_t>(--Y)});
    else
      Script.push_back({'-', static_cast<size_t>(--X)});
  }
  while (X > 0 && Y > 0)
    Script.push_back({' ', static_cast<size_t>(--X)}), --Y;
  std::reverse(Script.begin(), Script.end());
  return Script;
}

std::string relative(const std::string &File, const std::string &Root) {
  llvm::StringRef F(File);
  if (F.consume_front(Root + "/"))
    return F.str();
  return File;
}

} // namespace

llvm::Expected<std::vector<FileChange>> computeChanges(const MigrationPlan &Plan, const std::string &Root,
                                                       bool CheckWritable, bool Format) {
  std::vector<FileChange> Changes;
  for (const auto &[File, Edits] : Plan.Files) {
    if (!llvm::StringRef(File).starts_with(Root + "/"))
      return error("refusing to edit '" + File + "': it is outside the project root '" + Root + "'");
    auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!Buf)
      return error("cannot read '" + File + "': " + Buf.getError().message());
    llvm::StringRef Before = (*Buf)->getBuffer();
    auto H = Plan.Hashes.find(File);
    if (H != Plan.Hashes.end() && H->second != llvm::utohexstr(llvm::xxh3_64bits(Before)))
      return error("'" + File + "' changed since it was parsed; run varscope migrate again");
    // The mode bits too: root may write anything, but a read-only file is
    // the user saying "do not touch".
    struct stat St;
    if (CheckWritable && (::access(File.c_str(), W_OK) != 0 || ::stat(File.c_str(), &St) != 0 ||
                          (St.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0))
      return error("'" + File + "' is not writable");
    bool CRLF = Before.contains("\r\n");
    clang::tooling::Replacements Reps;
    for (const Edit &E : Edits) {
      std::string Text = E.Text;
      if (CRLF) {
        std::string Fixed;
        for (char C : Text) {
          if (C == '\n')
            Fixed += '\r';
          Fixed += C;
        }
        Text = Fixed;
      }
      if (llvm::Error Err = Reps.add(clang::tooling::Replacement(File, E.Offset, E.Length, Text)))
        return error("conflicting edits in '" + File + "' at '" + E.Source + "': " + llvm::toString(std::move(Err)));
    }
    llvm::Expected<std::string> After = clang::tooling::applyAllReplacements(Before, Reps);
    if (!After)
      return After.takeError();
    if (Format) {
      llvm::Expected<clang::format::FormatStyle> Style = clang::format::getStyle("file", File, "none");
      if (!Style)
        return Style.takeError();
      if (!Style->DisableFormat) {
        std::vector<clang::tooling::Range> Ranges = Reps.getAffectedRanges();
        clang::tooling::Replacements Fmt = clang::format::reformat(*Style, *After, Ranges, File);
        // Only the touched lines: clang-format also joins or splits the
        // lines around a touched one (a short function put on one line);
        // a formatting edit reaching past the touched lines is dropped.
        std::vector<std::pair<unsigned, unsigned>> Lines;
        for (const clang::tooling::Range &R : Ranges) {
          size_t B = R.getOffset(), E = R.getOffset() + R.getLength();
          size_t LB = B == 0 ? 0 : After->rfind('\n', B - 1);
          LB = LB == std::string::npos || B == 0 ? 0 : LB + 1;
          size_t LE = After->find('\n', E > B ? E - 1 : E);
          Lines.push_back({static_cast<unsigned>(LB), static_cast<unsigned>(LE == std::string::npos ? After->size() : LE)});
        }
        clang::tooling::Replacements Kept;
        for (const clang::tooling::Replacement &F : Fmt) {
          bool Inside = false;
          for (auto [LB, LE] : Lines)
            Inside = Inside || (F.getOffset() >= LB && F.getOffset() + F.getLength() <= LE);
          if (Inside)
            llvm::consumeError(Kept.add(F));
        }
        llvm::Expected<std::string> Formatted = clang::tooling::applyAllReplacements(*After, Kept);
        if (!Formatted)
          return Formatted.takeError();
        *After = std::move(*Formatted);
      }
    }
    if (*After == Before)
      continue;
    Changes.push_back({File, Before.str(), std::move(*After)});
  }
  return Changes;
}

void printUnifiedDiff(const FileChange &C, const std::string &Root, llvm::raw_ostream &OS) {
  std::vector<llvm::StringRef> A = lines(C.Before), B = lines(C.After);
  std::vector<std::pair<char, size_t>> Script = diffLines(A, B);
  std::string Name = relative(C.File, Root);
  OS << "--- a/" << Name << "\n+++ b/" << Name << "\n";
  const size_t Context = 3;
  size_t I = 0;
  while (I < Script.size()) {
    if (Script[I].first == ' ') {
      ++I;
      continue;
    }
    // A hunk: from Context lines before the change to Context after the last
    // change that is within 2*Context of the previous one.
    size_t Start = I >= Context ? I - Context : 0;
    size_t End = I;
    size_t Unchanged = 0;
    for (size_t J = I; J < Script.size(); ++J) {
      if (Script[J].first != ' ') {
        End = J;
        Unchanged = 0;
      } else if (++Unchanged > 2 * Context) {
        break;
      }
    }
    size_t Stop = std::min(Script.size(), End + 1 + Context);
    size_t OldStart = 0, NewStart = 0, OldCount = 0, NewCount = 0;
    // Line numbers at Start.
    size_t OldLine = 0, NewLine = 0;
    for (size_t J = 0; J < Start; ++J) {
      if (Script[J].first != '+')
        ++OldLine;
      if (Script[J].first != '-')
        ++NewLine;
    }
    for (size_t J = Start; J < Stop; ++J) {
      if (Script[J].first != '+')
        ++OldCount;
      if (Script[J].first != '-')
        ++NewCount;
    }
    OldStart = OldCount ? OldLine + 1 : OldLine;
    NewStart = NewCount ? NewLine + 1 : NewLine;
    OS << "@@ -" << OldStart << "," << OldCount << " +" << NewStart << "," << NewCount << " @@\n";
    for (size_t J = Start; J < Stop; ++J) {
      auto [Kind, Index] = Script[J];
      llvm::StringRef L = Kind == '+' ? B[Index] : A[Index];
      OS << Kind << L;
      if (!L.ends_with("\n"))
        OS << "\n\\ No newline at end of file\n";
    }
    I = Stop;
  }
}

llvm::Error exportFixes(const MigrationPlan &Plan, const std::string &Path) {
  clang::tooling::TranslationUnitReplacements TUR;
  TUR.MainSourceFile = "";
  for (const auto &[File, Edits] : Plan.Files)
    for (const Edit &E : Edits)
      TUR.Replacements.emplace_back(File, E.Offset, E.Length, E.Text);
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC)
    return error("cannot write '" + Path + "': " + EC.message());
  llvm::yaml::Output YAML(OS);
  YAML << TUR;
  return llvm::Error::success();
}

llvm::Error applyAtomically(const std::vector<FileChange> &Changes) {
  std::vector<std::string> Temps;
  auto Cleanup = [&] {
    for (const std::string &T : Temps)
      llvm::sys::fs::remove(T);
  };
  for (const FileChange &C : Changes) {
    struct stat St;
    if (::stat(C.File.c_str(), &St) != 0) {
      Cleanup();
      return error("cannot stat '" + C.File + "'");
    }
    std::string Temp = C.File + ".varscope-tmp";
    std::error_code EC;
    {
      llvm::raw_fd_ostream OS(Temp, EC, llvm::sys::fs::OF_None);
      if (!EC) {
        OS << C.After;
        OS.close();
        if (OS.has_error())
          EC = OS.error();
      }
    }
    Temps.push_back(Temp);
    if (EC || ::chmod(Temp.c_str(), St.st_mode & 07777) != 0) {
      Cleanup();
      return error("cannot write '" + Temp + "': " + (EC ? EC.message() : std::string("chmod failed")) +
                   "; no file was changed");
    }
  }
  // Keep the originals until every rename succeeded.
  std::vector<std::string> Backups;
  for (const FileChange &C : Changes) {
    std::string Backup = C.File + ".varscope-orig";
    if (llvm::sys::fs::create_hard_link(C.File, Backup)) {
      for (const std::string &B : Backups)
        llvm::sys::fs::remove(B);
      Cleanup();
      return error("cannot back up '" + C.File + "'; no file was changed");
    }
    Backups.push_back(Backup);
  }
  for (size_t I = 0; I < Changes.size(); ++I) {
    if (std::error_code EC = llvm::sys::fs::rename(Temps[I], Changes[I].File)) {
      for (size_t J = 0; J < I; ++J)
        llvm::sys::fs::rename(Backups[J], Changes[J].File);
      for (size_t J = I; J < Changes.size(); ++J)
        llvm::sys::fs::remove(Backups[J]);
      Cleanup();
      return error("cannot replace '" + Changes[I].File + "': " + EC.message() + "; no file was changed");
    }
  }
  for (const std::string &B : Backups)
    llvm::sys::fs::remove(B);
  return llvm::Error::success();
}

} // namespace varscope::rewrite
