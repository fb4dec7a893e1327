//===- ShapeMismatch.cpp - varscope-shape-mismatch ------------------------===//
//
// A reused variable requested with a shape incompatible with the one it was
// created with: TF raises "Trying to share variable ..., but specified shape
// ... and found shape ...".
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkShapeMismatch(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::ShapeMismatch)
      continue;
    const analysis::Variable &V = Ctx.Res.Variables[E.Existing];
    std::string Want = analysis::shapeString(E.Shape), Found = analysis::shapeString(V.Shape);
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "variable '" + E.Name + "' is reused with shape " + Want + " but was created with shape " + Found +
                "; TF raises: Trying to share variable " + E.Name + ", but specified shape " + Want +
                " and found shape " + Found + ".";
    F.Notes.push_back({V.Created, "'" + E.Name + "' was created here with shape " + Found});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
