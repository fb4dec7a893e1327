// Builds facts by hand so resolver tests need no Clang.
#pragma once

#include "Analysis/Program.h"
#include "Analysis/Resolver.h"

#include <string>
#include <utility>
#include <vector>

namespace vstest {

using varscope::facts::Stmt;
using varscope::facts::Value;
using varscope::facts::ReuseArg;

inline varscope::facts::Loc at(unsigned Line) { return {"test.cpp", Line, 1}; }

/// Resolves a program made of `Fns`.
inline varscope::analysis::Result run(std::vector<varscope::facts::Function> Fns,
                                      const varscope::analysis::ResolverOptions &Opts = {}) {
  varscope::analysis::Program P;
  for (auto &F : Fns)
    P.add(std::move(F));
  return varscope::analysis::resolve(P, Opts);
}

inline Value str(std::string S) { return Value::str(std::move(S)); }
inline Value param(int I) {
  Value V;
  V.K = Value::Param;
  V.I = I;
  return V;
}
inline Value var(std::string Id) {
  Value V;
  V.K = Value::Var;
  V.Text = std::move(Id);
  return V;
}
inline Value concat(std::vector<Value> Parts) {
  Value V;
  V.K = Value::Concat;
  V.Args = std::move(Parts);
  return V;
}
inline Value toString(Value X) {
  Value V;
  V.K = Value::ToString;
  V.Args.push_back(std::move(X));
  return V;
}

inline Stmt block(std::vector<Stmt> Body) {
  Stmt S;
  S.K = Stmt::Block;
  S.Body = std::move(Body);
  return S;
}
inline Stmt scope(std::string Name, unsigned Line, ReuseArg Reuse = ReuseArg::Unset, std::string Id = "") {
  Stmt S;
  S.K = Stmt::VarScope;
  S.Name = str(std::move(Name));
  S.L = at(Line);
  S.Reuse = Reuse;
  S.ReuseLoc = Reuse == ReuseArg::Unset ? varscope::facts::Loc() : at(Line);
  S.Id = std::move(Id);
  return S;
}
inline Stmt scopeNamed(Value Name, unsigned Line) {
  Stmt S = scope("", Line);
  S.Name = std::move(Name);
  return S;
}
inline Stmt defaultScope(std::string DefaultName, unsigned Line) {
  Stmt S;
  S.K = Stmt::VarScope;
  S.DefaultNameForm = true;
  S.Name.K = Value::Null; // variable_scope(nullptr, default_name)
  S.DefaultName = str(std::move(DefaultName));
  S.L = at(Line);
  return S;
}
inline Stmt reenter(std::string CapturedId, unsigned Line) {
  Stmt S;
  S.K = Stmt::VarScope;
  S.FromCaptured = true;
  S.Target = std::move(CapturedId);
  S.L = at(Line);
  return S;
}
inline Stmt capture(std::string Id, std::string From, unsigned Line) {
  Stmt S;
  S.K = Stmt::Capture;
  S.Id = std::move(Id);
  S.Target = std::move(From);
  S.L = at(Line);
  return S;
}
inline Stmt reuseVariables(std::string Target, unsigned Line) {
  Stmt S;
  S.K = Stmt::ReuseVars;
  S.Target = std::move(Target);
  S.L = at(Line);
  return S;
}
inline Stmt nameScope(std::string Name, unsigned Line) {
  Stmt S;
  S.K = Stmt::NameScope;
  S.Name = str(std::move(Name));
  S.L = at(Line);
  return S;
}
inline Stmt getVar(Value Name, unsigned Line, std::vector<std::int64_t> Dims = {1}) {
  Stmt S;
  S.K = Stmt::GetVar;
  S.Name = std::move(Name);
  S.L = at(Line);
  S.Shape = Stmt::ShapeDims;
  for (std::int64_t D : Dims)
    S.Dims.push_back(Value::integer(D));
  return S;
}
inline Stmt getVar(std::string Name, unsigned Line, std::vector<std::int64_t> Dims = {1}) {
  return getVar(str(std::move(Name)), Line, std::move(Dims));
}
inline Stmt call(std::string Callee, std::vector<Value> Args, unsigned Line) {
  Stmt S;
  S.K = Stmt::Call;
  S.Callee = Callee;
  S.CalleeName = std::move(Callee);
  S.Args = std::move(Args);
  S.L = at(Line);
  return S;
}
inline Stmt forRange(std::string Id, std::int64_t From, std::int64_t To, std::vector<Stmt> Body) {
  Stmt S;
  S.K = Stmt::For;
  S.Id = std::move(Id);
  S.From = Value::integer(From);
  S.To = Value::integer(To);
  S.Cmp = "<";
  S.Body = std::move(Body);
  return S;
}
inline Stmt ifElse(std::vector<Stmt> Then, std::vector<Stmt> Else) {
  Stmt S;
  S.K = Stmt::If;
  S.Body = std::move(Then);
  S.Else = std::move(Else);
  return S;
}

inline varscope::facts::Function function(std::string Name, std::vector<Stmt> Body,
                                          std::vector<std::string> Params = {}) {
  varscope::facts::Function F;
  F.USR = Name;
  F.Name = std::move(Name);
  F.Params = std::move(Params);
  F.Body = block(std::move(Body));
  return F;
}

/// The full names of the variables created, in creation order.
inline std::vector<std::string> names(const varscope::analysis::Result &R) {
  std::vector<std::string> Out;
  for (const auto &V : R.Variables)
    Out.push_back(V.Name);
  return Out;
}

inline std::vector<varscope::analysis::Outcome> outcomes(const varscope::analysis::Result &R) {
  std::vector<varscope::analysis::Outcome> Out;
  for (const auto &E : R.Events)
    Out.push_back(E.Out);
  return Out;
}

} // namespace vstest
