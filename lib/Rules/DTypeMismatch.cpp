//===- DTypeMismatch.cpp - varscope-dtype-mismatch ------------------------===//
//
// A reused variable requested with another explicit dtype: TF raises
// "Trying to share variable ..., but specified dtype ... and found dtype ...".
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkDTypeMismatch(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::DTypeMismatch)
      continue;
    const analysis::Variable &V = Ctx.Res.Variables[E.Existing];
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "variable '" + E.Name + "' is reused with dtype " + E.DType + " but was created with dtype " +
                V.DType + "; TF raises: Trying to share variable " + E.Name + ", but specified dtype " + E.DType +
                " and found dtype " + V.DType + "_ref.";
    F.Notes.push_back({V.Created, "'" + E.Name + "' was created here with dtype " + V.DType});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
