//===- Resolver.cpp - Abstract interpretation with TF's scope rules -------===//
//
// Follows shared/spec/tf-semantics.md:
//  §3.3 string scopes: name = parent/name, reuse = arg or parent's; captured
//       scopes: name kept, reuse = arg or captured's; counts[name] += 1;
//  §3.4 default names uniquified from the per-thread counters; on exit of a
//       string/default scope N every counter under "N/" is discarded; on exit
//       of a captured re-entry the counters are restored from the snapshot
//       taken at entry;
//  §3.7 reuse: False raises on an existing name, True on a missing one,
//       AUTO_REUSE does both; reuse_variables() flips one scope object;
//  §5   full name = scope name + "/" + name; name scopes never prefix it;
//  §6   partitioned variables are v/part_N.
//
// Branches are may-paths: each variable remembers the if-arms it was created
// under, and two events only interact when their arms are compatible.
// Calls are interpreted in the caller's state (context sensitive); a call
// seen twice with the same callee, arguments and scope state is summarised
// instead of being interpreted again.
//
//===----------------------------------------------------------------------===//
#include "Analysis/Resolver.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

namespace varscope::analysis {

const char *toString(Reuse R) {
  switch (R) {
  case Reuse::False:
    return "False";
  case Reuse::True:
    return "True";
  case Reuse::Auto:
    return "AUTO_REUSE";
  case Reuse::Unknown:
    return "unknown";
  }
  return "";
}

std::string shapeString(const std::optional<Dims> &S) {
  if (!S)
    return "<unknown>";
  std::string Out = "(";
  for (size_t I = 0; I < S->size(); ++I) {
    if (I)
      Out += ", ";
    Out += (*S)[I] < 0 ? std::string("?") : std::to_string((*S)[I]);
  }
  if (S->size() == 1)
    Out += ",";
  return Out + ")";
}

bool shapesCompatible(const std::optional<Dims> &A, const std::optional<Dims> &B) {
  if (!A || !B)
    return true;
  if (A->size() != B->size())
    return false;
  for (size_t I = 0; I < A->size(); ++I)
    if ((*A)[I] >= 0 && (*B)[I] >= 0 && (*A)[I] != (*B)[I])
      return false;
  return true;
}

namespace {

using facts::Stmt;
using facts::Value;

/// A partitioner with its arguments evaluated (runtime/src/partitioners.cpp).
struct PartSpec {
  enum Kind { None, Fixed, MinMax, AxisSize, Unknown, Listed } K = None;
  /// Fixed: num_shards, axis. MinMax: max_partitions, axis, min_slice_size,
  /// bytes_per_string_element. AxisSize: max_shard_bytes, axis,
  /// bytes_per_string_element, max_shards (when HasMax).
  std::int64_t A[4] = {0, 0, 0, 0};
  bool HasMax = false;
  /// Listed: what the custom partitioner returns, one count per axis.
  std::vector<std::int64_t> Counts;
  /// The partitioner as written (for messages; not part of the key).
  std::string Text;

  std::string key() const {
    std::string K2 = std::to_string(static_cast<int>(K));
    for (std::int64_t X : A)
      K2 += "," + std::to_string(X);
    K2 += "[";
    for (std::int64_t X : Counts)
      K2 += std::to_string(X) + ",";
    return K2 + "]" + (HasMax ? "m" : "");
  }
};

std::int64_t elementBytes(const std::string &DType, std::int64_t BytesPerString) {
  if (DType == "string")
    return BytesPerString;
  if (DType == "float16" || DType == "bfloat16" || DType == "int16" || DType == "uint16")
    return 2;
  if (DType == "float32" || DType == "int32")
    return 4;
  if (DType == "float64" || DType == "int64")
    return 8;
  if (DType == "int8" || DType == "uint8" || DType == "bool")
    return 1;
  return 0; // unknown
}

/// The number of shards a partitioner gives a variable, and the axis they
/// split, exactly as the runtime computes them; std::nullopt when it is not
/// known statically (unknown dimension, dtype or argument) or the runtime
/// would raise.
std::optional<std::pair<std::int64_t, int>> partitionsFor(const PartSpec &P, const Dims &Shape,
                                                          const std::string &DType) {
  if (P.K == PartSpec::None || P.K == PartSpec::Unknown || Shape.empty())
    return std::nullopt;
  int Rank = static_cast<int>(Shape.size());
  if (P.K == PartSpec::Listed) {
    // call_partitioner and compute_slices (runtime/src/variable_store.cpp,
    // partitioners.cpp): one count per axis, all >= 1, at most one > 1; the
    // sliced axis is the one > 1 (else axis 0 in one slice). More slices
    // than rows leave an empty shard whose offset PartitionInfo rejects.
    if (static_cast<int>(P.Counts.size()) != Rank)
      return std::nullopt;
    int Axis = 0;
    std::int64_t Count = 1;
    for (int I = 0; I < Rank; ++I) {
      if (P.Counts[I] < 1)
        return std::nullopt;
      if (P.Counts[I] == 1)
        continue;
      if (Count > 1)
        return std::nullopt;
      Axis = I;
      Count = P.Counts[I];
    }
    if (Shape[Axis] < 0 || (Count > 1 && Count > Shape[Axis]))
      return std::nullopt;
    return std::make_pair(Count, Axis);
  }
  std::int64_t Axis = P.A[1];
  if (Axis >= Rank || Axis < -Rank)
    return std::nullopt;
  int A = static_cast<int>(Axis < 0 ? Axis + Rank : Axis);
  std::int64_t Len = Shape[A];
  if (Len < 0)
    return std::nullopt;
  std::int64_t Count = 1;
  switch (P.K) {
  case PartSpec::Fixed:
    Count = std::min(P.A[0], Len);
    break;
  case PartSpec::MinMax: {
    double Elements = 1;
    for (std::int64_t D : Shape) {
      if (D < 0)
        return std::nullopt;
      Elements *= static_cast<double>(D);
    }
    std::int64_t Bytes = elementBytes(DType, P.A[3]);
    if (!Bytes || P.A[2] < 1)
      return std::nullopt;
    double Wanted = std::ceil(Elements * static_cast<double>(Bytes) / static_cast<double>(P.A[2]));
    Count = std::max<std::int64_t>(1, std::min({Len, P.A[0], static_cast<std::int64_t>(Wanted)}));
    break;
  }
  case PartSpec::AxisSize: {
    double Elements = 1;
    for (std::int64_t D : Shape) {
      if (D < 0)
        return std::nullopt;
      Elements *= static_cast<double>(D);
    }
    std::int64_t Bytes = elementBytes(DType, P.A[2]);
    if (!Bytes || Len == 0 || P.A[0] < 1 || P.A[2] < 1)
      return std::nullopt;
    double PerSlice = Elements / static_cast<double>(Len) * static_cast<double>(Bytes);
    double SlicesPerShard = std::max(1.0, std::floor(static_cast<double>(P.A[0]) / PerSlice));
    Count = static_cast<std::int64_t>(std::ceil(static_cast<double>(Len) / SlicesPerShard));
    if (P.HasMax && P.A[3] != 0)
      Count = std::min(P.A[3], Count);
    break;
  }
  default:
    return std::nullopt;
  }
  if (Count < 1)
    return std::nullopt;
  return std::make_pair(Count, Count > 1 ? A : 0);
}

struct ScopeObj {
  std::string Name;
  bool Known = true;
  std::string UnknownText;
  Loc UnknownLoc;
  Reuse R = Reuse::False;
  Loc ReuseOrigin;
  std::string DType = "float32";
  PartSpec Part;
};
using ScopeRef = std::shared_ptr<ScopeObj>;

/// A run-time value of the abstract program.
struct Val;
using Fields = std::map<std::string, Val>;
struct ClosureObj;

struct Val {
  enum Kind { Unknown, Null, Str, Int, Scope, List, Object, Closure } K = Unknown;
  std::string S = "<?>"; ///< Str; Unknown: a partial rendering
  std::int64_t I = 0;
  ScopeRef Sc;
  std::vector<Val> Elems;      ///< List
  std::shared_ptr<Fields> Obj; ///< Object: its data members, shared by every handle
  std::shared_ptr<const ClosureObj> Cl; ///< Closure
  std::string Why;
  Loc WhyLoc;

  static Val str(std::string S) {
    Val V;
    V.K = Str;
    V.S = std::move(S);
    return V;
  }
  static Val integer(std::int64_t I) {
    Val V;
    V.K = Int;
    V.I = I;
    V.S = std::to_string(I);
    return V;
  }
  static Val unknown(std::string Why, Loc L, std::string Partial = "<?>") {
    Val V;
    V.Why = std::move(Why);
    V.WhyLoc = std::move(L);
    V.S = std::move(Partial);
    return V;
  }
  static Val scope(ScopeRef R) {
    Val V;
    V.K = Scope;
    V.Sc = std::move(R);
    return V;
  }
  std::string key() const {
    switch (K) {
    case Unknown:
      return "?";
    case Null:
      return "null";
    case Str:
      return "s" + S;
    case Int:
      return "i" + std::to_string(I);
    case Scope:
      return "scope:" + Sc->Name + "#" + std::to_string(static_cast<int>(Sc->R));
    case List: {
      std::string K2 = "[";
      for (const Val &E : Elems)
        K2 += E.key() + ",";
      return K2 + "]";
    }
    case Object: {
      std::string K2 = "{";
      for (const auto &[N, V] : *Obj)
        K2 += N + "=" + V.key() + ";";
      return K2 + "}";
    }
    case Closure:
      return closureKey();
    }
    return "";
  }
  std::string closureKey() const;
  /// Truth value in a condition: 1, 0, or -1 (unknown).
  int truth() const {
    if (K == Int)
      return I != 0;
    if (K == Null)
      return 0;
    if (K == Str)
      return 1; // a non-null pointer / string
    return -1;
  }
};

/// A lambda as a value: its call operator and what it captured where the
/// lambda expression was evaluated. By-value captures are the values of that
/// moment, as in C++. By-reference captures are re-read from the creating
/// activation when the closure runs while that activation is still live
/// (Home); after it has returned they keep the values of the moment of
/// creation (a dangling reference in C++).
struct ClosureObj {
  std::string USR;
  std::map<std::string, Val> Env; ///< captured locals by id
  std::set<std::string> ByRef;    ///< the ids captured by reference
  Val This;                       ///< the captured `this` (or a copy of `*this`)
  unsigned Home = 0;              ///< Activation::Serial of the creator
};

std::string Val::closureKey() const {
  std::string K2 = "closure:" + Cl->USR + "{";
  for (const auto &[N, V] : Cl->Env)
    K2 += N + "=" + V.key() + ";";
  return K2 + "}this:" + Cl->This.key();
}

struct Frame {
  enum Kind { VarScope, NameScope } K = VarScope;
  ScopeRef Installed;
  ScopeRef Prev;
  std::string Key; ///< full scope name
  bool Captured = false;
  std::map<std::string, int> Snapshot;
  std::string NsName;
  Loc L;
};

struct ThreadState {
  ScopeRef Current = std::make_shared<ScopeObj>();
  std::vector<Frame> Stack;
  std::map<std::string, int> Counts;
  std::string ParentScope; ///< for threads: the spawner's scope
  Loc ThreadSite;
};

struct Activation {
  const facts::Function *Fn = nullptr;
  unsigned Serial = 0; ///< identifies the activation to the closures it creates
  std::vector<Val> Params;
  std::map<std::string, Val> Env;
  Val This;              ///< the object of a method or constructor
  bool Returned = false; ///< a return ran: the rest of the body does not
  bool Broken = false;    ///< a break ran: the rest of the loop does not
  bool Continued = false; ///< a continue ran: the rest of this iteration does not
  bool stopped() const { return Returned || Broken || Continued; }
  /// After one iteration of a loop: true when the loop ends here.
  bool endIteration() {
    Continued = false;
    bool End = Returned || Broken;
    Broken = false;
    return End;
  }
};

using Cond = std::vector<std::pair<int, int>>; ///< (if instance, arm)

bool compatible(const Cond &A, const Cond &B) {
  for (const auto &[Id, Arm] : A)
    for (const auto &[Id2, Arm2] : B)
      if (Id == Id2 && Arm != Arm2)
        return false;
  return true;
}

struct Summary {
  int Seen = 0;
  std::map<std::string, int> CountsAfter;
  Reuse CurrentReuseAfter = Reuse::False;
  Loc ReuseOriginAfter;
  std::optional<Fields> ThisAfter; ///< the object's members after the call
};

class Interpreter {
public:
  Interpreter(const Program &P, const ResolverOptions &Opts, Result &R) : P(P), Opts(Opts), R(R) {}

  void runEntry(const facts::Function &F) {
    Store.clear();
    Memo.clear();
    T = ThreadState();
    Stack.clear();
    SnapshotValid = false;
    CurCond.clear();
    Live.clear();
    Activation A;
    A.Fn = &F;
    for (size_t I = 0; I < F.Params.size(); ++I)
      A.Params.push_back(Val::unknown("parameter '" + F.Params[I] + "' of entry point '" + F.Name + "'", F.L));
    Active.insert(F.USR);
    enter(A);
    block(F.Body, A);
    leave(A);
    Active.erase(F.USR);
  }

private:
  // -- values -----------------------------------------------------------------

  Val eval(const Value &V, Activation &A) {
    switch (V.K) {
    case Value::Str:
      return Val::str(V.S);
    case Value::Int:
      return Val::integer(V.I);
    case Value::Null: {
      Val X;
      X.K = Val::Null;
      X.S = "nullptr";
      return X;
    }
    case Value::Param:
      if (V.I >= 0 && static_cast<size_t>(V.I) < A.Params.size())
        return A.Params[V.I];
      return Val::unknown("'" + V.Text + "'", V.L);
    case Value::Var: {
      if (V.Text == "@current")
        return Val::scope(T.Current);
      if (V.Text == "@this")
        return A.This;
      if (V.Text.rfind("field:", 0) == 0) {
        if (A.This.K == Val::Object)
          if (auto It = A.This.Obj->find(V.Text.substr(6)); It != A.This.Obj->end())
            return It->second;
        return Val::unknown("member '" + V.Text.substr(6) + "'", V.L);
      }
      if (V.Text.rfind("param:", 0) == 0) {
        size_t I = std::stoul(V.Text.substr(6));
        return I < A.Params.size() ? A.Params[I] : Val::unknown("parameter", V.L);
      }
      auto It = A.Env.find(V.Text);
      if (It != A.Env.end())
        return It->second;
      std::string Name = V.Text.substr(0, V.Text.find('#'));
      return Val::unknown("'" + Name + "'", V.L);
    }
    case Value::Concat: {
      std::string S;
      bool Known = true;
      Val FirstUnknown;
      for (const Value &Part : V.Args) {
        Val X = eval(Part, A);
        if (X.K == Val::Str) {
          S += X.S;
          continue;
        }
        if (Known)
          FirstUnknown = X;
        Known = false;
        S += X.K == Val::Unknown ? X.S : "<?>";
      }
      if (Known)
        return Val::str(S);
      return Val::unknown(FirstUnknown.Why.empty() ? "'" + V.Text + "'" : FirstUnknown.Why,
                          FirstUnknown.WhyLoc.valid() ? FirstUnknown.WhyLoc : V.L, S);
    }
    case Value::ToString: {
      Val X = V.Args.empty() ? Val::unknown("?", V.L) : eval(V.Args[0], A);
      if (X.K == Val::Int)
        return Val::str(std::to_string(X.I));
      if (X.K == Val::Unknown)
        return X;
      return Val::unknown("std::to_string argument", V.L);
    }
    case Value::List: {
      Val X;
      X.K = Val::List;
      for (const Value &E : V.Args)
        X.Elems.push_back(eval(E, A));
      return X;
    }
    case Value::Arith: {
      if (V.Text == "!" && V.Args.size() == 1) {
        int B = eval(V.Args[0], A).truth();
        return B < 0 ? Val::unknown("condition", V.L) : Val::integer(!B);
      }
      if (V.Args.size() != 2)
        return Val::unknown(V.Text, V.L);
      if (V.Text == "&&" || V.Text == "||") {
        int L = eval(V.Args[0], A).truth();
        bool And = V.Text == "&&";
        if (L == (And ? 0 : 1))
          return Val::integer(L);
        int Rt = eval(V.Args[1], A).truth();
        if (L < 0)
          return Rt == (And ? 0 : 1) ? Val::integer(Rt) : Val::unknown("condition", V.L);
        return Rt < 0 ? Val::unknown("condition", V.L) : Val::integer(Rt);
      }
      Val L = eval(V.Args[0], A), Rr = eval(V.Args[1], A);
      if ((V.Text == "==" || V.Text == "!=") && L.K == Val::Str && Rr.K == Val::Str)
        return Val::integer((L.S == Rr.S) == (V.Text == "=="));
      if (L.K != Val::Int || Rr.K != Val::Int)
        return L.K == Val::Unknown ? L : (Rr.K == Val::Unknown ? Rr : Val::unknown("arithmetic", V.L));
      std::int64_t X = L.I, Y = Rr.I;
      if (V.Text == "+")
        return Val::integer(X + Y);
      if (V.Text == "-")
        return Val::integer(X - Y);
      if (V.Text == "*")
        return Val::integer(X * Y);
      if (V.Text == "/" && Y)
        return Val::integer(X / Y);
      if (V.Text == "%" && Y)
        return Val::integer(X % Y);
      if (V.Text == "==")
        return Val::integer(X == Y);
      if (V.Text == "!=")
        return Val::integer(X != Y);
      if (V.Text == "<")
        return Val::integer(X < Y);
      if (V.Text == "<=")
        return Val::integer(X <= Y);
      if (V.Text == ">")
        return Val::integer(X > Y);
      if (V.Text == ">=")
        return Val::integer(X >= Y);
      return Val::unknown("arithmetic", V.L);
    }
    case Value::Closure:
      return closure(V, A);
    case Value::Capture:
    case Value::Unknown:
      break;
    }
    return Val::unknown("'" + V.Text + "'", V.L);
  }

  // -- closures ---------------------------------------------------------------

  /// The closure a lambda expression creates in activation A.
  Val closure(const Value &V, Activation &A) {
    auto C = std::make_shared<ClosureObj>();
    C->USR = V.Text;
    C->Home = A.Serial;
    for (const Value &Cap : V.Args) {
      if (Cap.K != Value::Capture || Cap.Args.empty())
        continue;
      Val X = eval(Cap.Args[0], A);
      if (Cap.Text == "@this") {
        if (!Cap.I && X.K == Val::Object) // [*this]: a copy of the object
          X.Obj = std::make_shared<Fields>(*X.Obj);
        C->This = std::move(X);
        continue;
      }
      C->Env[Cap.Text] = std::move(X);
      if (Cap.I)
        C->ByRef.insert(Cap.Text);
    }
    Val R;
    R.K = Val::Closure;
    R.Cl = std::move(C);
    return R;
  }

  /// C with its by-reference captures re-read from the activation that
  /// created it, while that activation is live.
  Val refresh(const Val &C) {
    if (C.K != Val::Closure || C.Cl->ByRef.empty())
      return C;
    auto Home = Live.find(C.Cl->Home);
    if (Home == Live.end())
      return C;
    std::shared_ptr<ClosureObj> Copy;
    for (const std::string &Id : C.Cl->ByRef) {
      auto It = Home->second->Env.find(Id);
      if (It == Home->second->Env.end() || It->second.key() == C.Cl->Env.at(Id).key())
        continue;
      if (!Copy)
        Copy = std::make_shared<ClosureObj>(*C.Cl);
      Copy->Env[Id] = It->second;
    }
    if (!Copy)
      return C;
    Val R = C;
    R.Cl = std::move(Copy);
    return R;
  }

  void enter(Activation &A) {
    A.Serial = ++NextSerial;
    Live[A.Serial] = &A;
  }
  void leave(const Activation &A) { Live.erase(A.Serial); }

  // -- statements -------------------------------------------------------------

  bool step() {
    if (Steps >= Opts.Budget) {
      R.BudgetExceeded = true;
      return false;
    }
    ++Steps;
    return true;
  }

  void block(const Stmt &B, Activation &A) {
    size_t Depth = T.Stack.size();
    for (const Stmt &S : B.Body) {
      if (A.stopped() || !step())
        break;
      stmt(S, A);
    }
    while (T.Stack.size() > Depth)
      popFrame();
  }

  void body(const std::vector<Stmt> &Body, Activation &A) {
    for (const Stmt &S : Body) {
      if (A.stopped() || !step())
        return;
      stmt(S, A);
    }
  }

  void stmt(const Stmt &S, Activation &A) {
    switch (S.K) {
    case Stmt::Block:
      block(S, A);
      return;
    case Stmt::VarScope: {
      size_t Depth = T.Stack.size();
      varScope(S, A);
      if (S.Temporary)
        while (T.Stack.size() > Depth)
          popFrame();
      return;
    }
    case Stmt::NameScope: {
      if (S.Temporary)
        return;
      Frame F;
      F.K = Frame::NameScope;
      Val N = eval(S.Name, A);
      F.NsName = N.K == Val::Str ? N.S : N.S;
      F.L = S.L;
      T.Stack.push_back(std::move(F));
      return;
    }
    case Stmt::GetVar:
      getVariable(S, A);
      return;
    case Stmt::ReuseVars: {
      ScopeRef Target = scopeOf(S.Target, A);
      if (!Target)
        return;
      Target->R = Reuse::True;
      Target->ReuseOrigin = S.L;
      return;
    }
    case Stmt::Capture: {
      ScopeRef Target = scopeOf(S.Target, A);
      assign(S.Id, Target ? Val::scope(Target) : Val::unknown("captured scope", S.L), A);
      return;
    }
    case Stmt::Let:
      assign(S.Id, eval(S.Name, A), A);
      return;
    case Stmt::Return:
      A.Returned = true;
      return;
    case Stmt::Break:
      A.Broken = true;
      return;
    case Stmt::Continue:
      A.Continued = true;
      return;
    case Stmt::Call:
      call(S, A);
      return;
    case Stmt::Thread:
      thread(S, A);
      return;
    case Stmt::For:
      forLoop(S, A);
      return;
    case Stmt::ForEach: {
      std::vector<Val> Values;
      for (const Value &V : S.Args)
        Values.push_back(eval(V, A));
      for (const Val &V : Values) {
        A.Env[S.Id] = V;
        body(S.Body, A);
        if (A.endIteration())
          break;
      }
      A.Env.erase(S.Id);
      return;
    }
    case Stmt::Loop: {
      Val Range = S.Name.K == Value::Unknown ? Val() : eval(S.Name, A);
      if (Range.K == Val::List && !S.Id.empty()) {
        // A range-for over a list whose length is known (its elements may not be).
        for (const Val &V : Range.Elems) {
          A.Env[S.Id] = V;
          body(S.Body, A);
          if (A.endIteration() || R.BudgetExceeded)
            break;
        }
        A.Env.erase(S.Id);
        return;
      }
      if (!S.Id.empty())
        A.Env[S.Id] = Val::unknown("loop variable '" + S.Id.substr(0, S.Id.find('#')) + "'", S.L);
      body(S.Body, A);
      A.endIteration();
      return;
    }
    case Stmt::If:
      ifStmt(S, A);
      return;
    }
  }

  ScopeRef scopeOf(const std::string &Target, Activation &A) {
    if (Target.empty())
      return T.Current;
    if (Target.rfind("param:", 0) == 0) {
      size_t I = std::stoul(Target.substr(6));
      if (I < A.Params.size() && A.Params[I].K == Val::Scope)
        return A.Params[I].Sc;
      return nullptr;
    }
    if (Target.rfind("field:", 0) == 0) {
      if (A.This.K != Val::Object)
        return nullptr;
      auto It = A.This.Obj->find(Target.substr(6));
      return It != A.This.Obj->end() && It->second.K == Val::Scope ? It->second.Sc : nullptr;
    }
    auto It = A.Env.find(Target);
    if (It != A.Env.end() && It->second.K == Val::Scope)
      return It->second.Sc;
    return nullptr;
  }

  /// Local Id = V, or a data member of `this` for "field:<name>".
  void assign(const std::string &Id, Val V, Activation &A) {
    if (Id.rfind("field:", 0) != 0) {
      A.Env[Id] = std::move(V);
      return;
    }
    if (A.This.K == Val::Object)
      (*A.This.Obj)[Id.substr(6)] = std::move(V);
  }

  static Reuse argReuse(facts::ReuseArg RA) {
    switch (RA) {
    case facts::ReuseArg::True:
      return Reuse::True;
    case facts::ReuseArg::Auto:
      return Reuse::Auto;
    case facts::ReuseArg::Unknown:
      return Reuse::Unknown;
    default:
      return Reuse::False; // unset or false: inherit
    }
  }

  /// TF's `reuse = a_reuse or inherited` with an unknown argument.
  static Reuse combine(Reuse Arg, Reuse Inherited) {
    if (Arg == Reuse::True || Arg == Reuse::Auto)
      return Arg;
    if (Arg == Reuse::Unknown)
      return Inherited == Reuse::False ? Reuse::Unknown : Inherited;
    return Inherited;
  }

  /// The partitioner as written, evaluated (PartSpec::None when none).
  PartSpec partSpec(const facts::PartitionerFact &PF, Activation &A) {
    PartSpec P;
    P.Text = PF.Text;
    switch (PF.K) {
    case facts::PartitionerFact::None:
      return P;
    case facts::PartitionerFact::Unknown:
      P.K = PartSpec::Unknown;
      return P;
    case facts::PartitionerFact::Listed:
      P.K = PartSpec::Listed;
      for (const Value &X : PF.Args) {
        Val N = eval(X, A);
        if (N.K != Val::Int) {
          P.K = PartSpec::Unknown;
          P.Counts.clear();
          return P;
        }
        P.Counts.push_back(N.I);
      }
      return P;
    case facts::PartitionerFact::Fixed: {
      Val N = eval(PF.Shards, A), Ax = eval(PF.Axis, A);
      P.K = N.K == Val::Int && Ax.K == Val::Int ? PartSpec::Fixed : PartSpec::Unknown;
      P.A[0] = N.I;
      P.A[1] = Ax.I;
      return P;
    }
    case facts::PartitionerFact::MinMax:
    case facts::PartitionerFact::AxisSize: {
      bool MinMax = PF.K == facts::PartitionerFact::MinMax;
      P.K = MinMax ? PartSpec::MinMax : PartSpec::AxisSize;
      // The runtime's defaults for arguments not written (old facts).
      std::int64_t Defaults[4] = {MinMax ? 1 : 0, 0, MinMax ? 256 << 10 : 16, MinMax ? 16 : 0};
      for (int I = 0; I < 4; ++I) {
        P.A[I] = Defaults[I];
        if (static_cast<size_t>(I) >= PF.Args.size())
          continue;
        Val X = eval(PF.Args[I], A);
        if (!MinMax && I == 3 && X.K == Val::Null)
          continue;
        if (X.K != Val::Int) {
          P.K = PartSpec::Unknown;
          return P;
        }
        P.A[I] = X.I;
        if (!MinMax && I == 3)
          P.HasMax = true;
      }
      if (!MinMax && PF.Args.empty())
        P.K = PartSpec::Unknown; // max_shard_bytes is required
      return P;
    }
    }
    return P;
  }

  void applyPartitioner(const facts::PartitionerFact &PF, ScopeObj &Obj, Activation &A) {
    if (PF.K != facts::PartitionerFact::None)
      Obj.Part = partSpec(PF, A);
  }

  void varScope(const Stmt &S, Activation &A) {
    ScopeRef Parent = T.Current;
    auto New = std::make_shared<ScopeObj>();
    Reuse Arg = argReuse(S.Reuse);
    Frame F;
    F.K = Frame::VarScope;
    F.L = S.L;
    F.Prev = Parent;
    GuardEvent G;
    G.Site = S.L;
    G.ParentReuse = Parent->R;
    G.ParentReuseOrigin = Parent->ReuseOrigin;
    G.ParentName = Parent->Name;
    G.Path = path();
    if (S.FromCaptured) {
      ScopeRef C = scopeOf(S.Target, A);
      if (!C) {
        C = std::make_shared<ScopeObj>();
        C->Name = "<?>";
        C->Known = false;
        C->UnknownText = "a VariableScope the analyser cannot follow";
        C->UnknownLoc = S.L;
        C->R = Reuse::Unknown;
      }
      *New = *C;
      New->R = combine(Arg, C->R);
      if (Arg == Reuse::True || Arg == Reuse::Auto)
        New->ReuseOrigin = S.ReuseLoc.valid() ? S.ReuseLoc : S.L;
      F.Captured = true;
      F.Key = New->Name;
      ++T.Counts[New->Name];
      F.Snapshot = T.Counts;
      G.Captured = true;
    } else {
      std::string Part;
      bool Known = true;
      Val N;
      bool DefaultForm = S.DefaultNameForm;
      if (DefaultForm) {
        // variable_scope(name_or_null, default_name): a known name wins.
        Val Given = eval(S.Name, A);
        if (Given.K == Val::Str)
          DefaultForm = false;
        else if (Given.K == Val::Unknown) {
          DefaultForm = false;
          N = Given;
        }
      }
      if (!DefaultForm && S.DefaultNameForm) {
        N = eval(S.Name, A);
        Known = N.K == Val::Str;
        Part = N.S;
      } else if (DefaultForm) {
        N = eval(S.DefaultName, A);
        std::string Prefix = N.S;
        Known = N.K == Val::Str;
        if (!Known && N.Why.empty())
          N = Val::unknown("default name", S.L);
        std::string Full = Parent->Name.empty() ? Prefix : Parent->Name + "/" + Prefix;
        Part = Prefix;
        if (T.Counts[Full] > 0) {
          int I = 1;
          while (T.Counts[Full + "_" + std::to_string(I)] > 0)
            ++I;
          Part = Prefix + "_" + std::to_string(I);
        }
        G.DefaultName = true;
        G.DefaultBase = Known ? Prefix : "";
        Arg = Reuse::False; // not passed on: inherited
      } else {
        N = eval(S.Name, A);
        Known = N.K == Val::Str;
        Part = N.S;
        if (N.K == Val::Null) {
          Known = false;
          N = Val::unknown("nullptr scope name", S.L);
        }
      }
      New->Name = Parent->Name.empty() ? Part : Parent->Name + "/" + Part;
      New->Known = Parent->Known && Known;
      New->UnknownText = !Parent->Known ? Parent->UnknownText : N.Why;
      New->UnknownLoc = !Parent->Known ? Parent->UnknownLoc : N.WhyLoc;
      New->R = combine(Arg, Parent->R);
      New->ReuseOrigin =
          (Arg == Reuse::True || Arg == Reuse::Auto) ? (S.ReuseLoc.valid() ? S.ReuseLoc : S.L) : Parent->ReuseOrigin;
      New->DType = Parent->DType;
      New->Part = Parent->Part;
      F.Key = New->Name;
      ++T.Counts[New->Name];
    }
    if (!S.DType.empty())
      New->DType = S.DType;
    applyPartitioner(S.Partitioner, *New, A);
    G.Name = New->Name;
    R.Guards.push_back(std::move(G));
    F.Installed = New;
    T.Current = New;
    if (!S.Id.empty())
      A.Env[S.Id] = Val::scope(New);
    T.Stack.push_back(std::move(F));
  }

  void popFrame() {
    Frame F = std::move(T.Stack.back());
    T.Stack.pop_back();
    if (F.K == Frame::NameScope)
      return;
    if (F.Captured) {
      T.Counts = std::move(F.Snapshot);
    } else {
      std::string Prefix = F.Key + "/";
      for (auto It = T.Counts.lower_bound(Prefix); It != T.Counts.end() && It->first.rfind(Prefix, 0) == 0;)
        It = T.Counts.erase(It);
    }
    T.Current = F.Prev;
  }

  void getVariable(const Stmt &S, Activation &A) {
    ScopeRef Sc = T.Current;
    Val N = eval(S.Name, A);
    VarEvent E;
    E.Site = S.L;
    E.Path = path();
    E.ScopeName = Sc->Name;
    E.Mode = Sc->R;
    E.ReuseOrigin = Sc->ReuseOrigin;
    E.Name = Sc->Name.empty() ? N.S : Sc->Name + "/" + N.S;
    E.Resolved = Sc->Known && N.K == Val::Str;
    if (!E.Resolved) {
      E.UnknownText = !Sc->Known ? Sc->UnknownText : N.Why;
      E.UnknownLoc = !Sc->Known ? Sc->UnknownLoc : N.WhyLoc;
    }
    if (!T.Stack.empty() && T.Stack.back().K == Frame::NameScope) {
      E.IgnoredNameScope = T.Stack.back().NsName;
      E.IgnoredNameScopeLoc = T.Stack.back().L;
    }
    if (!T.ParentScope.empty() && Sc->Name.empty()) {
      E.ThreadParentScope = T.ParentScope;
      E.ThreadSite = T.ThreadSite;
    }
    if (S.Shape == Stmt::ShapeDims) {
      Dims D;
      for (const Value &X : S.Dims) {
        Val V = eval(X, A);
        D.push_back(V.K == Val::Int ? V.I : -1);
      }
      E.Shape = D;
    }
    E.DType = S.DType.empty() ? Sc->DType : S.DType;
    PartSpec Part = S.Partitioner.K != facts::PartitionerFact::None ? partSpec(S.Partitioner, A) : Sc->Part;
    int Axis = 0;
    if (E.Shape)
      if (auto P = partitionsFor(Part, *E.Shape, E.DType)) {
        E.Partitions = static_cast<int>(P->first);
        Axis = P->second;
      }
    // A partitioner that runs (a fully defined shape of rank >= 1) but
    // whose result the analyser cannot compute: the shards exist, unlisted.
    if (Part.K == PartSpec::Unknown && E.Shape && !E.Shape->empty() &&
        std::all_of(E.Shape->begin(), E.Shape->end(), [](std::int64_t D) { return D >= 0; }))
      E.UnknownPartitioner = Part.Text.empty() ? "<partitioner>" : Part.Text;

    if (!E.Resolved) {
      E.Out = Outcome::Unresolved;
      std::string Key = E.Name + "@" + E.Site.File + ":" + std::to_string(E.Site.Line);
      if (SeenUnresolved.insert(Key).second)
        E.Existing = create(S, E, Axis);
      R.Events.push_back(std::move(E));
      return;
    }

    // Look the name up among variables created on compatible paths.
    int Found = -1;
    bool AnyEntry = false;
    auto It = Store.find(E.Name);
    if (It != Store.end())
      for (int Idx : It->second) {
        AnyEntry = true;
        if (compatible(Conds[Idx], CurCond)) {
          Found = Idx;
          break;
        }
      }
    if (Found >= 0) {
      E.Existing = Found;
      Variable &V = R.Variables[Found];
      if (E.Mode == Reuse::False) {
        E.Out = Outcome::AlreadyExists;
      } else if (!shapesCompatible(E.Shape, V.Shape)) {
        E.Out = Outcome::ShapeMismatch;
      } else if (!S.DType.empty() && S.DType != "unknown" && V.DType != "unknown" && S.DType != V.DType) {
        E.Out = Outcome::DTypeMismatch;
      } else if (E.Partitions && V.Partitions && E.Partitions != V.Partitions) {
        E.Out = Outcome::PartitionMismatch;
      } else {
        E.Out = Outcome::Reused;
        if (std::find(V.ReuseSites.begin(), V.ReuseSites.end(), E.Site) == V.ReuseSites.end())
          V.ReuseSites.push_back(E.Site);
      }
      R.Events.push_back(std::move(E));
      return;
    }
    if (E.Mode == Reuse::True) {
      E.Out = AnyEntry ? Outcome::PathDependent : Outcome::DoesNotExist;
      R.Events.push_back(std::move(E));
      return;
    }
    E.Out = Outcome::Created;
    E.Existing = create(S, E, Axis);
    R.Events.push_back(std::move(E));
  }

  int create(const Stmt &S, const VarEvent &E, int Axis) {
    Variable V;
    V.Name = E.Name;
    V.Resolved = E.Resolved;
    V.Shape = E.Shape;
    V.DType = E.DType;
    V.Initializer = S.Initializer;
    V.Local = S.Local;
    V.Partitions = E.Partitions;
    V.PartitionAxis = Axis;
    V.Created = E.Site;
    V.Path = E.Path;
    int Idx = static_cast<int>(R.Variables.size());
    R.Variables.push_back(std::move(V));
    Conds.push_back(CurCond);
    if (E.Resolved)
      Store[E.Name].push_back(Idx);
    return Idx;
  }

  std::string memoKey(const Stmt &S, const std::vector<Val> &Args) {
    std::string K = S.Callee + "|";
    for (const Val &V : Args)
      K += V.key() + ",";
    K += "|" + T.Current->Name + "|" + toString(T.Current->R) + "|" + T.Current->DType + "|" + T.Current->Part.key() +
         "|" + std::to_string(T.Stack.size()) + "|" + std::to_string(CurCond.size()) + "|";
    if (!T.Stack.empty() && T.Stack.back().K == Frame::NameScope)
      K += "ns:" + T.Stack.back().NsName;
    for (const auto &[Name, Count] : T.Counts)
      if (Count)
        K += Name + "=" + std::to_string(Count) + ";";
    return K;
  }

  void call(const Stmt &S, Activation &A) {
    // The closure a lambda runs with: the lambda value called (`f()` on a
    // closure, a template parameter or a std::function).
    Val Callable;
    const facts::Function *F = nullptr;
    if (S.Callee.empty()) {
      // Through a std::function: the closure it holds says what runs.
      Callable = refresh(eval(S.This, A));
      if (Callable.K != Val::Closure)
        return;
      F = P.find(Callable.Cl->USR);
    } else {
      F = P.find(S.Callee);
    }
    if (!F || Active.count(F->USR) || Stack.size() >= Opts.MaxDepth)
      return;
    Activation Callee;
    Callee.Fn = F;
    for (const Value &V : S.Args)
      Callee.Params.push_back(refresh(eval(V, A)));
    if (F->IsLambda) {
      if (!S.Callee.empty() && S.This != Value())
        Callable = refresh(eval(S.This, A));
      if (Callable.K == Val::Closure) {
        // What the lambda captured where it was created.
        Callee.Env = Callable.Cl->Env;
        Callee.This = Callable.Cl->This;
      } else {
        // A closure the analyser did not follow: assume it is called where
        // it was created (ids are unique per declaration, so locals of any
        // other function are simply not found).
        Callee.Env = A.Env;
        Callee.This = A.This;
      }
    } else if (S.This.K == Value::Var && S.This.Text != "@this" && S.This.Text.rfind("field:", 0) != 0 &&
               S.This.Text.rfind("param:", 0) != 0) {
      // A local object: its first method or constructor call creates it.
      Val &Obj = A.Env[S.This.Text];
      if (Obj.K != Val::Object) {
        Obj = Val();
        Obj.K = Val::Object;
        Obj.Obj = std::make_shared<Fields>();
      }
      Callee.This = Obj;
    } else if (S.This != Value()) {
      Callee.This = eval(S.This, A);
    }
    std::string Key = memoKey(S, Callee.Params) + "|this:" + Callee.This.key();
    if (Callable.K == Val::Closure)
      Key += "|" + Callable.key();
    Summary &Sum = Memo[Key];
    if (Sum.Seen >= 2) {
      // Interpreting it again would repeat the same names at the same sites
      // with the same outcomes: apply its effect on the caller's state.
      T.Counts = Sum.CountsAfter;
      T.Current->R = Sum.CurrentReuseAfter;
      T.Current->ReuseOrigin = Sum.ReuseOriginAfter;
      if (Sum.ThisAfter && Callee.This.K == Val::Object)
        *Callee.This.Obj = *Sum.ThisAfter;
      return;
    }
    ++Sum.Seen;
    pushFrame({S.L, S.CalleeName.empty() ? F->Name : S.CalleeName, T.Current->Name});
    Active.insert(F->USR);
    enter(Callee);
    block(F->Body, Callee);
    leave(Callee);
    Active.erase(F->USR);
    popFrameOfCall();
    Summary &After = Memo[Key];
    After.CountsAfter = T.Counts;
    After.CurrentReuseAfter = T.Current->R;
    After.ReuseOriginAfter = T.Current->ReuseOrigin;
    if (Callee.This.K == Val::Object)
      After.ThisAfter = *Callee.This.Obj;
  }

  void thread(const Stmt &S, Activation &A) {
    const facts::Function *F = P.find(S.Callee);
    if (!F || Active.count(F->USR))
      return;
    ThreadState Saved = std::move(T);
    T = ThreadState();
    T.ParentScope = Saved.Current->Name;
    T.ThreadSite = S.L;
    Activation Callee;
    Callee.Fn = F;
    Callee.Env = A.Env; // captures by reference/value see the spawner's locals
    Callee.This = A.This;
    pushFrame({S.L, "std::thread", Saved.Current->Name});
    Active.insert(F->USR);
    enter(Callee);
    block(F->Body, Callee);
    leave(Callee);
    Active.erase(F->USR);
    popFrameOfCall();
    T = std::move(Saved);
  }

  void forLoop(const Stmt &S, Activation &A) {
    Val From = eval(S.From, A), To = eval(S.To, A);
    if (From.K != Val::Int || To.K != Val::Int) {
      A.Env[S.Id] = Val::unknown("loop variable '" + S.Id.substr(0, S.Id.find('#')) + "'", S.L);
      body(S.Body, A);
      return;
    }
    std::int64_t I = From.I;
    auto Holds = [&](std::int64_t X) {
      if (S.Cmp == "<")
        return X < To.I;
      if (S.Cmp == "<=")
        return X <= To.I;
      if (S.Cmp == ">")
        return X > To.I;
      if (S.Cmp == ">=")
        return X >= To.I;
      return X != To.I;
    };
    for (unsigned N = 0; Holds(I) && N < Opts.MaxUnroll; ++N, I += S.Step) {
      A.Env[S.Id] = Val::integer(I);
      body(S.Body, A);
      if (A.endIteration() || R.BudgetExceeded)
        break;
    }
    A.Env.erase(S.Id);
  }

  void ifStmt(const Stmt &S, Activation &A) {
    int Known = S.Name.K == Value::Unknown ? -1 : eval(S.Name, A).truth();
    if (Known >= 0) {
      body(Known ? S.Body : S.Else, A);
      return;
    }
    int Id = ++IfCounter;
    ScopeRef Cur = T.Current;
    Reuse Before = Cur->R;
    Loc BeforeOrigin = Cur->ReuseOrigin;
    std::map<std::string, int> CountsBefore = T.Counts;
    std::map<std::string, Val> EnvBefore = A.Env;

    CurCond.push_back({Id, 0});
    body(S.Body, A);
    bool ThenReturned = A.Returned, ThenBroken = A.Broken, ThenContinued = A.Continued;
    A.Returned = A.Broken = A.Continued = false;
    Reuse ThenR = Cur->R;
    Loc ThenOrigin = Cur->ReuseOrigin;
    std::map<std::string, int> CountsThen = T.Counts;
    CurCond.back().second = 1;
    Cur->R = Before;
    Cur->ReuseOrigin = BeforeOrigin;
    T.Counts = CountsBefore;
    std::map<std::string, Val> EnvThen = A.Env;
    A.Env = EnvBefore;
    body(S.Else, A);
    // The rest runs unless both arms returned (a may-path approximation);
    // likewise for break and continue.
    bool ElseReturned = A.Returned, ElseBroken = A.Broken, ElseContinued = A.Continued;
    A.Returned = ThenReturned && ElseReturned;
    A.Broken = !A.Returned && (ThenReturned || ThenBroken) && (ElseReturned || ElseBroken);
    A.Continued = !A.Returned && !A.Broken && (ThenReturned || ThenBroken || ThenContinued) &&
                  (ElseReturned || ElseBroken || ElseContinued);
    CurCond.pop_back();
    if (Cur->R != ThenR) {
      Cur->R = Reuse::Unknown;
      if (!Cur->ReuseOrigin.valid())
        Cur->ReuseOrigin = ThenOrigin;
    }
    for (const auto &[K, V] : CountsThen)
      T.Counts[K] = std::max(T.Counts[K], V);
    for (auto &[K, V] : EnvThen) {
      auto It = A.Env.find(K);
      if (It == A.Env.end() || It->second.key() != V.key())
        A.Env[K] = Val::unknown("'" + K.substr(0, K.find('#')) + "' (set differently on two branches)", S.L);
    }
  }

  const Program &P;
  const ResolverOptions &Opts;
  Result &R;
  ThreadState T;
  std::unordered_map<std::string, std::vector<int>> Store;
  std::vector<Cond> Conds; ///< per variable
  Cond CurCond;
  int IfCounter = 0;
  /// The current call stack; path() shares one snapshot per stack state.
  std::vector<CallFrame> Stack;
  CallPath Snapshot;
  bool SnapshotValid = true;
  const CallPath &path() {
    if (!SnapshotValid) {
      Snapshot = CallPath(Stack);
      SnapshotValid = true;
    }
    return Snapshot;
  }
  void pushFrame(CallFrame F) {
    Stack.push_back(std::move(F));
    SnapshotValid = false;
  }
  void popFrameOfCall() {
    Stack.pop_back();
    SnapshotValid = false;
  }
  std::set<std::string> Active;
  /// The activations running now, by serial: where by-reference captures
  /// of a closure are read from.
  std::unordered_map<unsigned, Activation *> Live;
  unsigned NextSerial = 0;
  std::map<std::string, Summary> Memo;
  std::set<std::string> SeenUnresolved;
  unsigned Steps = 0;
};

} // namespace

Result resolve(const Program &P, const ResolverOptions &Opts) {
  Result R;
  Interpreter I(P, Opts, R);
  for (const facts::Function *F : P.entries(Opts.Entries)) {
    R.Entries.push_back(F->Name);
    I.runEntry(*F);
  }
  return R;
}

} // namespace varscope::analysis
