//===- PartitionMismatch.cpp - varscope-partition-mismatch ----------------===//
//
// A partitioned variable reused with another number of shards: TF raises
// "Trying to reuse partitioned variable ..., but specified partitions ...".
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"

namespace varscope::rules {

static std::string partitions(int N, int Axis, size_t Rank) {
  std::string S = "[";
  for (size_t I = 0; I < Rank; ++I)
    S += (I ? ", " : "") + std::to_string(static_cast<int>(I) == Axis ? N : 1);
  return S + "]";
}

void checkPartitionMismatch(const Context &Ctx, std::vector<Finding> &Out) {
  for (const analysis::VarEvent &E : Ctx.Res.Events) {
    if (E.Out != analysis::Outcome::PartitionMismatch)
      continue;
    const analysis::Variable &V = Ctx.Res.Variables[E.Existing];
    size_t Rank = V.Shape ? V.Shape->size() : 1;
    std::string Want = partitions(E.Partitions, V.PartitionAxis, Rank);
    std::string Found = partitions(V.Partitions, V.PartitionAxis, Rank);
    Finding F;
    F.L = E.Site;
    F.Subject = E.Name;
    F.Message = "partitioned variable '" + E.Name + "' is reused with " + std::to_string(E.Partitions) +
                " shards but was created with " + std::to_string(V.Partitions) +
                "; TF raises: Trying to reuse partitioned variable " + E.Name + ", but specified partitions " +
                Want + " and found partitions " + Found + ".";
    F.Notes.push_back({V.Created, "'" + E.Name + "' was created here with " + std::to_string(V.Partitions) +
                                      " shards"});
    addCallPathNotes(E.Path, F.Notes);
    Out.push_back(std::move(F));
  }
}

} // namespace varscope::rules
