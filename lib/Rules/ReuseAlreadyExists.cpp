//===- ReuseAlreadyExists.cpp - varscope-reuse-already-exists -------------===//
//
// get_variable with reuse off on a name that already exists: TF raises
// "Variable foo/v already exists, disallowed."
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkReuseAlreadyExists(const Context &Ctx, std::vector<Finding> &Out) {
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
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
