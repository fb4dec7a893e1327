//===- UnnamedGuard.cpp - varscope-unnamed-guard --------------------------===//
//
// `v1::variable_scope("x");` builds a temporary that is destroyed at the end
// of its own statement: the scope covers nothing. The fix names the guard.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"
#include "Rules/Walk.h"

namespace varscope::rules {

void checkUnnamedGuard(const Context &Ctx, std::vector<Finding> &Out) {
  forEachStmt(Ctx.Prog, [&](const facts::Function &, const facts::Stmt &S) {
    if (!S.Temporary || (S.K != facts::Stmt::VarScope && S.K != facts::Stmt::NameScope))
      return;
    const char *Kind = S.K == facts::Stmt::VarScope ? "variable_scope" : "name_scope";
    const facts::Value &Name = S.DefaultNameForm ? S.DefaultName : S.Name;
    std::string What = Name.K == facts::Value::Str ? " '" + Name.S + "'" : "";
    Finding F;
    F.L = S.L;
    if (Name.K == facts::Value::Str)
      F.Subject = Name.S;
    F.Message = std::string("unnamed v1::") + Kind + What +
                " is destroyed at the end of this statement, so the scope applies to nothing; give the guard a "
                "name";
    if (S.Fix)
      F.Fixes.push_back(*S.Fix);
    Out.push_back(std::move(F));
  });
}

} // namespace varscope::rules
