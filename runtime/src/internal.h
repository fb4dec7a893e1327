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

#include "varscope/store.h"
#include "varscope/variable.h"
#include "varscope/variable_scope.h"

namespace varscope::detail {

/// Transparent string hashing so maps keyed by std::string accept
/// std::string_view lookups without allocating.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

/// TF's VariableScope object.
struct VariableScopeData : RefCounted {
  Store* store = nullptr;
  std::string name;
  std::string original_name_scope;
  ReuseMode reuse = ReuseMode::False;
  Initializer initializer;
  Regularizer regularizer;
  std::optional<std::string> caching_device;
  Partitioner partitioner;
  CustomGetter custom_getter;
  DType dtype = DType::Float32;
  std::optional<bool> use_resource;
  Constraint constraint;
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
  /// Set when a scope was destroyed out of order; the next operation raises.
  bool improper_nesting_pending = false;
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
  VariableNode* find(std::string_view name) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = hash(name) & mask();; i = (i + 1) & mask()) {
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
  }
  std::size_t size() const { return size_; }

private:
  static std::size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
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
};

/// Name-scope entry (tf-semantics.md §2.2): the new stack and the value.
struct NameScopeEntry {
  std::string stack;
  std::string value;
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

  explicit Impl(StoreOptions opts) : options(opts) {}

  StoreOptions options;
  mutable std::recursive_mutex mu;

  std::deque<detail::VariableNode> nodes;
  detail::VariableIndex vars;
  std::deque<detail::PartitionedNode> pnodes;
  std::unordered_map<std::string_view, detail::PartitionedNode*> pvars;
  /// Names X for which a variable "X/part_0" is stored, so the true getter's
  /// "partitioned version exists" check (§5.3 step 4) costs no allocation.
  std::unordered_map<std::string, int, detail::StringHash, std::equal_to<>> part0_bases;

  /// TF's names_in_use: lower-cased full name -> counter.
  std::unordered_map<std::string, int, detail::StringHash, std::equal_to<>> names_in_use;

  std::deque<Collection> collections; // first-use order
  std::unordered_map<std::string_view, Collection*> collection_index;

  /// Interned initializer descriptions.
  std::unordered_map<std::string, std::unique_ptr<std::string>, detail::StringHash, std::equal_to<>> descriptions;

  bool tracing = false;
  std::vector<OpRecord> trace;

  // Everything below expects `mu` held.
  Collection& collection(std::string_view key);
  void add_item(std::string_view key, Item item);
  void add_tensor(std::string_view key, Tensor tensor);
  /// How often `key` (lower case) was marked used. A variable whose op name
  /// is its store name and is all lower case counts once without an entry.
  int use_count(std::string_view key) const;
  const std::string* intern(const std::string& description);
  std::string unique_name(std::string_view full_name, bool mark_as_used);
};

} // namespace varscope
