//===- TUAnalysis.cpp - Findings of one TU, for the editor checks ---------===//
#include "Tidy/TUAnalysis.h"

#include "Analysis/Program.h"
#include "Analysis/Resolver.h"
#include "Rules/Rules.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace varscope::tidy {
namespace {

/// Checks that read only the facts of one statement: callers cannot change
/// their outcome.
bool isSyntactic(const std::string &Id) {
  return Id == "varscope-unnamed-guard" || Id == "varscope-redundant-reuse-false";
}

/// The non-lambda function whose definition starts last before L in L's
/// file: the function written around L.
const facts::Function *enclosingFunction(const analysis::Program &P, const facts::Loc &L) {
  const facts::Function *Best = nullptr;
  for (const auto &[USR, F] : P.functions()) {
    if (F.IsLambda || F.L.File != L.File)
      continue;
    if (std::tie(F.L.Line, F.L.Col) > std::tie(L.Line, L.Col))
      continue;
    if (!Best || std::tie(F.L.Line, F.L.Col) > std::tie(Best->L.Line, Best->L.Col))
      Best = &F;
  }
  return Best;
}

} // namespace

std::string singleFileNote(const std::string &Function) {
  return "resolved within this file only: '" + Function +
         "' has no caller here and was analysed at the root variable scope; callers in other files are "
         "used when the varscope index is available";
}

std::vector<rules::Finding> analyseTU(const facts::TUFacts &TU, const TUAnalysisOptions &Opts) {
  analysis::Program Prog;
  Prog.add(TU); // the TU first: its (possibly unsaved) code wins over the index
  if (Opts.ProjectIndex)
    for (const facts::Function &F : Opts.ProjectIndex->Functions)
      if (F.L.File != TU.MainFile) // the index's copy of this file may be stale
        Prog.add(F);

  analysis::ResolverOptions ROpts;
  ROpts.MaxUnroll = Opts.MaxUnroll;
  if (Opts.ProjectIndex)
    ROpts.Entries = Opts.Entries;
  analysis::Result Res = analysis::resolve(Prog, ROpts);
  rules::Context Ctx{Prog, Res};

  // rules::runRules() without its NOLINT pass (which reads files from disk).
  std::vector<rules::Finding> All;
  for (const rules::RuleInfo &R : rules::allRules()) {
    if (Opts.Enabled && !Opts.Enabled(R.Id))
      continue;
    std::vector<rules::Finding> Out;
    R.Run(Ctx, Out);
    for (rules::Finding &F : Out) {
      F.Id = R.Id;
      All.push_back(std::move(F));
    }
  }
  std::vector<rules::Finding> Kept;
  for (rules::Finding &F : All) {
    bool Dup = std::any_of(Kept.begin(), Kept.end(), [&](const rules::Finding &K) {
      return K.Id == F.Id && K.L == F.L && K.Message == F.Message;
    });
    if (!Dup)
      Kept.push_back(std::move(F));
  }
  std::sort(Kept.begin(), Kept.end(), [](const rules::Finding &A, const rules::Finding &B) {
    return std::tie(A.L.File, A.L.Line, A.L.Col, A.Id, A.Message) <
           std::tie(B.L.File, B.L.Line, B.L.Col, B.Id, B.Message);
  });
  if (Opts.ProjectIndex)
    return Kept;

  // Without the index, say where a result hangs on unseen callers: every
  // model-based finding sits at a get_variable site; the outermost frame of
  // the event's call path (or the site itself) lies in its entry function.
  std::set<const facts::Function *> Entries;
  for (const facts::Function *F : Prog.entries({}))
    if (!F->IsLambda && F->Name != "main")
      Entries.insert(F);
  std::map<facts::Loc, const facts::Function *> OpenEntryAt;
  for (const analysis::VarEvent &E : Res.Events) {
    const facts::Function *Entry = enclosingFunction(Prog, E.Path.empty() ? E.Site : E.Path.front().Site);
    if (Entry && Entries.count(Entry))
      OpenEntryAt.emplace(E.Site, Entry);
  }
  for (rules::Finding &F : Kept) {
    if (isSyntactic(F.Id))
      continue;
    auto It = OpenEntryAt.find(F.L);
    if (It != OpenEntryAt.end())
      F.Notes.push_back({It->second->L, singleFileNote(It->second->Name)});
  }
  return Kept;
}

} // namespace varscope::tidy
