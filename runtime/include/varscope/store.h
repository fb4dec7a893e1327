// varscope/store.h - the Store: every variable, collection and name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "varscope/scope.h"
#include "varscope/variable.h"
#include "varscope/variable_scope.h"

namespace varscope {

/// Options of a Store (TF's graph-level settings).
struct StoreOptions {
  /// TF's graph seed: random initializers are keyed by it.
  std::uint64_t seed = 0;
  /// TF's process default for use_resource (False in TF1).
  bool use_resource = false;
  /// TF's ConfigProto.intra_op_parallelism_threads: how many threads one op
  /// may use, the calling thread included. 1 (the default) runs every op on
  /// the calling thread and starts no thread; 0 means one per core
  /// (std::thread::hardware_concurrency()); negative is a ValueError. The
  /// Store starts the workers at its first parallel op and joins them when
  /// it is destroyed. Results are bit-identical for every value
  /// (docs/ops.md, "Intra-op parallelism").
  int intra_op_parallelism_threads = 1;
  /// Binds each of the pool's worker threads to one CPU (OpenMP's
  /// OMP_PROC_BIND for the workers only; the calling thread stays free).
  /// Off by default. On a virtual machine whose host also runs other
  /// guests, an idle unbound worker can be woken on the CPU of the thread
  /// that posts the op and then shares that CPU with it until it moves
  /// itself off (an unbound worker steps off the poster's CPU at most once
  /// a millisecond); bound, it always wakes on its own (docs/ops.md,
  /// "Binding the workers to CPUs"). Worker i takes the i-th CPU after the one the calling
  /// thread is on when the workers start, among the CPUs that thread may
  /// use (all the machine's when they are fewer than the threads), wrapping
  /// around. Linux only; elsewhere, or where the system refuses, the
  /// workers stay unbound.
  bool pin_intra_op_threads = false;
};

/// An entry of a collection: a variable or a tensor (e.g. a regularization
/// loss). Cheap to copy.
class CollectionItem {
public:
  CollectionItem(Variable variable) : variable_(std::move(variable)), is_variable_(true) {}
  CollectionItem(Tensor tensor) : tensor_(std::move(tensor)) {}
  bool is_variable() const { return is_variable_; }
  /// TypeError when the item is the other kind.
  const Variable& variable() const;
  const Tensor& tensor() const;
  /// The item's graph name ("foo/v:0", "foo/v/Regularizer/l2_regularizer:0").
  std::string name() const;

private:
  Variable variable_;
  Tensor tensor_;
  bool is_variable_ = false;
};

/// One executed op, when tracing is on.
struct OpRecord {
  std::string name = {};
  std::string type = {};
  std::vector<Shape> input_shapes = {};
  Shape output_shape = {};
  std::int64_t duration_ns = 0; // wall time of the kernel
};

/// Owns every variable, the collections, the regularization losses and the
/// op/name-scope uniquifier (TF's graph and variable store). The user creates
/// and owns it; handles (Scope, Variable) point into it and must not outlive
/// it. There is no global state: two Stores are independent.
///
/// Thread-safety: thread-safe. Variables, collections and names are guarded
/// by one mutex; scopes of different contexts may be used concurrently.
class Store {
public:
  explicit Store(StoreOptions options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// A new context (TF: a new thread) at the root variable scope and root
  /// name scope.
  [[nodiscard]] Scope root_scope();

  const StoreOptions& options() const;
  std::uint64_t seed() const;
  /// TF's set_random_seed: affects variables created afterwards.
  void set_seed(std::uint64_t seed);

  /// TF's _VariableStore.get_variable: full name in `args.name`, reuse taken
  /// from `args.reuse`. Scope::get_variable resolves scope defaults first and
  /// ends here.
  Variable get_variable(GetterArgs args);

  /// The variable (or partitioned variable) stored under `name`.
  std::optional<Variable> find(std::string_view name) const;
  /// Every stored (single) variable, shards included, in creation order.
  std::vector<Variable> variables() const;
  /// Every partitioned variable, in creation order.
  std::vector<PartitionedVariable> partitioned_variables() const;
  std::size_t num_variables() const;

  /// TF's get_collection(key, scope): items in insertion order; with a scope,
  /// only items whose name matches it (as a regular expression) at the start.
  std::vector<CollectionItem> get_collection(std::string_view key, std::string_view scope = {}) const;
  /// The variables of a collection (tensors skipped).
  std::vector<Variable> get_collection_variables(std::string_view key, std::string_view scope = {}) const;
  void add_to_collection(std::string_view key, CollectionItem item);
  /// Keys in first-use order.
  std::vector<std::string> get_all_collection_keys() const;
  std::vector<Variable> global_variables(std::string_view scope = {}) const;
  std::vector<Variable> trainable_variables(std::string_view scope = {}) const;
  std::vector<Variable> local_variables(std::string_view scope = {}) const;
  std::vector<Tensor> regularization_losses(std::string_view scope = {}) const;

  /// TF's Graph.unique_name for a full name (already prefixed by its name
  /// scope): case-insensitive, shared by op names and name scopes.
  std::string unique_name(std::string_view full_name, bool mark_as_used = true);

  /// A model summary: one row per variable (name, shape, dtype, parameters),
  /// then totals.
  std::string summary() const;

  /// Op tracing (a small profiler): when on, every op records its name,
  /// type, shapes and time.
  void set_tracing(bool on);
  bool tracing() const;
  void record_op(OpRecord record);
  std::vector<OpRecord> trace() const;
  void clear_trace();
  /// The trace as a table with per-type totals.
  std::string trace_report() const;

  /// The opaque state (defined in runtime/src/internal.h).
  struct Impl;

private:
  friend class Scope;
  friend class Variable;
  friend class VariableScope;
  friend struct detail::Access;
  Impl* impl_; // owned
};

} // namespace varscope
