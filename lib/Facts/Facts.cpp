//===- Facts.cpp - JSON form of the per-TU facts --------------------------===//
#include "Facts/Facts.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using nlohmann::json;

namespace varscope::facts {

const char *toString(ReuseArg R) {
  switch (R) {
  case ReuseArg::Unset:
    return "";
  case ReuseArg::True:
    return "true";
  case ReuseArg::False:
    return "false";
  case ReuseArg::Auto:
    return "auto";
  case ReuseArg::Unknown:
    return "unknown";
  }
  return "";
}

ReuseArg reuseArgFromString(const std::string &S) {
  if (S == "true")
    return ReuseArg::True;
  if (S == "false")
    return ReuseArg::False;
  if (S == "auto")
    return ReuseArg::Auto;
  if (S == "unknown")
    return ReuseArg::Unknown;
  return ReuseArg::Unset;
}

namespace {

json locJ(const Loc &L) {
  if (!L.valid())
    return nullptr;
  json J = {{"f", L.File}, {"l", L.Line}, {"c", L.Col}};
  if (L.EndLine)
    J["el"] = L.EndLine, J["ec"] = L.EndCol;
  return J;
}

Loc locF(const json &J) {
  Loc L;
  if (!J.is_object())
    return L;
  L.File = J.value("f", "");
  L.Line = J.value("l", 0u);
  L.Col = J.value("c", 0u);
  L.EndLine = J.value("el", 0u);
  L.EndCol = J.value("ec", 0u);
  return L;
}

json replJ(const std::optional<Replacement> &R) {
  if (!R)
    return nullptr;
  return {{"f", R->File}, {"o", R->Offset}, {"n", R->Length}, {"t", R->Text}};
}

std::optional<Replacement> replF(const json &J) {
  if (!J.is_object())
    return std::nullopt;
  return Replacement{J.value("f", ""), J.value("o", 0u), J.value("n", 0u), J.value("t", "")};
}

json valueJ(const Value &V) {
  json J = {{"k", static_cast<int>(V.K)}};
  if (!V.S.empty())
    J["s"] = V.S;
  if (V.I)
    J["i"] = V.I;
  if (!V.Text.empty())
    J["t"] = V.Text;
  if (!V.Args.empty()) {
    json A = json::array();
    for (const Value &X : V.Args)
      A.push_back(valueJ(X));
    J["a"] = std::move(A);
  }
  if (V.L.valid())
    J["loc"] = locJ(V.L);
  return J;
}

Value valueF(const json &J) {
  Value V;
  if (!J.is_object())
    return V;
  V.K = static_cast<Value::Kind>(J.value("k", 0));
  V.S = J.value("s", "");
  V.I = J.value("i", std::int64_t(0));
  V.Text = J.value("t", "");
  if (J.contains("a"))
    for (const json &X : J["a"])
      V.Args.push_back(valueF(X));
  if (J.contains("loc"))
    V.L = locF(J["loc"]);
  return V;
}

json valuesJ(const std::vector<Value> &Vs) {
  json A = json::array();
  for (const Value &V : Vs)
    A.push_back(valueJ(V));
  return A;
}

std::vector<Value> valuesF(const json &J) {
  std::vector<Value> Out;
  if (J.is_array())
    for (const json &X : J)
      Out.push_back(valueF(X));
  return Out;
}

json stmtJ(const Stmt &S);

json stmtsJ(const std::vector<Stmt> &Ss) {
  json A = json::array();
  for (const Stmt &S : Ss)
    A.push_back(stmtJ(S));
  return A;
}

json stmtJ(const Stmt &S) {
  json J = {{"k", static_cast<int>(S.K)}};
  if (S.L.valid())
    J["loc"] = locJ(S.L);
  if (!S.Body.empty())
    J["body"] = stmtsJ(S.Body);
  if (!S.Else.empty())
    J["else"] = stmtsJ(S.Else);
  if (!S.Id.empty())
    J["id"] = S.Id;
  if (S.Temporary)
    J["tmp"] = true;
  if (S.Name != Value())
    J["name"] = valueJ(S.Name);
  if (S.DefaultNameForm) {
    J["dnf"] = true;
    J["dn"] = valueJ(S.DefaultName);
  }
  if (!S.Target.empty())
    J["target"] = S.Target;
  if (S.FromCaptured)
    J["cap"] = true;
  if (S.Reuse != ReuseArg::Unset)
    J["reuse"] = toString(S.Reuse);
  if (S.ReuseLoc.valid())
    J["reuseLoc"] = locJ(S.ReuseLoc);
  if (S.ReuseFix)
    J["reuseFix"] = replJ(S.ReuseFix);
  if (S.AutoReuseFix)
    J["autoReuseFix"] = replJ(S.AutoReuseFix);
  if (S.Aux != ReuseArg::Unset)
    J["aux"] = toString(S.Aux);
  if (S.Partitioner.K != PartitionerFact::None) {
    J["part"] = {{"k", static_cast<int>(S.Partitioner.K)},
                 {"shards", valueJ(S.Partitioner.Shards)},
                 {"axis", valueJ(S.Partitioner.Axis)},
                 {"t", S.Partitioner.Text}};
    if (!S.Partitioner.Args.empty())
      J["part"]["args"] = valuesJ(S.Partitioner.Args);
  }
  if (S.This != Value())
    J["this"] = valueJ(S.This);
  if (!S.DType.empty())
    J["dtype"] = S.DType;
  if (!S.Initializer.empty())
    J["init"] = S.Initializer;
  if (S.Fix)
    J["fix"] = replJ(S.Fix);
  if (S.Local)
    J["local"] = true;
  if (S.Shape != Stmt::ShapeNone) {
    J["shape"] = static_cast<int>(S.Shape);
    J["dims"] = valuesJ(S.Dims);
  }
  if (!S.Callee.empty())
    J["callee"] = S.Callee, J["calleeName"] = S.CalleeName;
  if (!S.Args.empty())
    J["args"] = valuesJ(S.Args);
  if (S.K == Stmt::For) {
    J["from"] = valueJ(S.From);
    J["to"] = valueJ(S.To);
    J["cmp"] = S.Cmp;
    J["step"] = S.Step;
  }
  return J;
}

Stmt stmtF(const json &J);

std::vector<Stmt> stmtsF(const json &J) {
  std::vector<Stmt> Out;
  if (J.is_array())
    for (const json &X : J)
      Out.push_back(stmtF(X));
  return Out;
}

Stmt stmtF(const json &J) {
  Stmt S;
  S.K = static_cast<Stmt::Kind>(J.value("k", 0));
  if (J.contains("loc"))
    S.L = locF(J["loc"]);
  if (J.contains("body"))
    S.Body = stmtsF(J["body"]);
  if (J.contains("else"))
    S.Else = stmtsF(J["else"]);
  S.Id = J.value("id", "");
  S.Temporary = J.value("tmp", false);
  if (J.contains("name"))
    S.Name = valueF(J["name"]);
  S.DefaultNameForm = J.value("dnf", false);
  if (J.contains("dn"))
    S.DefaultName = valueF(J["dn"]);
  S.Target = J.value("target", "");
  S.FromCaptured = J.value("cap", false);
  S.Reuse = reuseArgFromString(J.value("reuse", ""));
  if (J.contains("reuseLoc"))
    S.ReuseLoc = locF(J["reuseLoc"]);
  if (J.contains("reuseFix"))
    S.ReuseFix = replF(J["reuseFix"]);
  if (J.contains("autoReuseFix"))
    S.AutoReuseFix = replF(J["autoReuseFix"]);
  S.Aux = reuseArgFromString(J.value("aux", ""));
  if (J.contains("part")) {
    const json &P = J["part"];
    S.Partitioner.K = static_cast<PartitionerFact::Kind>(P.value("k", 0));
    S.Partitioner.Shards = valueF(P["shards"]);
    S.Partitioner.Axis = valueF(P["axis"]);
    S.Partitioner.Text = P.value("t", "");
    if (P.contains("args"))
      S.Partitioner.Args = valuesF(P["args"]);
  }
  if (J.contains("this"))
    S.This = valueF(J["this"]);
  S.DType = J.value("dtype", "");
  S.Initializer = J.value("init", "");
  if (J.contains("fix"))
    S.Fix = replF(J["fix"]);
  S.Local = J.value("local", false);
  if (J.contains("shape")) {
    S.Shape = static_cast<Stmt::ShapeKind>(J.value("shape", 0));
    S.Dims = valuesF(J["dims"]);
  }
  S.Callee = J.value("callee", "");
  S.CalleeName = J.value("calleeName", "");
  if (J.contains("args"))
    S.Args = valuesF(J["args"]);
  if (S.K == Stmt::For) {
    S.From = valueF(J["from"]);
    S.To = valueF(J["to"]);
    S.Cmp = J.value("cmp", "<");
    S.Step = J.value("step", std::int64_t(1));
  }
  return S;
}

} // namespace

namespace {
json tuJ(const TUFacts &F) {
  json J = {{"format", "varscope-facts-1"}, {"main", F.MainFile}};
  json Fns = json::array();
  for (const Function &Fn : F.Functions)
    Fns.push_back({{"usr", Fn.USR},
                   {"name", Fn.Name},
                   {"loc", locJ(Fn.L)},
                   {"params", Fn.Params},
                   {"lambda", Fn.IsLambda},
                   {"body", stmtJ(Fn.Body)}});
  J["functions"] = std::move(Fns);
  return J;
}

std::optional<TUFacts> tuF(const json &J) {
  if (!J.is_object() || J.value("format", "") != "varscope-facts-1")
    return std::nullopt;
  TUFacts F;
  F.MainFile = J.value("main", "");
  for (const json &X : J["functions"]) {
    Function Fn;
    Fn.USR = X.value("usr", "");
    Fn.Name = X.value("name", "");
    Fn.L = locF(X["loc"]);
    Fn.Params = X.value("params", std::vector<std::string>{});
    Fn.IsLambda = X.value("lambda", false);
    Fn.Body = stmtF(X["body"]);
    F.Functions.push_back(std::move(Fn));
  }
  return F;
}
} // namespace

std::string toJSON(const TUFacts &F) { return tuJ(F).dump(); }

std::optional<TUFacts> fromJSON(const std::string &Text) {
  try {
    return tuF(json::parse(Text));
  } catch (const json::exception &) {
    return std::nullopt;
  }
}

std::string indexToJSON(std::vector<TUFacts> TUs) {
  std::sort(TUs.begin(), TUs.end(), [](const TUFacts &A, const TUFacts &B) { return A.MainFile < B.MainFile; });
  std::string Out = "{\"format\":\"varscope-index-1\",\"tus\":[";
  for (size_t I = 0; I < TUs.size(); ++I)
    Out += (I ? ",\n" : "\n") + tuJ(TUs[I]).dump();
  return Out + "\n]}\n";
}

std::optional<std::vector<TUFacts>> indexFromJSON(const std::string &Text) {
  try {
    json J = json::parse(Text);
    if (!J.is_object() || J.value("format", "") != "varscope-index-1")
      return std::nullopt;
    std::vector<TUFacts> Out;
    for (const json &X : J.at("tus")) {
      std::optional<TUFacts> F = tuF(X);
      if (!F)
        return std::nullopt;
      Out.push_back(std::move(*F));
    }
    return Out;
  } catch (const json::exception &) {
    return std::nullopt;
  }
}

} // namespace varscope::facts
