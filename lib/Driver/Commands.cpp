//===- Commands.cpp - check, names, --list-checks -------------------------===//
#include "Driver/Commands.h"

#include "Analysis/Program.h"
#include "Analysis/Resolver.h"
#include "Driver/Output.h"
#include "Rules/Rules.h"

namespace varscope::driver {
namespace {

struct Analysed {
  analysis::Program Prog;
  analysis::Result Res;
};

llvm::Expected<Analysed> analyse(const Options &Opts, llvm::raw_ostream &Err) {
  llvm::Expected<facts::CollectResult> C = facts::collectFacts(Opts.Collect, Err);
  if (!C)
    return C.takeError();
  Analysed A;
  for (const facts::TUFacts &TU : C->TUs)
    A.Prog.add(TU);
  analysis::ResolverOptions RO;
  RO.Entries = Opts.Entries;
  RO.MaxUnroll = Opts.MaxUnroll;
  if (!Opts.Entries.empty() && A.Prog.entries(Opts.Entries).empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "no function named '" + Opts.Entries.front() +
                                                                       "' to use as --entry");
  A.Res = analysis::resolve(A.Prog, RO);
  if (A.Res.BudgetExceeded)
    Err << "varscope: warning: analysis budget exceeded; results are incomplete\n";
  return A;
}

} // namespace

llvm::Expected<int> runCheck(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err) {
  llvm::Expected<Analysed> A = analyse(Opts, Err);
  if (!A)
    return A.takeError();
  rules::Context Ctx{A->Prog, A->Res};
  std::vector<rules::Finding> Findings = rules::runRules(Ctx, Opts.Checks);
  if (Opts.Fmt == Format::JSON)
    printFindingsJSON(Findings, Out);
  else
    printFindingsText(Findings, Out);
  if (Opts.Fmt == Format::Text && !Findings.empty())
    Err << Findings.size() << (Findings.size() == 1 ? " warning" : " warnings") << " generated.\n";
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

void listChecks(llvm::raw_ostream &Out) {
  for (const rules::RuleInfo &R : rules::allRules()) {
    Out << R.Id;
    Out.indent(32 > std::string(R.Id).size() ? 32 - std::string(R.Id).size() : 1);
    Out << R.Summary << "\n";
  }
}

} // namespace varscope::driver
