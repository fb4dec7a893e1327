//===- NameScopeIgnored.cpp - varscope-name-scope-ignored -----------------===//
//
// get_variable inside a v1::name_scope: name scopes never prefix variable
// names (only variable scopes do), so 'ns' is not part of the full name.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkNameScopeIgnored(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.IgnoredNameScope.empty() || !E.Resolved)
      continue;
    std::string Short = E.Name.substr(E.ScopeName.empty() ? 0 : E.ScopeName.size() + 1);
    std::string Expected =
        (E.ScopeName.empty() ? "" : E.ScopeName + "/") + E.IgnoredNameScope + "/" + Short;
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "name_scope '" + E.IgnoredNameScope + "' does not prefix variable names: this is '" + E.Name +
                "', not '" + Expected + "'; use a variable_scope to prefix it";
    F.Notes.push_back({E.IgnoredNameScopeLoc, "name_scope '" + E.IgnoredNameScope + "' opened here"});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
