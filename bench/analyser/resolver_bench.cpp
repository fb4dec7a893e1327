//===- resolver_bench.cpp - The reduce step on a million variables --------===//
//
//   resolver_bench [variables]   (10000, 100000 or 1000000; default all three
//                                 are listed, run one per process for its RSS)
//
// Builds, in memory, the facts of a program whose call tree is both deep and
// wide: `main` -> level_0 -> ... -> level_{D-1} -> leaf, where every level
// opens `variable_scope("b" + std::to_string(i))` for i < W and calls the next
// level through a chain of C pass-through helpers, and every leaf creates V
// variables in a loop (W^D * V variables, each in its own scope path, so no
// call is summarised). Prints the time of analysis::resolve and the peak RSS.
//
//===----------------------------------------------------------------------===//
#include "Analysis/Resolver.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace varscope;
using facts::Stmt;
using facts::Value;

namespace {

struct Shape {
  long Variables;
  int Width, Depth, Leaf, Chain;
};

constexpr Shape Shapes[] = {
    {10000, 10, 2, 100, 3},
    {100000, 10, 3, 100, 3},
    {1000000, 10, 4, 100, 3},
};

facts::Loc at(const std::string &File, unsigned Line) { return {File, Line, 3, Line, 40}; }

Value var(const std::string &Id) {
  Value V;
  V.K = Value::Var;
  V.Text = Id;
  return V;
}

Value concat(Value A, Value B) {
  Value V;
  V.K = Value::Concat;
  V.Args = {std::move(A), std::move(B)};
  return V;
}

Value toString(Value X) {
  Value V;
  V.K = Value::ToString;
  V.Args = {std::move(X)};
  return V;
}

Stmt loop(const std::string &Id, int N, std::vector<Stmt> Body, facts::Loc L) {
  Stmt S;
  S.K = Stmt::For;
  S.L = std::move(L);
  S.Id = Id;
  S.From = Value::integer(0);
  S.To = Value::integer(N);
  S.Cmp = "<";
  Stmt B;
  B.K = Stmt::Block;
  B.Body = std::move(Body);
  S.Body.push_back(std::move(B));
  return S;
}

Stmt call(const std::string &Callee, facts::Loc L) {
  Stmt S;
  S.K = Stmt::Call;
  S.Callee = "c:@F@" + Callee;
  S.CalleeName = Callee;
  S.L = std::move(L);
  return S;
}

facts::Function function(const std::string &Name, std::vector<Stmt> Body, const std::string &File) {
  facts::Function F;
  F.USR = "c:@F@" + Name;
  F.Name = Name;
  F.L = at(File, 1);
  F.Body.K = Stmt::Block;
  F.Body.Body = std::move(Body);
  return F;
}

analysis::Program build(const Shape &S) {
  analysis::Program P;
  const std::string Dir = "/work/project/src/";
  // leaf: for (int j = 0; j < V; ++j) get_variable("w" + std::to_string(j), {4, 4});
  {
    Stmt G;
    G.K = Stmt::GetVar;
    G.L = at(Dir + "layers.h", 12);
    G.Name = concat(Value::str("w"), toString(var("j#1")));
    G.Shape = Stmt::ShapeDims;
    G.Dims = {Value::integer(4), Value::integer(4)};
    P.add(function("leaf", {loop("j#1", S.Leaf, {G}, at(Dir + "layers.h", 11))}, Dir + "layers.h"));
  }
  for (int D = S.Depth - 1; D >= 0; --D) {
    std::string File = Dir + "level_" + std::to_string(D) + ".cpp";
    std::string Next = D + 1 == S.Depth ? "leaf" : "level_" + std::to_string(D + 1);
    // A chain of helpers: level_D_hop_0 -> ... -> Next (the deep part).
    std::string Entry = Next;
    for (int C = S.Chain - 1; C >= 0; --C) {
      std::string Hop = "level_" + std::to_string(D) + "_hop_" + std::to_string(C);
      P.add(function(Hop, {call(Entry, at(File, 40 + C))}, File));
      Entry = Hop;
    }
    Stmt Guard;
    Guard.K = Stmt::VarScope;
    Guard.L = at(File, 21);
    Guard.Id = "scope#2";
    Guard.Name = concat(Value::str("b"), toString(var("i#1")));
    P.add(function("level_" + std::to_string(D),
                   {loop("i#1", S.Width, {Guard, call(Entry, at(File, 22))}, at(File, 20))}, File));
  }
  P.add(function("main", {call("level_0", at(Dir + "main.cpp", 5))}, Dir + "main.cpp"));
  return P;
}

long peakRssKiB() {
  rusage U{};
  getrusage(RUSAGE_SELF, &U);
  return U.ru_maxrss;
}

} // namespace

int main(int argc, char **argv) {
  long Want = argc > 1 ? std::atol(argv[1]) : 0;
  bool Ran = false;
  for (const Shape &S : Shapes) {
    if (Want && S.Variables != Want)
      continue;
    Ran = true;
    auto T0 = std::chrono::steady_clock::now();
    analysis::Program P = build(S);
    auto T1 = std::chrono::steady_clock::now();
    analysis::ResolverOptions Opts;
    analysis::Result R = analysis::resolve(P, Opts);
    auto T2 = std::chrono::steady_clock::now();
    std::printf("variables=%zu events=%zu expected=%ld depth=%d width=%d build_s=%.3f resolve_s=%.3f "
                "peak_rss_mib=%.1f budget_exceeded=%d\n",
                R.Variables.size(), R.Events.size(), S.Variables, S.Depth * (S.Chain + 1) + 2, S.Width,
                std::chrono::duration<double>(T1 - T0).count(), std::chrono::duration<double>(T2 - T1).count(),
                peakRssKiB() / 1024.0, R.BudgetExceeded ? 1 : 0);
    if (static_cast<long>(R.Variables.size()) != S.Variables || R.BudgetExceeded)
      return 1;
  }
  if (!Ran) {
    std::fprintf(stderr, "usage: resolver_bench [10000|100000|1000000]\n");
    return 2;
  }
  return 0;
}
