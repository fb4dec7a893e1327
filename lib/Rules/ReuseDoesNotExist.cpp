//===- ReuseDoesNotExist.cpp - varscope-reuse-does-not-exist --------------===//
//
// get_variable with reuse=True on a name nobody created: TF raises
// "Variable foo/v does not exist, or was not created with tf.get_variable()."
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkReuseDoesNotExist(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::DoesNotExist)
      continue;
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "variable '" + E.Name + "' does not exist; TF raises: Variable " + E.Name +
                " does not exist, or was not created with tf.get_variable(). Did you mean to set "
                "reuse=tf.AUTO_REUSE in VarScope?";
    if (E.ReuseOrigin.valid())
      F.Notes.push_back({E.ReuseOrigin, "reuse was turned on here"});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
