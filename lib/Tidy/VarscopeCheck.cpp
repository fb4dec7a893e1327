//===- VarscopeCheck.cpp - The varscope checks as clang-tidy checks -------===//
#include "Tidy/VarscopeCheck.h"

#include "Driver/Config.h"
#include "Rules/Rules.h"
#include "Tidy/ASTFacts.h"
#include "Tidy/IndexFile.h"
#include "Tidy/TUAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <map>
#include <optional>
#include <utility>

using namespace clang;
using namespace clang::ast_matchers;

namespace varscope::tidy {
namespace {

/// Maps lib/Facts locations (absolute path, 1-based line and byte column,
/// byte offsets) back to SourceLocations of the TU being checked.
class Locations {
public:
  Locations(SourceManager &SM, const std::string &MainFile) : SM(SM) {
    Files[MainFile] = SM.getMainFileID();
  }

  /// The file, if the TU read it; with Create, any readable file (notes may
  /// point into files of other TUs).
  FileID file(const std::string &Path, bool Create) {
    auto It = Files.find(Path);
    if (It != Files.end() && (It->second.isValid() || !Create))
      return It->second;
    FileID FID;
    if (llvm::Expected<FileEntryRef> FE = SM.getFileManager().getFileRef(Path)) {
      FID = SM.translateFile(*FE);
      if (FID.isInvalid() && Create)
        FID = SM.getOrCreateFileID(*FE, SrcMgr::C_User);
    } else {
      llvm::consumeError(FE.takeError());
    }
    Files[Path] = FID;
    return FID;
  }

  SourceLocation at(const facts::Loc &L, bool Create) {
    if (!L.valid())
      return {};
    FileID FID = file(L.File, Create);
    if (FID.isInvalid())
      return {};
    return SM.translateLineCol(FID, L.Line, L.Col);
  }

  /// [L, L.End) when the location has an end on the same file.
  CharSourceRange range(const facts::Loc &L, bool Create) {
    SourceLocation B = at(L, Create);
    if (B.isInvalid() || L.EndLine == 0)
      return {};
    SourceLocation E = SM.translateLineCol(SM.getFileID(B), L.EndLine, L.EndCol);
    if (E.isInvalid() || SM.isBeforeInTranslationUnit(E, B))
      return {};
    return CharSourceRange::getCharRange(B, E);
  }

  std::optional<FixItHint> fix(const facts::Replacement &R) {
    FileID FID = file(R.File, false);
    if (FID.isInvalid() || R.Offset + R.Length > SM.getFileIDSize(FID))
      return std::nullopt;
    SourceLocation B = SM.getComposedLoc(FID, R.Offset);
    if (R.Length == 0)
      return FixItHint::CreateInsertion(B, R.Text);
    return FixItHint::CreateReplacement(CharSourceRange::getCharRange(B, B.getLocWithOffset(R.Length)), R.Text);
  }

private:
  SourceManager &SM;
  std::map<std::string, FileID> Files;
};

std::string defaultIndexFile() {
  std::optional<std::string> Env = llvm::sys::Process::GetEnv("VARSCOPE_INDEX_FILE");
  return Env ? *Env : "";
}

} // namespace

VarscopeCheck::VarscopeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Tidy(Context), Name(Name.str()),
      IndexFile(Options.getLocalOrGlobal("VarscopeIndexFile", defaultIndexFile()).str()),
      MaxUnroll(Options.getLocalOrGlobal<unsigned>("VarscopeMaxUnroll")) {}

void VarscopeCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "VarscopeIndexFile", IndexFile);
  if (MaxUnroll)
    Options.store(Opts, "VarscopeMaxUnroll", *MaxUnroll);
}

void VarscopeCheck::registerMatchers(MatchFinder *Finder) {
  // Only to be called back at the end of the TU: the analysis needs all of it.
  if (runsAnalysis())
    Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void VarscopeCheck::check(const MatchFinder::MatchResult &Result) { AST = Result.Context; }

bool VarscopeCheck::runsAnalysis() const {
  for (const rules::RuleInfo &R : rules::allRules())
    if (Tidy->isCheckEnabled(R.Id))
      return Name == R.Id;
  return false;
}

void VarscopeCheck::onEndOfTranslationUnit() {
  ASTContext *Ctx = std::exchange(AST, nullptr);
  if (!Ctx)
    return;
  std::optional<facts::TUFacts> TU = extractFactsFromAST(*Ctx);
  if (!TU)
    return;

  TUAnalysisOptions Opts;
  Opts.Enabled = [this](const std::string &Id) { return Tidy->isCheckEnabled(Id); };
  std::string ConfiguredIndex = IndexFile; // the check option, else $VARSCOPE_INDEX_FILE
  llvm::Expected<std::optional<driver::Config>> Cfg =
      driver::loadConfig("", llvm::sys::path::parent_path(TU->MainFile).str());
  if (!Cfg) {
    configurationDiag("varscope project config not used: %0") << llvm::toString(Cfg.takeError());
  } else if (*Cfg) {
    Opts.Entries = (*Cfg)->Entries;
    if ((*Cfg)->MaxUnroll)
      Opts.MaxUnroll = *(*Cfg)->MaxUnroll;
    if (ConfiguredIndex.empty() && (*Cfg)->Index)
      ConfiguredIndex = *(*Cfg)->Index; // `index:` in .varscope.yaml
  }
  if (MaxUnroll)
    Opts.MaxUnroll = *MaxUnroll;
  if (std::string Path = findIndexFile(ConfiguredIndex, TU->MainFile); !Path.empty()) {
    llvm::Expected<std::shared_ptr<const Index>> Loaded = loadIndex(Path);
    if (Loaded)
      Opts.ProjectIndex = std::move(*Loaded);
    else
      configurationDiag("varscope index not used: %0") << llvm::toString(Loaded.takeError());
  }

  Locations Locs(Ctx->getSourceManager(), TU->MainFile);
  for (const rules::Finding &F : analyseTU(*TU, Opts)) {
    // Findings in files of other TUs (through the index) are theirs to show.
    SourceLocation At = Locs.at(F.L, /*Create=*/false);
    if (At.isInvalid())
      continue;
    std::vector<FixItHint> Fixes;
    for (const facts::Replacement &R : F.Fixes) {
      std::optional<FixItHint> H = Locs.fix(R);
      if (!H) { // all or nothing
        Fixes.clear();
        break;
      }
      Fixes.push_back(std::move(*H));
    }
    {
      DiagnosticBuilder D = Tidy->diag(F.Id, At, "%0") << F.Message;
      if (CharSourceRange R = Locs.range(F.L, /*Create=*/false); R.isValid())
        D << R;
      for (const FixItHint &H : Fixes)
        D << H;
    } // emitted here, before its notes
    for (const rules::Note &N : F.Notes) {
      DiagnosticBuilder D = Tidy->diag(F.Id, Locs.at(N.L, /*Create=*/true), "%0", DiagnosticIDs::Note);
      D << N.Message;
      if (CharSourceRange R = Locs.range(N.L, /*Create=*/true); R.isValid())
        D << R;
    }
  }
}

} // namespace varscope::tidy
