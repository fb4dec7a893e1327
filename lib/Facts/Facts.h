//===- Facts.h - Per-translation-unit facts (the map step) ------*- C++ -*-===//
//
// What the extractor records about one translation unit, independent of
// Clang: every user function (by USR) as a small structured program over the
// varscope::v1 API (guards, get_variable, reuse_variables, calls, loops,
// branches), with values kept symbolic (string/integer constants, parameters,
// locals, concatenation, std::to_string, closures of lambdas). The resolver (lib/Analysis)
// interprets these; the JSON form is what the cache stores.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace varscope::facts {

/// A source position (1-based) with an optional end on the same file.
struct Loc {
  std::string File;
  unsigned Line = 0;
  unsigned Col = 0;
  unsigned EndLine = 0;
  unsigned EndCol = 0;

  bool valid() const { return Line != 0; }
  friend bool operator==(const Loc &, const Loc &) = default;
  friend auto operator<=>(const Loc &, const Loc &) = default;
};

/// A text edit: replace [Offset, Offset+Length) of File by Text.
struct Replacement {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
  friend bool operator==(const Replacement &, const Replacement &) = default;
};

/// A symbolic value.
struct Value {
  enum Kind {
    Unknown,  ///< not statically known; Text says what it was
    Null,     ///< nullptr
    Str,      ///< string constant S
    Int,      ///< integer constant I
    Param,    ///< the I-th parameter of the enclosing function
    Var,      ///< a local variable (Text = its id within the function);
              ///< "field:<name>" is a data member of the object `this` points to;
              ///< "@this" is that object
    Concat,   ///< string concatenation of Args
    ToString, ///< std::to_string(Args[0])
    Arith,    ///< Args[0] Text Args[1] on integers (+ - * / % == != < <= > >= && ||),
              ///< or Text Args[0] for the unary `!`
    List,     ///< a braced list / std::initializer_list: Args are the elements
    /// A lambda expression, evaluated where it is written (a closure):
    /// Text = USR of its call operator, Args = its captures (Capture values).
    /// Also what a std::function holds when built from a lambda.
    Closure,
    /// One capture of a Closure: Text = the id its body uses ("@this" for
    /// `this` / `*this`), I = 1 when captured by reference, Args[0] = the
    /// captured value as the creating function sees it.
    Capture,
  };
  Kind K = Unknown;
  std::string S;    ///< Str
  std::int64_t I = 0;
  std::string Text; ///< Unknown: source text; Var: id; Arith: operator
  std::vector<Value> Args;
  Loc L; ///< where the expression is written

  static Value unknown(std::string Text, Loc L = {}) {
    Value V;
    V.Text = std::move(Text);
    V.L = std::move(L);
    return V;
  }
  static Value str(std::string S) {
    Value V;
    V.K = Str;
    V.S = std::move(S);
    return V;
  }
  static Value integer(std::int64_t I) {
    Value V;
    V.K = Int;
    V.I = I;
    return V;
  }
  friend bool operator==(const Value &, const Value &) = default;
};

/// A tri-state flag written in source: not written, a constant, or a
/// run-time value.
enum class ReuseArg { Unset, True, False, Auto, Unknown };
const char *toString(ReuseArg R);
ReuseArg reuseArgFromString(const std::string &S);

/// A partitioner as written: none, fixed_size_partitioner(Shards, Axis),
/// min_max_variable_partitioner / variable_axis_size_partitioner (Args: every
/// argument in order, defaults filled in, a missing optional is Null), a
/// custom partitioner (a lambda or function) whose body is one
/// `return {n0, n1, ...};` (Listed, Args: the partition count per axis,
/// symbolic), or something else (Unknown).
struct PartitionerFact {
  enum Kind { None, Fixed, Unknown, MinMax, AxisSize, Listed } K = None;
  Value Shards;
  Value Axis;
  std::vector<Value> Args;
  std::string Text;
  friend bool operator==(const PartitionerFact &, const PartitionerFact &) = default;
};

/// One statement of the abstract program.
struct Stmt {
  enum Kind {
    Block,     ///< Body; guards declared in it end with it
    VarScope,  ///< a v1::variable_scope guard
    NameScope, ///< a v1::name_scope guard
    GetVar,    ///< v1::get_variable / get_local_variable
    ReuseVars, ///< <scope>.reuse_variables(); Target = guard/capture id or "" (current)
    Capture,   ///< VariableScope Id = get_variable_scope() ("" Target) or *guard
    Let,       ///< local Id = Name
    Call,      ///< call of Callee with Args; an empty Callee calls the closure
               ///< value This (a std::function or other callable object)
    For,       ///< for (Id = From; Id Cmp To; Id += Step) Body
    ForEach,   ///< for (Id : Args) Body
    Loop,      ///< a loop with unknown trip count: Body, Id (loop variable) unknown;
               ///< a range-for over Name, which may turn out to be a List
    If,        ///< if (Name) Body else Else; an Unknown Name: both arms (may-paths)
    Thread,    ///< std::thread started on Callee (a lambda/function)
    Return,    ///< return: the rest of the function does not run
    Break,     ///< break out of the innermost loop (not a switch)
    Continue,  ///< continue the innermost loop
  };
  Kind K = Block;
  Loc L;
  std::vector<Stmt> Body;
  std::vector<Stmt> Else;

  std::string Id;      ///< declared local (guard, capture, let, loop var)
  bool Temporary = false; ///< unnamed guard, destroyed at the end of the statement
  Value Name;          ///< scope/variable name, Let value
  bool DefaultNameForm = false; ///< variable_scope(nullptr, default_name)
  Value DefaultName;
  std::string Target;  ///< VarScope: captured scope var id; ReuseVars/Capture: source id
  bool FromCaptured = false;
  ReuseArg Reuse = ReuseArg::Unset;
  Loc ReuseLoc;
  std::optional<Replacement> ReuseFix; ///< removes `.reuse = false`
  /// A named guard: the edit that makes it `.reuse = AUTO_REUSE` (offered by
  /// varscope-reuse-already-exists when one statement creates a name twice).
  std::optional<Replacement> AutoReuseFix;
  ReuseArg Aux = ReuseArg::Unset;     ///< auxiliary_name_scope (True/False/Unknown)
  PartitionerFact Partitioner;
  std::string DType;       ///< "" when not written
  std::string Initializer; ///< source text, "" when not written
  std::optional<Replacement> Fix; ///< unnamed guard: gives it a name

  // GetVar
  bool Local = false;
  enum ShapeKind { ShapeNone, ShapeDims, ShapeUnknown } Shape = ShapeNone;
  std::vector<Value> Dims;

  // Call / Thread
  std::string Callee; ///< USR
  std::string CalleeName;
  std::vector<Value> Args;
  /// Call of a method or constructor: the object (a local Var, "@this", or
  /// an Unknown with text); left default (Unknown, no text) otherwise.
  Value This;

  // For
  Value From, To;
  std::string Cmp; ///< "<", "<=", ">", ">=", "!="
  std::int64_t Step = 1;

  friend bool operator==(const Stmt &, const Stmt &) = default;
};

struct Function {
  std::string USR;
  std::string Name; ///< qualified, for messages and --entry
  Loc L;
  std::vector<std::string> Params;
  bool IsLambda = false;
  Stmt Body; ///< a Block
  friend bool operator==(const Function &, const Function &) = default;
};

/// Everything extracted from one translation unit.
struct TUFacts {
  std::string MainFile;
  std::vector<Function> Functions;
};

std::string toJSON(const TUFacts &F);
/// Parses what toJSON wrote; std::nullopt if it is not a facts document.
std::optional<TUFacts> fromJSON(const std::string &Text);

/// The facts index written by `varscope index`: every TU sorted by main file,
/// one TU per line, object keys sorted, so equal inputs give equal bytes
/// whatever process or shard produced them.
std::string indexToJSON(std::vector<TUFacts> TUs);
/// Parses an index; std::nullopt if it is not one.
std::optional<std::vector<TUFacts>> indexFromJSON(const std::string &Text);

} // namespace varscope::facts
