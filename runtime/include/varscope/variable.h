// varscope/variable.h - handles to variables owned by a Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "varscope/detail/function.h"
#include "varscope/detail/ref.h"
#include "varscope/dtype.h"
#include "varscope/shape.h"
#include "varscope/tensor.h"

namespace varscope {

class Store;
class PartitionedVariable;
class SaveSliceInfo;

namespace detail {
struct VariableNode;
struct PartitionedNode;
struct Access;
struct TensorHolder;
} // namespace detail

/// TF's VariableSynchronization.
enum class VariableSynchronization : std::uint8_t { Auto, None, OnWrite, OnRead };
/// TF's VariableAggregation.
enum class VariableAggregation : std::uint8_t { None, Sum, Mean, OnlyFirstReplica };

/// TF's `constraint`: a projection applied after an optimizer update.
using Constraint = Function<Tensor(const Tensor&)>;

/// A handle to a variable. The Store owns the variable; a handle is two
/// pointers, cheap to copy, and two handles to one variable compare equal.
///
/// get_variable() may also return a partitioned variable (is_partitioned();
/// see as_partitioned()) or, when a custom getter returns a computed value,
/// a tensor (is_tensor(); from_tensor()).
///
/// Thread-safety: reading metadata is safe from any thread; value() and
/// assign() synchronize on the variable.
class Variable {
public:
  Variable() = default;
  /// Wraps a computed tensor (a custom getter's result that is not a store
  /// variable, such as the sum of two variables).
  static Variable from_tensor(Tensor value);

  bool defined() const { return node_ != nullptr || partitioned_ != nullptr || static_cast<bool>(tensor_); }
  bool is_partitioned() const { return partitioned_ != nullptr; }
  bool is_tensor() const { return static_cast<bool>(tensor_); }

  /// TF's `v.name`: the graph name with output index, "foo/bar/v:0". For a
  /// partitioned variable, the bare name "foo/emb"; for a tensor, its name.
  std::string name() const;
  /// The store key: "foo/bar/v" (for a partitioned variable, "foo/emb").
  const std::string& store_name() const;
  /// The variable op's name: normally store_name(), but uniquified against
  /// existing ops ("foo/v_1") as TF does (tf-semantics.md §5.6).
  const std::string& op_name() const;

  const Shape& shape() const;
  /// The variable's dtype (base dtype, "float32").
  DType dtype() const;
  /// The dtype as TF prints it in messages: "float32_ref" for a reference
  /// variable, "float32" for a resource variable or a tensor.
  std::string dtype_string() const;
  bool trainable() const;
  bool use_resource() const;
  const std::string& caching_device() const;
  const Constraint& constraint() const;
  VariableSynchronization synchronization() const;
  VariableAggregation aggregation() const;
  /// What initialized the variable ("glorot_uniform_initializer()").
  const std::string& initializer_description() const;
  /// For a shard of a partitioned variable: where it sits in the full one.
  const SaveSliceInfo* save_slice_info() const;

  /// The current value (a snapshot sharing no buffer with the variable). A
  /// partitioned variable's value is its shards concatenated.
  Tensor value() const;
  /// The value without a copy; do not hold it across assign().
  const Tensor& read_value_unsafe() const;
  /// Replaces the value; ValueError when shape or dtype differ.
  void assign(const Tensor& value) const;
  /// Implicit read, so a variable can be passed wherever a Tensor is.
  operator Tensor() const { return value(); }

  PartitionedVariable as_partitioned() const;
  /// The store this variable lives in (nullptr for a tensor).
  Store* store() const;

  friend bool operator==(const Variable& a, const Variable& b) {
    return a.node_ == b.node_ && a.partitioned_ == b.partitioned_ && a.tensor_ == b.tensor_;
  }

private:
  friend class Store;
  friend class PartitionedVariable;
  friend struct detail::Access;
  explicit Variable(detail::VariableNode* node) : node_(node) {}
  explicit Variable(detail::PartitionedNode* node) : partitioned_(node) {}
  detail::VariableNode* node_ = nullptr;
  detail::PartitionedNode* partitioned_ = nullptr;
  detail::Ref<detail::TensorHolder> tensor_; // only for from_tensor()
};

/// TF's save-slice info of one shard.
class SaveSliceInfo {
public:
  std::string full_name;
  Shape full_shape;
  std::vector<std::int64_t> var_offset;
  Shape var_shape;
  /// "4 0,1", "2 4 0,2:2,2".
  std::string spec() const;
};

/// TF's PartitionedVariable: the shards of one logical variable.
class PartitionedVariable {
public:
  /// The bare name without ":0" ("scope0/name0").
  const std::string& name() const;
  const Shape& shape() const;
  DType dtype() const;
  /// Shards sorted by offset.
  std::vector<Variable> shards() const;
  std::size_t size() const;
  /// What the partitioner returned, unchanged.
  const std::vector<std::int64_t>& partitions() const;
  /// The axis the variable is sliced along (0 when there is one shard).
  int slice_dim() const;
  /// The shards concatenated along slice_dim().
  Tensor as_tensor() const;
  Variable variable() const { return Variable(node_); }

private:
  friend class Variable;
  friend struct detail::Access;
  explicit PartitionedVariable(detail::PartitionedNode* node) : node_(node) {}
  detail::PartitionedNode* node_;
};

} // namespace varscope
