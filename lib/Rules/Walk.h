//===- Walk.h - Visit every statement of every function ---------*- C++ -*-===//
#pragma once

#include "Analysis/Program.h"

namespace varscope::rules {

/// Calls Fn(Function, Stmt) for every statement of every function of the
/// program (reachable or not), in a deterministic order.
template <class F> void forEachStmt(const analysis::Program &P, F &&Fn) {
  struct Rec {
    static void go(const facts::Function &Func, const facts::Stmt &S, F &Fn) {
      Fn(Func, S);
      for (const facts::Stmt &C : S.Body)
        go(Func, C, Fn);
      for (const facts::Stmt &C : S.Else)
        go(Func, C, Fn);
    }
  };
  for (const auto &[USR, Func] : P.functions())
    Rec::go(Func, Func.Body, Fn);
}

} // namespace varscope::rules
