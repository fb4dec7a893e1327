// runtime/src/internal.h - private state behind the public handles.
//
// Never included from outside runtime/src.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "name_counts.h"
#include "thread_pool.h"
#include "varscope/store.h"
#include "varscope/variable.h"
#include "varscope/variable_scope.h"

namespace varscope::detail {

/// Transparent string hashing so maps keyed by std::string accept
/// std::string_view lookups without allocating.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return hash_name(s); }
};

/// The inherited defaults of a VariableScope that are expensive to copy.
/// A child scope that sets none of them shares its parent's block; setters
/// copy the block first when it is shared (copy on write), so a mutation is
/// seen only by the object it is made on, exactly as TF's per-object fields.
struct ScopeDefaults : RefCounted {
  ScopeDefaults() = default;
  ScopeDefaults(const ScopeDefaults& other)
      : RefCounted(), initializer(other.initializer), regularizer(other.regularizer),
        caching_device(other.caching_device), partitioner(other.partitioner), custom_getter(other.custom_getter) {}

  Initializer initializer;
  Regularizer regularizer;
  std::optional<std::string> caching_device;
  Partitioner partitioner;
  CustomGetter custom_getter;
};

/// TF's VariableScope object.
struct VariableScopeData : RefCounted {
  Store* store = nullptr;
  std::string name;
  std::string original_name_scope;
  ReuseMode reuse = ReuseMode::False;
  DType dtype = DType::Float32;
  std::optional<bool> use_resource;
  Constraint constraint; // never inherited (tf-semantics.md §3.3)
  /// Null means every default is unset.
  Ref<ScopeDefaults> defaults;

  const ScopeDefaults& get_defaults() const { return defaults ? *defaults : empty_defaults(); }
  /// The block, unshared first (copy on write).
  ScopeDefaults& mutable_defaults() {
    if (!defaults)
      defaults = make_ref<ScopeDefaults>();
    else if (defaults->use_count() > 1)
      defaults = make_ref<ScopeDefaults>(*defaults);
    return *defaults;
  }
  static const ScopeDefaults& empty_defaults() {
    static const ScopeDefaults empty;
    return empty;
  }
};

/// Rarely used per-variable fields, kept out of line to keep VariableNode
/// small (one million variables is a supported size).
struct VariableExtras {
  std::string op_name; // only when it differs from the store name
  std::string caching_device;
  Constraint constraint;
  std::unique_ptr<SaveSliceInfo> save_slice_info;
};

/// A stored variable. Lives in Store::Impl::nodes (a deque: stable address).
struct VariableNode {
  Store* store = nullptr;
  std::string store_name;
  Tensor value;
  const std::string* initializer_description = nullptr; // interned
  std::unique_ptr<VariableExtras> extras;
  bool trainable = true;
  bool use_resource = false;
  VariableSynchronization synchronization = VariableSynchronization::Auto;
  VariableAggregation aggregation = VariableAggregation::None;
  /// Made by the store's creator inside a variable-creator chain that has
  /// not returned it yet: in no collection, not indexed, not listed.
  bool pending = false;
};

/// A stored partitioned variable.
struct PartitionedNode {
  Store* store = nullptr;
  std::string name;
  Shape shape;
  DType dtype = DType::Float32;
  std::vector<VariableNode*> shards; // sorted by offset
  std::vector<std::int64_t> partitions;
  int slice_dim = 0;
};

/// TF's per-thread state: default-name counters (keyed by full scope name;
/// ordered, so "every key that starts with N/" is a contiguous range) and the
/// stack of open variable-scope frames, for the nesting check.
struct Context : RefCounted {
  std::map<std::string, int, std::less<>> counts;
  /// unique_var_scope_name's probe for "<full>_i" starts at the hint: counts
  /// only grow until an exit erases or restores them, and then the hints are
  /// dropped, so the smallest free suffix never lies below the hint. This
  /// keeps N default-name siblings linear instead of TF's quadratic probing.
  std::map<std::string, int, std::less<>> probe_hints;
  /// The VariableScope objects installed by the open variable-scope entries,
  /// innermost last (TF checks the installed object's identity on exit).
  std::vector<const VariableScopeData*> open;
  /// Set when a scope (or a v1 creator scope) was destroyed out of order:
  /// the RuntimeError message the next scope operation raises.
  const char* pending_nesting_error = nullptr;
};

/// TF's "Improper nesting of variable_scope." and its creator-scope twin.
inline constexpr const char* kImproperVariableScopeNesting = "Improper nesting of variable_scope.";
inline constexpr const char* kImproperCreatorScopeNesting = "Exiting variable_creator_scope without proper nesting.";

/// One entry of a variable-creator stack (TF's _variable_creator_stack), as
/// an immutable list shared by the handles derived from it: `outer` is the
/// enclosing creator scope's list.
struct CreatorNode : RefCounted {
  CreatorNode(VariableCreator fn, Ref<CreatorNode> enclosing) : creator(std::move(fn)), outer(std::move(enclosing)) {}
  VariableCreator creator;
  Ref<CreatorNode> outer;
  /// Set by a v1 guard destroyed out of order: skipped from then on.
  bool dead = false;
  /// v1 only: the default graph (generation) the guard was entered in; TF
  /// keeps a creator stack per graph.
  std::uint64_t graph = 0;
};

/// The counters a captured scope's re-entry restores on exit (§3.4).
struct CounterSnapshot {
  std::map<std::string, int, std::less<>> counts;
};

/// The store's name -> variable index: open addressing with linear probing
/// over node pointers, keyed by each node's own store_name (no key copies).
/// About 16 bytes per variable instead of ~56 for std::unordered_map, and
/// one cache miss per lookup on the get_variable hot path. Not synchronized.
class VariableIndex {
public:
  VariableNode* find(std::string_view name) const { return find(name, hash(name)); }
  /// With `h == hash_name(name)` already computed.
  VariableNode* find(std::string_view name, std::uint64_t h) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
      VariableNode* node = slots_[i];
      if (!node) return nullptr;
      if (node->store_name == name) return node;
    }
  }
  std::size_t count(std::string_view name) const { return find(name) ? 1 : 0; }
  /// Inserts a node whose name is not present.
  void insert(VariableNode* node) {
    if ((size_ + 1) * 10 > slots_.size() * 7) grow();
    place(node);
    ++size_;
    const std::string_view name = node->store_name;
    if (!name.empty() && static_cast<unsigned char>(name.back() - '0') < 10) ++digit_tail_size_;
  }
  std::size_t size() const { return size_; }
  /// How many names end in a digit ("w_1"); when none, no name unique_name
  /// generates ("<base>_<n>") can be a variable's, so it need not look.
  std::size_t digit_tail_size() const { return digit_tail_size_; }

private:
  static std::uint64_t hash(std::string_view s) { return hash_name(s); }
  std::size_t mask() const { return slots_.size() - 1; }
  void place(VariableNode* node) {
    std::size_t i = hash(node->store_name) & mask();
    while (slots_[i]) i = (i + 1) & mask();
    slots_[i] = node;
  }
  void grow() {
    std::vector<VariableNode*> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, nullptr);
    for (VariableNode* node : old)
      if (node) place(node);
  }
  std::vector<VariableNode*> slots_;
  std::size_t size_ = 0;
  std::size_t digit_tail_size_ = 0;
};

/// Name-scope entry (tf-semantics.md §2.2): the new stack and the value.
struct NameScopeEntry {
  std::string stack;
  std::string value;
};

/// The arguments of TF's _VariableStore.get_variable, resolved (scope
/// defaults applied), by reference: the store copies an argument only when
/// it creates a variable, so a reuse hit copies nothing. Field names and
/// order are GetterArgs'.
struct VariableRequest {
  std::string_view name;
  const std::optional<Shape>& shape;
  DType dtype;
  const Initializer& initializer;
  const Regularizer& regularizer;
  ReuseMode reuse;
  bool trainable;
  const std::optional<std::vector<std::string>>& collections;
  const std::optional<std::string>& caching_device;
  const Partitioner& partitioner;
  bool validate_shape;
  std::optional<bool> use_resource;
  const Constraint& constraint;
  VariableSynchronization synchronization;
  VariableAggregation aggregation;

  static VariableRequest of(const GetterArgs& a) {
    return {a.name,       a.shape,          a.dtype,        a.initializer,  a.regularizer,
            a.reuse,      a.trainable,      a.collections,  a.caching_device, a.partitioner,
            a.validate_shape, a.use_resource, a.constraint, a.synchronization, a.aggregation};
  }
};

/// The one door from runtime/src into the handles' private parts.
struct Access {
  static Variable variable(VariableNode* node) { return Variable(node); }
  static Variable variable(PartitionedNode* node) { return Variable(node); }
  static VariableNode* node(const Variable& v) { return v.node_; }
  static PartitionedNode* partitioned(const Variable& v) { return v.partitioned_; }
  static VariableScope scope(Ref<VariableScopeData> data) { return VariableScope(std::move(data)); }
  static VariableScopeData& data(const VariableScope& s) { return *s.data_; }
  static Scope make_scope(Store* store, Ref<Context> context, VariableScope scope, std::string stack);
  static const Ref<Context>& context(const Scope& s) { return s.context_; }
  static const Ref<CreatorNode>& creators(const Scope& s) { return s.creators_; }
  static void set_creators(Scope& s, const Ref<CreatorNode>& creators) {
    if (s.creators_ != creators) s.creators_ = creators;
  }
  /// Scope::get_variable without a second by-value copy of the options
  /// (the v1 face forwards here).
  static Variable get_variable(Scope& s, std::string_view name, std::optional<Shape> shape,
                               GetVariableOptions&& options, bool local) {
    return s.get_variable_impl(name, std::move(shape), std::move(options), local);
  }
  /// Scope::variable_scope(name or default name) without further by-value
  /// copies of the options (the v1 guards forward here).
  static Scope variable_scope(Scope& s, std::string_view name, const char* default_name,
                              VariableScopeOptions&& options) {
    return s.enter_string_scope(name, default_name, std::move(options));
  }
  /// Store::get_variable with the calling handle's variable creators.
  static Variable get_variable(Store& store, const VariableRequest& request, const CreatorNode* creators);
  static Store::Impl& impl(const Store& store) { return *store.impl_; }
};

/// A computed tensor held by a Variable (Variable::from_tensor).
struct TensorHolder : RefCounted {
  explicit TensorHolder(Tensor t) : tensor(std::move(t)) {}
  Tensor tensor;
};

/// TF's scope-name check (tf-semantics.md §2.1); ValueError when invalid.
void validate_scope_name(std::string_view name, bool at_root);

/// Python's list formatting of integers: "[1, 2]".
std::string format_int_list(const std::vector<std::int64_t>& values);

} // namespace varscope::detail

namespace varscope {

/// The Store's state. Guarded by `mu` (recursive: initializers, custom
/// getters and regularizers run with it held and may call back in).
struct Store::Impl {
  /// A collection entry: a variable, a partitioned variable or a tensor
  /// (owned by `tensors`). Two words, since every variable is in at least two
  /// collections.
  struct Item {
    enum class Kind : std::uint8_t { Variable, Partitioned, Tensor };
    const void* ptr = nullptr;
    Kind kind = Kind::Variable;
    static Item of(detail::VariableNode* v) { return {v, Kind::Variable}; }
    static Item of(detail::PartitionedNode* p) { return {p, Kind::Partitioned}; }
  };
  /// Tensors added to collections (stable addresses).
  std::deque<Tensor> tensors;
  struct Collection {
    std::string key;
    std::vector<Item> items;
  };

  explicit Impl(StoreOptions opts)
      : options(opts), intra_op_pool(detail::resolve_intra_op_threads(opts), opts.pin_intra_op_threads) {}

  StoreOptions options;
  mutable std::recursive_mutex mu;

  std::deque<detail::VariableNode> nodes;
  /// Nodes with `pending` set (never listed).
  std::size_t pending_nodes = 0;
  detail::VariableIndex vars;
  std::deque<detail::PartitionedNode> pnodes;
  std::unordered_map<std::string_view, detail::PartitionedNode*> pvars;
  /// Names X for which a variable "X/part_0" is stored, so the true getter's
  /// "partitioned version exists" check (§5.3 step 4) costs no allocation.
  std::unordered_map<std::string, int, detail::StringHash, std::equal_to<>> part0_bases;

  /// TF's names_in_use: lower-cased full name -> counter.
  detail::NameCounts names_in_use;
  /// Scratch for unique_name's lower-cased keys (mu held).
  std::string name_key;

  std::deque<Collection> collections; // first-use order
  std::unordered_map<std::string_view, Collection*> collection_index;

  /// Interned initializer descriptions.
  std::unordered_map<std::string, std::unique_ptr<std::string>, detail::StringHash, std::equal_to<>> descriptions;

  bool tracing = false;
  std::vector<OpRecord> trace;

  /// The ops' worker threads (thread-safe on its own, not guarded by mu).
  detail::ThreadPool intra_op_pool;

  // Everything below expects `mu` held.
  Collection& collection(std::string_view key);
  void add_item(std::string_view key, Item item);
  void add_tensor(std::string_view key, Tensor tensor);
  /// How often `key` (lower case) was marked used. A variable whose op name
  /// is its store name and is all lower case counts once without an entry.
  int use_count(std::string_view key) const;
  /// The part of use_count that has no entry: 1 for such a variable.
  int implicit_use_count(std::string_view key) const;
  const std::string* intern(const std::string& description);
  /// TF's Graph.unique_name(prefix + "/" + name) (just `name` when `prefix`
  /// is empty), without building the full name first. The result has room
  /// for `extra_capacity` more characters (an op appends ":0").
  std::string unique_name(std::string_view prefix, std::string_view name, bool mark_as_used,
                          std::size_t extra_capacity = 0);
  std::string unique_name(std::string_view full_name, bool mark_as_used) {
    return unique_name({}, full_name, mark_as_used);
  }
};

} // namespace varscope
