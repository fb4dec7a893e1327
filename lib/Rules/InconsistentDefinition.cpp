//===- InconsistentDefinition.cpp - varscope-inconsistent-definition ------===//
//
// A function read by several translation units (an inline function or a
// template in a header) whose facts differ between them: the header was
// compiled under different macros or flags, so the variables it creates
// depend on the TU. The analysis keeps the first version; this says so
// instead of merging silently.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

void checkInconsistentDefinition(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::Inconsistency &I : Ctx.Prog.inconsistencies()) {
    auto Base = [](const std::string &P) {
      return P.empty() ? std::string("another input") : "'" + P.substr(P.rfind('/') + 1) + "'";
    };
    Finding F;
    F.L = I.L;
    F.Subject = I.Name;
    F.Message = "'" + I.Name + "' reads differently in " + Base(I.KeptTU) + " and " + Base(I.OtherTU) +
                " (macros or flags differ between the two translation units); the analysis uses the version "
                "from " + Base(I.KeptTU);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
