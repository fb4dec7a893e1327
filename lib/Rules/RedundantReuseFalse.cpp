//===- RedundantReuseFalse.cpp - varscope-redundant-reuse-false -----------===//
//
// `.reuse = false` means "inherit" (TF replaces False by None): it can never
// switch reuse off. The fix removes the option; a note shows when the scope
// reuses anyway because its parent does.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"
#include "Rules/Walk.h"

namespace varscope::rules {

void checkRedundantReuseFalse(const Context &Ctx, std::vector<Finding> &Out) {
  forEachStmt(Ctx.Prog, [&](const facts::Function &, const facts::Stmt &S) {
    if (S.K != facts::Stmt::VarScope || S.Reuse != facts::ReuseArg::False)
      return;
    Finding F;
    F.L = S.ReuseLoc.valid() ? S.ReuseLoc : S.L;
    if (S.Name.K == facts::Value::Str)
      F.Subject = S.Name.S;
    F.Message = "'reuse = false' has no effect: variable_scope treats false as 'inherit' and cannot turn reuse "
                "off; remove it";
    for (const analysis::GuardEvent &G : Ctx.Res.Guards) {
      if (G.Site != S.L || (G.ParentReuse != analysis::Reuse::True && G.ParentReuse != analysis::Reuse::Auto))
        continue;
      Note N;
      N.L = G.ParentReuseOrigin.valid() ? G.ParentReuseOrigin : G.Site;
      N.Message = "variables are still reused here: the enclosing scope '" + G.ParentName + "' has reuse=" +
                  analysis::toString(G.ParentReuse);
      F.Notes.push_back(std::move(N));
      break;
    }
    if (S.ReuseFix)
      F.Fixes.push_back(*S.ReuseFix);
    Out.push_back(std::move(F));
  });
}

} // namespace varscope::rules
