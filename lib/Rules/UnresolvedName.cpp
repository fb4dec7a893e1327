//===- UnresolvedName.cpp - varscope-unresolved-name ----------------------===//
//
// A variable whose full name depends on run-time data: the reuse checks
// cannot judge it. The note points at the value the name depends on.
// Likewise a partitioned variable whose partitioner's result the analyser
// cannot compute (a custom partitioner that reads the shape, an argument that
// is not a constant): its shard names name/part_N exist at run time but are
// not listed, so this says so instead of staying silent.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

/// The partitioner as written, on one line and short enough for a message
/// (a lambda's whole body is not).
static std::string shortText(const std::string &Text) {
  std::string Out;
  for (char C : Text) {
    bool Space = C == ' ' || C == '\n' || C == '\t' || C == '\r';
    if (Space && (Out.empty() || Out.back() == ' '))
      continue;
    Out += Space ? ' ' : C;
  }
  constexpr size_t Max = 48;
  if (Out.size() > Max)
    Out = Out.substr(0, Max - 3) + "...";
  return Out;
}

void checkUnresolvedName(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::Unresolved)
      continue;
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "cannot resolve the name of this variable statically ('" + E.Name +
                "'); reuse checks are skipped for it";
    if (E.UnknownLoc.valid())
      F.Notes.push_back({E.UnknownLoc, "the name depends on run-time data: " + E.UnknownText});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::Created || E.UnknownPartitioner.empty())
      continue;
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name + "/part_<?>";
    F.Message = "cannot resolve the partitioning of '" + E.Name + "' statically (partitioner '" +
                shortText(E.UnknownPartitioner) + "'); its shards " + E.Name + "/part_<?> are not listed";
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
