//===- ReuseAlreadyExists.cpp - varscope-reuse-already-exists -------------===//
//
// get_variable with reuse off on a name that already exists: TF raises
// "Variable foo/v already exists, disallowed."
//
// The fix is offered only when it is unambiguous: the same get_variable
// statement created the name the first time (a helper applied twice, a loop
// body run again), and a named guard in the same function opens the scope in
// effect there. Making that guard AUTO_REUSE shares the variable between the
// runs, which is what the repetition asks for. Two different statements
// creating one name is more likely a naming mistake: no fix.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

#include <map>

namespace varscope::rules {

namespace {

/// For every get_variable statement: the innermost named variable_scope
/// guard of its function that is alive there (nullptr: none).
class EnclosingGuards {
public:
  explicit EnclosingGuards(const analysis::Program &P) {
    for (const auto &[USR, F] : P.functions()) {
      std::vector<const facts::Stmt *> Active;
      walk(F.Body, Active);
    }
  }
  const facts::Stmt *at(const facts::Loc &L) const {
    auto It = Guard.find(L);
    return It == Guard.end() ? nullptr : It->second;
  }

private:
  void walk(const facts::Stmt &S, std::vector<const facts::Stmt *> &Active) {
    if (S.K == facts::Stmt::GetVar) {
      Guard.emplace(S.L, Active.empty() ? nullptr : Active.back());
      return;
    }
    // A guard declared in a block lives until the block ends.
    auto Children = [&](const std::vector<facts::Stmt> &Body) {
      size_t Mark = Active.size();
      for (const facts::Stmt &C : Body) {
        walk(C, Active);
        if (C.K == facts::Stmt::VarScope && !C.Temporary && !C.Id.empty())
          Active.push_back(&C);
      }
      Active.resize(Mark);
    };
    Children(S.Body);
    Children(S.Else);
  }

  std::map<facts::Loc, const facts::Stmt *> Guard;
};

} // namespace

void checkReuseAlreadyExists(const Context &Ctx, std::vector<Finding> &Out) {
  std::optional<EnclosingGuards> Guards;
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::AlreadyExists)
      continue;
    const analysis::Variable &V = Ctx.Res.Variables[E.Existing];
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "variable '" + E.Name + "' already exists; TF raises: Variable " + E.Name +
                " already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?";
    F.Notes.push_back({V.Created, "'" + E.Name + "' was first created here"});
    addCallPathNotes(E.Path, F.Notes);
    if (V.Created == E.Site) {
      if (!Guards)
        Guards.emplace(Ctx.Prog);
      if (const facts::Stmt *G = Guards->at(E.Site); G && G->AutoReuseFix) {
        F.Fixes.push_back(*G->AutoReuseFix);
        F.Notes.push_back({G->L, "this statement runs more than once under the scope opened here; AUTO_REUSE "
                                 "shares '" + E.Name + "' between the runs"});
      }
    }
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
