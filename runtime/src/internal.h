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
struct Frame;
struct Context : RefCounted {
  std::map<std::string, int, std::less<>> counts;
  /// unique_var_scope_name's probe for "<full>_i" starts at the hint: counts
  /// only grow until an exit erases or restores them, and then the hints are
  /// dropped, so the smallest free suffix never lies below the hint. This
  /// keeps N default-name siblings linear instead of TF's quadratic probing.
  std::map<std::string, int, std::less<>> probe_hints;
  std::vector<Frame*> open;
  /// Set when a scope was destroyed out of order; the next operation raises.
  bool improper_nesting_pending = false;
};

/// An entered variable scope, owned by the Scope handle that entered it.
struct Frame {
  enum class Kind : std::uint8_t { String, Captured };
  Context* context = nullptr;
  Kind kind = Kind::String;
  bool open = true;
  std::string name; // full variable-scope name
  std::map<std::string, int, std::less<>> snapshot; // Kind::Captured
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
  /// A collection entry: a variable, a partitioned variable or a tensor.
  struct Item {
    detail::VariableNode* var = nullptr;
    detail::PartitionedNode* pvar = nullptr;
    std::shared_ptr<const Tensor> tensor;
  };
  struct Collection {
    std::string key;
    std::vector<Item> items;
  };

  explicit Impl(StoreOptions opts) : options(opts) {}

  StoreOptions options;
  mutable std::recursive_mutex mu;

  std::deque<detail::VariableNode> nodes;
  std::unordered_map<std::string_view, detail::VariableNode*> vars;
  std::deque<detail::PartitionedNode> pnodes;
  std::unordered_map<std::string_view, detail::PartitionedNode*> pvars;

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
  const std::string* intern(const std::string& description);
  std::string unique_name(std::string_view full_name, bool mark_as_used);
};

} // namespace varscope
