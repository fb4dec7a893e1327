//===- DefaultNameReentry.cpp - varscope-default-name-reentry -------------===//
//
// variable_scope(nullptr, "dense") entered a second time inside a scope that
// reuses variables: the per-thread counters uniquify it to dense_1, so its
// variables are created anew (AUTO_REUSE) or missing (reuse=True) instead of
// shared with dense/... .
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkDefaultNameReentry(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::GuardEvent &G : Ctx.Res.Guards) {
    if (!G.DefaultName || G.DefaultBase.empty())
      continue;
    if (G.ParentReuse != analysis::Reuse::True && G.ParentReuse != analysis::Reuse::Auto)
      continue;
    std::string Last = G.Name.substr(G.Name.rfind('/') == std::string::npos ? 0 : G.Name.rfind('/') + 1);
    if (Last == G.DefaultBase)
      continue;
    std::string Shared = G.ParentName.empty() ? G.DefaultBase : G.ParentName + "/" + G.DefaultBase;
    Finding F;
    F.L = G.Site;
    F.Subject = G.Name;
    F.Message = "default-named variable_scope '" + G.DefaultBase + "' is uniquified to '" + Last +
                "' although the enclosing scope reuses variables (reuse=" + analysis::toString(G.ParentReuse) +
                "): the variables under '" + G.Name + "' are " +
                (G.ParentReuse == analysis::Reuse::Auto ? "created anew" : "looked up and missing") +
                ", not shared with '" + Shared + "'; give the scope an explicit name to share them";
    if (G.ParentReuseOrigin.valid())
      F.Notes.push_back({G.ParentReuseOrigin, "reuse was switched on here"});
    addCallPathNotes(G.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
