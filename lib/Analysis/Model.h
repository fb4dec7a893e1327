//===- Model.h - What the resolver produces ---------------------*- C++ -*-===//
//
// The resolved program: every variable with its full name, shape, dtype,
// creation site and reuse sites, and every execution of a get_variable or
// variable_scope site with the outcome TF would produce. Rules read this.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Facts/Facts.h"

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace varscope::analysis {

using facts::Loc;

/// The reuse flag of a variable scope as the store sees it.
enum class Reuse { False, True, Auto, Unknown };
const char *toString(Reuse R);

using Dims = std::vector<std::int64_t>; ///< -1 = unknown dimension
/// TF1's TensorShape text: "()", "(2,)", "(3, 4)", "(?, 4)", "<unknown>".
std::string shapeString(const std::optional<Dims> &S);
/// TF's is_compatible_with; an unknown shape is compatible with anything.
bool shapesCompatible(const std::optional<Dims> &A, const std::optional<Dims> &B);

/// One call on the path from an entry point to a site.
struct CallFrame {
  Loc Site;           ///< the call expression
  std::string Callee; ///< qualified name, or "lambda"
  std::string Scope;  ///< variable scope name at the call ("" = root)
};
/// The calls from an entry point to a site, outermost first. Immutable and
/// cheap to copy (the frames are shared): every event at the same call path
/// points to one vector, which keeps a million-variable model small. Reads
/// like a const std::vector<CallFrame>.
class CallPath {
public:
  using Frames = std::vector<CallFrame>;
  using const_iterator = Frames::const_iterator;
  using const_reverse_iterator = Frames::const_reverse_iterator;

  CallPath() = default;
  CallPath(Frames F) : P(std::make_shared<const Frames>(std::move(F))) {}
  CallPath(std::initializer_list<CallFrame> F) : CallPath(Frames(F)) {}

  const Frames &frames() const { return P ? *P : empty_(); }
  const_iterator begin() const { return frames().begin(); }
  const_iterator end() const { return frames().end(); }
  const_reverse_iterator rbegin() const { return frames().rbegin(); }
  const_reverse_iterator rend() const { return frames().rend(); }
  size_t size() const { return frames().size(); }
  bool empty() const { return frames().empty(); }
  const CallFrame &operator[](size_t I) const { return frames()[I]; }
  const CallFrame &front() const { return frames().front(); }
  const CallFrame &back() const { return frames().back(); }

private:
  static const Frames &empty_() {
    static const Frames None;
    return None;
  }
  std::shared_ptr<const Frames> P;
};

struct Variable {
  std::string Name; ///< full store name, "<?>" for unknown parts
  bool Resolved = true;
  std::optional<Dims> Shape;
  std::string DType;
  std::string Initializer;
  bool Local = false;
  int Partitions = 0; ///< >0: a PartitionedVariable with that many shards
  int PartitionAxis = 0;
  Loc Created;
  CallPath Path;
  std::vector<Loc> ReuseSites;
};

enum class Outcome {
  Created,
  Reused,
  AlreadyExists,     ///< reuse is False and the variable exists
  DoesNotExist,      ///< reuse is True and the variable is missing
  ShapeMismatch,     ///< reused with an incompatible shape
  DTypeMismatch,     ///< reused with another dtype
  PartitionMismatch, ///< reused with another partitioning
  Unresolved,        ///< the name is not statically known
  PathDependent,     ///< exists only on another branch: not judged
};

/// One execution of a get_variable / get_local_variable site.
struct VarEvent {
  Loc Site;
  std::string Name;
  bool Resolved = true;
  std::string UnknownText; ///< what the name depends on
  Loc UnknownLoc;
  Reuse Mode = Reuse::False;
  Loc ReuseOrigin; ///< where reuse was switched on (guard option or reuse_variables())
  Outcome Out = Outcome::Created;
  int Existing = -1; ///< index in Result::Variables of the variable found
  std::optional<Dims> Shape;
  std::string DType;
  int Partitions = 0;
  /// A partitioner applies (given here or inherited from the scope) but its
  /// shard count is not statically known: the partitioner as written. The
  /// store gets shards name/part_N that are not listed.
  std::string UnknownPartitioner;
  CallPath Path;
  std::string ScopeName; ///< the variable scope at the call
  /// A v1::name_scope opened inside the current variable scope (it does not
  /// prefix variable names).
  std::string IgnoredNameScope;
  Loc IgnoredNameScopeLoc;
  /// The call runs in a thread started (at ThreadSite) inside variable scope
  /// ThreadParentScope, but the thread's own scope is the root.
  std::string ThreadParentScope;
  Loc ThreadSite;
};

/// One execution of a variable_scope guard.
struct GuardEvent {
  Loc Site;
  std::string Name; ///< the scope it installed
  bool DefaultName = false;
  /// Default-name form: the default name as written ("dense"); the last
  /// component of Name differs from it when the counters uniquified it.
  std::string DefaultBase;
  bool Captured = false;
  Reuse ParentReuse = Reuse::False;
  Loc ParentReuseOrigin;
  std::string ParentName;
  CallPath Path;
};

/// Variables and events are deques: a million-variable program never moves
/// them as they grow (indices and references stay valid).
struct Result {
  std::deque<Variable> Variables;
  std::deque<VarEvent> Events;
  std::vector<GuardEvent> Guards;
  std::vector<std::string> Entries; ///< names of the entry points run
  bool BudgetExceeded = false;
};

} // namespace varscope::analysis
