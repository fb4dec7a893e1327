//===- ThreadRootScope.cpp - varscope-thread-root-scope -------------------===//
//
// A new thread starts at the root variable scope (the scope stack is per
// thread), so a get_variable in a thread started inside variable_scope("main")
// creates 'v', not 'main/v'. Re-enter a captured VariableScope in the thread.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkThreadRootScope(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.ThreadParentScope.empty() || !E.Resolved)
      continue;
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "this runs in a new thread, which starts at the root variable scope: the variable is '" + E.Name +
                "', not '" + E.ThreadParentScope + "/" + E.Name +
                "'; re-enter a captured VariableScope inside the thread";
    F.Notes.push_back({E.ThreadSite, "thread started here inside variable scope '" + E.ThreadParentScope + "'"});
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
