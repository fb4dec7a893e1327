// runtime/src/variable.cpp - Variable, PartitionedVariable, SaveSliceInfo.
#include "varscope/variable.h"

#include <algorithm>
#include <mutex>

#include "internal.h"
#include "varscope/errors.h"

namespace varscope {

namespace {

const std::string kEmpty;

std::unique_lock<std::recursive_mutex> lock_store(Store* store) {
  return std::unique_lock<std::recursive_mutex>(detail::Access::impl(*store).mu);
}

/// Concatenates `parts` along `axis` (all other dimensions equal).
Tensor concat_along(const std::vector<Tensor>& parts, int axis, const Shape& full) {
  Tensor out(parts.front().dtype(), full);
  if (out.num_elements() == 0) return out;
  std::int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= full[d];
  std::size_t elem = dtype_size(out.dtype());
  std::int64_t out_row = full.num_elements() / outer; // elements per outer index
  std::int64_t offset = 0;
  for (const Tensor& part : parts) {
    std::int64_t part_row = part.num_elements() / std::max<std::int64_t>(outer, 1);
    for (std::int64_t o = 0; o < outer; ++o) {
      if (out.dtype() == DType::String) {
        const auto* src = static_cast<const std::string*>(part.raw_data()) + o * part_row;
        auto* dst = static_cast<std::string*>(out.raw_data()) + o * out_row + offset;
        std::copy_n(src, part_row, dst);
      } else {
        const auto* src = static_cast<const unsigned char*>(part.raw_data()) + o * part_row * static_cast<std::int64_t>(elem);
        auto* dst = static_cast<unsigned char*>(out.raw_data()) + (o * out_row + offset) * static_cast<std::int64_t>(elem);
        std::copy_n(src, part_row * static_cast<std::int64_t>(elem), dst);
      }
    }
    offset += part_row;
  }
  return out;
}

} // namespace

Variable Variable::from_tensor(Tensor value) {
  Variable v;
  v.tensor_ = detail::make_ref<detail::TensorHolder>(std::move(value));
  return v;
}

std::string Variable::name() const {
  if (node_) return op_name() + ":0";
  if (partitioned_) return partitioned_->name;
  if (tensor_) return tensor_->tensor.name();
  return "";
}

const std::string& Variable::store_name() const {
  if (node_) return node_->store_name;
  if (partitioned_) return partitioned_->name;
  if (tensor_) return tensor_->tensor.name();
  return kEmpty;
}

const std::string& Variable::op_name() const {
  if (node_ && node_->extras && !node_->extras->op_name.empty()) return node_->extras->op_name;
  return store_name();
}

const Shape& Variable::shape() const {
  if (node_) return node_->value.shape();
  if (partitioned_) return partitioned_->shape;
  if (tensor_) return tensor_->tensor.shape();
  throw ValueError("Variable::shape: undefined variable");
}

DType Variable::dtype() const {
  if (node_) return node_->value.dtype();
  if (partitioned_) return partitioned_->dtype;
  if (tensor_) return tensor_->tensor.dtype();
  throw ValueError("Variable::dtype: undefined variable");
}

std::string Variable::dtype_string() const {
  std::string s(dtype_name(dtype()));
  if (node_ && !node_->use_resource) s += "_ref";
  return s;
}

bool Variable::trainable() const {
  if (node_) return node_->trainable;
  if (partitioned_) return !partitioned_->shards.empty() && partitioned_->shards.front()->trainable;
  return false;
}

bool Variable::use_resource() const { return node_ ? node_->use_resource : false; }

const std::string& Variable::caching_device() const {
  return node_ && node_->extras ? node_->extras->caching_device : kEmpty;
}

const Constraint& Variable::constraint() const {
  static const Constraint kNone;
  return node_ && node_->extras ? node_->extras->constraint : kNone;
}

VariableSynchronization Variable::synchronization() const {
  return node_ ? node_->synchronization : VariableSynchronization::Auto;
}
VariableAggregation Variable::aggregation() const { return node_ ? node_->aggregation : VariableAggregation::None; }

const std::string& Variable::initializer_description() const {
  if (node_ && node_->initializer_description) return *node_->initializer_description;
  if (partitioned_ && !partitioned_->shards.empty()) return Variable(partitioned_->shards.front()).initializer_description();
  return kEmpty;
}

const SaveSliceInfo* Variable::save_slice_info() const {
  return node_ && node_->extras ? node_->extras->save_slice_info.get() : nullptr;
}

Tensor Variable::value() const {
  if (node_) {
    auto lock = lock_store(node_->store);
    return node_->value; // assign() replaces the buffer, so this is a snapshot
  }
  if (partitioned_) return as_partitioned().as_tensor();
  if (tensor_) return tensor_->tensor;
  throw ValueError("Variable::value: undefined variable");
}

const Tensor& Variable::read_value_unsafe() const {
  if (node_) return node_->value;
  if (tensor_) return tensor_->tensor;
  throw ValueError("Variable::read_value_unsafe: not a single stored variable");
}

void Variable::assign(const Tensor& value) const {
  if (!node_) throw ValueError("Variable::assign: only stored, unpartitioned variables can be assigned");
  auto lock = lock_store(node_->store);
  if (value.dtype() != node_->value.dtype())
    throw ValueError("Cannot assign a tensor of dtype " + std::string(dtype_name(value.dtype())) + " to variable " +
                     node_->store_name + " of dtype " + std::string(dtype_name(node_->value.dtype())));
  if (value.shape() != node_->value.shape())
    throw ValueError("Cannot assign a tensor of shape " + value.shape().to_string() + " to variable " +
                     node_->store_name + " of shape " + node_->value.shape().to_string());
  node_->value = value.clone();
}

PartitionedVariable Variable::as_partitioned() const {
  if (!partitioned_) throw TypeError("Variable " + store_name() + " is not a partitioned variable");
  return PartitionedVariable(partitioned_);
}

Store* Variable::store() const {
  if (node_) return node_->store;
  if (partitioned_) return partitioned_->store;
  return nullptr;
}

// -- PartitionedVariable -------------------------------------------------------

const std::string& PartitionedVariable::name() const { return node_->name; }
const Shape& PartitionedVariable::shape() const { return node_->shape; }
DType PartitionedVariable::dtype() const { return node_->dtype; }
std::vector<Variable> PartitionedVariable::shards() const {
  std::vector<Variable> out;
  for (detail::VariableNode* n : node_->shards) out.push_back(Variable(n));
  return out;
}
std::size_t PartitionedVariable::size() const { return node_->shards.size(); }
const std::vector<std::int64_t>& PartitionedVariable::partitions() const { return node_->partitions; }
int PartitionedVariable::slice_dim() const { return node_->slice_dim; }

Tensor PartitionedVariable::as_tensor() const {
  std::vector<Tensor> parts;
  for (const Variable& v : shards()) parts.push_back(v.value());
  if (parts.size() == 1) return parts.front();
  return concat_along(parts, node_->slice_dim, node_->shape);
}

std::string SaveSliceInfo::spec() const {
  return save_slice_spec(full_shape, SliceSpec{.offset = var_offset, .shape = var_shape});
}

} // namespace varscope
