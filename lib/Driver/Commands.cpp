//===- Commands.cpp - check, names, index, --list-checks ------------------===//
#include "Driver/Commands.h"

#include "Analysis/Program.h"
#include "Analysis/Resolver.h"
#include "Driver/Baseline.h"
#include "Driver/Output.h"
#include "Rules/Rules.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

namespace varscope::driver {
namespace {

llvm::Error error(const llvm::Twine &Msg) { return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg); }

std::string absolute(const std::string &P) {
  llvm::SmallString<256> Out(P);
  llvm::sys::fs::make_absolute(Out);
  llvm::sys::path::remove_dots(Out, true);
  return std::string(Out);
}

llvm::Expected<std::vector<facts::TUFacts>> readIndex(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return error("cannot read index '" + Path + "'");
  std::optional<std::vector<facts::TUFacts>> TUs = facts::indexFromJSON((*Buf)->getBuffer().str());
  if (!TUs)
    return error("'" + Path + "' is not a varscope index (write one with `varscope index -o`)");
  return std::move(*TUs);
}

/// The facts: from --index (optionally restricted to Collect.Files), or by
/// running the map step.
llvm::Expected<std::vector<facts::TUFacts>> loadFacts(const Options &Opts, llvm::raw_ostream &Err) {
  if (Opts.IndexFile.empty()) {
    llvm::Expected<facts::CollectResult> C = facts::collectFacts(Opts.Collect, Err);
    if (!C)
      return C.takeError();
    return std::move(C->TUs);
  }
  llvm::Expected<std::vector<facts::TUFacts>> TUs = readIndex(Opts.IndexFile);
  if (!TUs || Opts.Collect.Files.empty())
    return TUs;
  std::vector<facts::TUFacts> Selected;
  for (const std::string &F : Opts.Collect.Files) {
    std::string Abs = absolute(F);
    auto It = std::find_if(TUs->begin(), TUs->end(), [&](const facts::TUFacts &T) { return T.MainFile == Abs; });
    if (It == TUs->end())
      return error("'" + F + "' is not in the index '" + Opts.IndexFile + "'");
    Selected.push_back(*It);
  }
  return Selected;
}

struct Analysed {
  analysis::Program Prog;
  analysis::Result Res;
};

llvm::Expected<Analysed> analyse(const Options &Opts, llvm::raw_ostream &Err) {
  llvm::Expected<std::vector<facts::TUFacts>> TUs = loadFacts(Opts, Err);
  if (!TUs)
    return TUs.takeError();
  Analysed A;
  for (const facts::TUFacts &TU : *TUs)
    A.Prog.add(TU);
  analysis::ResolverOptions RO;
  RO.Entries = Opts.Entries;
  RO.MaxUnroll = Opts.MaxUnroll;
  if (!Opts.Entries.empty() && A.Prog.entries(Opts.Entries).empty())
    return error("no function named '" + Opts.Entries.front() + "' to use as --entry");
  A.Res = analysis::resolve(A.Prog, RO);
  if (A.Res.BudgetExceeded)
    Err << "varscope: warning: analysis budget exceeded; results are incomplete\n";
  return A;
}

llvm::Error writeFile(const std::string &Path, llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return error("cannot write '" + Path + "': " + EC.message());
  Write(OS);
  return llvm::Error::success();
}

} // namespace

llvm::Expected<int> runCheck(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err) {
  llvm::Expected<Analysed> A = analyse(Opts, Err);
  if (!A)
    return A.takeError();
  rules::Context Ctx{A->Prog, A->Res};
  std::vector<rules::Finding> Findings = rules::runRules(Ctx, Opts.Checks);
  std::string Root = absolute(Opts.SourceRoot.empty() ? "." : Opts.SourceRoot);

  if (!Opts.WriteBaseline.empty()) {
    if (llvm::Error E = writeBaseline(Findings, Root, Opts.WriteBaseline))
      return std::move(E);
    Err << "varscope: wrote " << Findings.size() << (Findings.size() == 1 ? " finding" : " findings") << " to "
        << Opts.WriteBaseline << "\n";
    return 0;
  }
  if (!Opts.Baseline.empty()) {
    llvm::Expected<std::set<std::string>> Accepted = readBaseline(Opts.Baseline);
    if (!Accepted)
      return Accepted.takeError();
    unsigned Hidden = applyBaseline(Findings, *Accepted, Root);
    if (Hidden && Opts.Collect.Verbose)
      Err << "varscope: " << Hidden << (Hidden == 1 ? " finding" : " findings") << " accepted by the baseline\n";
  }

  if (!Opts.ExportFixes.empty())
    if (llvm::Error E = writeFile(Opts.ExportFixes, [&](llvm::raw_ostream &OS) { printFixesYAML(Findings, OS); }))
      return std::move(E);
  switch (Opts.Fmt) {
  case Format::JSON:
    printFindingsJSON(Findings, Out);
    break;
  case Format::SARIF:
    printFindingsSARIF(Findings, Root, Out);
    break;
  case Format::Text:
    printFindingsText(Findings, Out);
    if (!Findings.empty())
      Err << Findings.size() << (Findings.size() == 1 ? " warning" : " warnings") << " generated.\n";
    break;
  }
  return Findings.empty() ? 0 : 1;
}

llvm::Expected<int> runNames(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err) {
  llvm::Expected<Analysed> A = analyse(Opts, Err);
  if (!A)
    return A.takeError();
  if (Opts.Fmt == Format::JSON)
    printNamesJSON(A->Res, Out);
  else
    printNamesText(A->Res, Out);
  return 0;
}

llvm::Expected<int> runIndex(const IndexOptions &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err) {
  std::vector<facts::TUFacts> TUs;
  if (!Opts.Merge.empty()) {
    // Shards are disjoint; the same TU twice must carry the same facts.
    std::map<std::string, std::pair<std::string, std::string>> Seen; // main file -> (facts JSON, index)
    for (const std::string &Path : Opts.Merge) {
      llvm::Expected<std::vector<facts::TUFacts>> Part = readIndex(Path);
      if (!Part)
        return Part.takeError();
      for (facts::TUFacts &TU : *Part) {
        std::string J = facts::toJSON(TU);
        auto [It, New] = Seen.try_emplace(TU.MainFile, J, Path);
        if (!New) {
          if (It->second.first != J)
            return error("conflicting facts for '" + TU.MainFile + "' in '" + It->second.second + "' and '" + Path +
                         "'");
          continue;
        }
        TUs.push_back(std::move(TU));
      }
    }
  } else {
    llvm::Expected<facts::CollectResult> C = facts::collectFacts(Opts.Collect, Err);
    if (!C)
      return C.takeError();
    TUs = std::move(C->TUs);
  }
  std::string Text = facts::indexToJSON(std::move(TUs));
  if (Opts.Output.empty() || Opts.Output == "-") {
    Out << Text;
    return 0;
  }
  // Temp file then rename: a reader never sees half an index.
  std::string Tmp = Opts.Output + ".tmp";
  if (llvm::Error E = writeFile(Tmp, [&](llvm::raw_ostream &OS) { OS << Text; }))
    return std::move(E);
  if (std::error_code EC = llvm::sys::fs::rename(Tmp, Opts.Output))
    return error("cannot write '" + Opts.Output + "': " + EC.message());
  return 0;
}

void listChecks(llvm::raw_ostream &Out) {
  size_t Width = 0;
  for (const rules::RuleInfo &R : rules::allRules())
    Width = std::max(Width, std::string(R.Id).size());
  for (const rules::RuleInfo &R : rules::allRules()) {
    Out << R.Id;
    Out.indent(Width + 2 - std::string(R.Id).size());
    Out << R.Summary << "\n";
  }
}

} // namespace varscope::driver
