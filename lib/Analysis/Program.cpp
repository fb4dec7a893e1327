//===- Program.cpp - Merge facts by USR, find entry points ----------------===//
#include "Analysis/Program.h"

#include <algorithm>

namespace varscope::analysis {

void Program::add(const facts::TUFacts &TU) {
  for (const facts::Function &F : TU.Functions)
    add(F, TU.MainFile);
}

void Program::add(facts::Function F, const std::string &TU) {
  auto It = Functions.find(F.USR);
  if (It == Functions.end()) {
    Origin[F.USR] = TU;
    std::string USR = F.USR;
    Functions.emplace(std::move(USR), std::move(F));
    return;
  }
  if (It->second == F || !ReportedUSRs.insert(F.USR).second)
    return;
  Inconsistent.push_back({F.USR, It->second.Name, It->second.L, Origin[F.USR], TU});
}

const facts::Function *Program::find(const std::string &USR) const {
  auto It = Functions.find(USR);
  return It == Functions.end() ? nullptr : &It->second;
}

static void collectCallees(const facts::Stmt &S, std::set<std::string> &Out) {
  if (S.K == facts::Stmt::Call || S.K == facts::Stmt::Thread)
    Out.insert(S.Callee);
  for (const facts::Stmt &C : S.Body)
    collectCallees(C, Out);
  for (const facts::Stmt &C : S.Else)
    collectCallees(C, Out);
}

static std::string unqualified(const std::string &Name) {
  size_t P = Name.rfind("::");
  return P == std::string::npos ? Name : Name.substr(P + 2);
}

std::vector<const facts::Function *> Program::entries(const std::vector<std::string> &Requested) const {
  std::vector<const facts::Function *> Out;
  if (!Requested.empty()) {
    for (const std::string &R : Requested)
      for (const auto &[USR, F] : Functions)
        if (!F.IsLambda && (F.Name == R || unqualified(F.Name) == R))
          Out.push_back(&F);
  } else {
    std::set<std::string> Called;
    for (const auto &[USR, F] : Functions)
      collectCallees(F.Body, Called);
    for (const auto &[USR, F] : Functions)
      if (!F.IsLambda && (F.Name == "main" || !Called.count(USR)))
        Out.push_back(&F);
  }
  std::sort(Out.begin(), Out.end(), [](const facts::Function *A, const facts::Function *B) {
    bool AM = A->Name == "main", BM = B->Name == "main";
    if (AM != BM)
      return AM;
    return std::tie(A->L, A->USR) < std::tie(B->L, B->USR);
  });
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

} // namespace varscope::analysis
