//===- UnresolvedName.cpp - varscope-unresolved-name ----------------------===//
//
// A variable whose full name depends on run-time data: the reuse checks
// cannot judge it. The note points at the value the name depends on.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkUnresolvedName(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::Unresolved)
      continue;
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "cannot resolve the name of this variable statically ('" + E.Name +
                "'); reuse checks are skipped for it";
    if (E.UnknownLoc.valid())
      F.Notes.push_back({E.UnknownLoc, "the name depends on run-time data: " + E.UnknownText});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
