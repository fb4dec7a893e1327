// runtime/src/partitioners.cpp - PartitionInfo, TF's three partitioners and
// the slicing of a partitioned variable (tf-semantics.md §6.3, §6.5).
//
// PartitionInfo is an immutable value; the partitioners are pure functions of
// their arguments. All of it is thread-safe.

#include "varscope/partitioners.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "varscope/errors.h"
#include "varscope/initializers.h"

namespace varscope {

namespace {

/// Python's str() of a list of ints: "[1, 2]".
std::string pyList(const std::vector<std::int64_t>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(values[i]);
  }
  return out + "]";
}

/// Python indexing of `axis` into a sequence of `rank` entries (negative
/// counts from the end); ValueError with min_max_variable_partitioner's text
/// when it is out of range.
int normalizeAxis(int axis, const Shape& shape) {
  int rank = shape.rank();
  if (axis >= rank || axis < -rank)
    throw ValueError("Can not partition variable along axis " + std::to_string(axis) + " when shape is only " +
                     shape.to_string());
  return axis < 0 ? axis + rank : axis;
}

std::int64_t elementBytes(DType dtype, std::int64_t bytes_per_string_element) {
  if (dtype == DType::String) return bytes_per_string_element;
  return static_cast<std::int64_t>(dtype_size(dtype));
}

} // namespace

//===----------------------------------------------------------------------===//
// PartitionInfo
//===----------------------------------------------------------------------===//

PartitionInfo::PartitionInfo(Shape full_shape, std::vector<std::int64_t> var_offset)
    : full_shape_(std::move(full_shape)), var_offset_(std::move(var_offset)) {
  const std::vector<std::int64_t>& dims = full_shape_.dims();
  if (var_offset_.size() != dims.size())
    throw ValueError("Expected equal length, but `var_offset` is of length " + std::to_string(var_offset_.size()) +
                     " while full_shape is of length " + std::to_string(dims.size()) + ".");
  for (std::size_t i = 0; i < dims.size(); ++i) {
    std::int64_t offset = var_offset_[i];
    std::int64_t shape = dims[i];
    if (offset < 0 || offset >= shape)
      throw ValueError("Expected 0 <= offset < shape but found offset=" + std::to_string(offset) +
                       ", shape=" + std::to_string(shape) + " for var_offset=" + pyList(var_offset_) +
                       ", full_shape=" + pyList(dims));
  }
}

int PartitionInfo::single_slice_dim(const Shape& shape) const {
  const std::vector<std::int64_t>& full = full_shape_.dims();
  const std::vector<std::int64_t>& dims = shape.dims();
  if (dims.size() != full.size())
    throw ValueError("Expected equal length, but received shape=" + pyList(dims) + " of length " +
                     std::to_string(dims.size()) + " while self.full_shape=" + pyList(full) + " is of length " +
                     std::to_string(full.size()) + ".");
  for (std::size_t i = 0; i < dims.size(); ++i)
    if (var_offset_[i] + dims[i] > full[i])
      throw ValueError("With self.var_offset=" + pyList(var_offset_) + ", a partition of shape=" + pyList(dims) +
                       " would exceed self.full_shape=" + pyList(full) + " in dimension " + std::to_string(i) +
                       ".");
  int slice_dim = -1;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == full[i]) continue;
    if (slice_dim != -1)
      throw ValueError("Cannot use single_slice_dim() with shape=" + pyList(dims) +
                       " and self.full_shape=" + pyList(full) + " since slice dim could be either dimension " +
                       std::to_string(i) + " or " + std::to_string(slice_dim) + ".");
    slice_dim = static_cast<int>(i);
  }
  return slice_dim;
}

std::int64_t PartitionInfo::single_offset(const Shape& shape) const {
  int dim = single_slice_dim(shape);
  if (dim == -1) return 0;
  return var_offset_[static_cast<std::size_t>(dim)];
}

//===----------------------------------------------------------------------===//
// Partitioners
//===----------------------------------------------------------------------===//

Partitioner fixed_size_partitioner(std::int64_t num_shards, int axis) {
  auto fn = [num_shards, axis](const Shape& shape, DType) {
    int a = normalizeAxis(axis, shape);
    std::vector<std::int64_t> partitions(static_cast<std::size_t>(shape.rank()), 1);
    partitions[static_cast<std::size_t>(a)] = std::min(num_shards, shape[a]);
    return partitions;
  };
  return Partitioner(fn, "fixed_size_partitioner(num_shards=" + std::to_string(num_shards) +
                             ", axis=" + std::to_string(axis) + ")");
}

Partitioner variable_axis_size_partitioner(std::int64_t max_shard_bytes, int axis,
                                           std::int64_t bytes_per_string_element,
                                           std::optional<std::int64_t> max_shards) {
  if (max_shard_bytes < 1 || bytes_per_string_element < 1)
    throw ValueError("Both max_shard_bytes and bytes_per_string_element must be positive.");
  // Python tests `if max_shards and max_shards < 1`: 0 is falsy and counts as
  // "not given", here and when capping below; only negatives are rejected.
  if (max_shards && *max_shards < 0) throw ValueError("max_shards must be positive.");

  auto fn = [=](const Shape& shape, DType dtype) {
    if (!shape.is_fully_defined()) throw ValueError("shape is not fully defined: " + shape.to_string());
    int a = normalizeAxis(axis, shape);
    std::int64_t axis_len = shape[a];
    if (axis_len == 0)
      throw ValueError("Can not partition variable along axis " + std::to_string(axis) +
                       " of length 0, shape: " + shape.to_string());
    auto element_size = static_cast<double>(elementBytes(dtype, bytes_per_string_element));
    double bytes_per_slice =
        static_cast<double>(shape.num_elements()) / static_cast<double>(axis_len) * element_size;
    double slices_per_shard = std::max(1.0, std::floor(static_cast<double>(max_shard_bytes) / bytes_per_slice));
    auto axis_shards = static_cast<std::int64_t>(std::ceil(static_cast<double>(axis_len) / slices_per_shard));
    if (max_shards && *max_shards != 0) axis_shards = std::min(*max_shards, axis_shards);
    std::vector<std::int64_t> partitions(static_cast<std::size_t>(shape.rank()), 1);
    partitions[static_cast<std::size_t>(a)] = axis_shards;
    return partitions;
  };
  std::string description = "variable_axis_size_partitioner(max_shard_bytes=" + std::to_string(max_shard_bytes) +
                            ", axis=" + std::to_string(axis) +
                            ", bytes_per_string_element=" + std::to_string(bytes_per_string_element);
  if (max_shards) description += ", max_shards=" + std::to_string(*max_shards);
  return Partitioner(fn, description + ")");
}

Partitioner min_max_variable_partitioner(std::int64_t max_partitions, int axis, std::int64_t min_slice_size,
                                         std::int64_t bytes_per_string_element) {
  auto fn = [=](const Shape& shape, DType dtype) {
    int a = normalizeAxis(axis, shape);
    if (min_slice_size < 1) // Python would raise ZeroDivisionError here
      throw ValueError("min_slice_size must be positive, but is " + std::to_string(min_slice_size));
    double total_size_bytes =
        static_cast<double>(shape.num_elements()) * static_cast<double>(elementBytes(dtype, bytes_per_string_element));
    double wanted = std::ceil(total_size_bytes / static_cast<double>(min_slice_size));
    std::int64_t count = std::min({shape[a], max_partitions, static_cast<std::int64_t>(wanted)});
    std::vector<std::int64_t> partitions(static_cast<std::size_t>(shape.rank()), 1);
    partitions[static_cast<std::size_t>(a)] = std::max<std::int64_t>(1, count);
    return partitions;
  };
  return Partitioner(fn, "min_max_variable_partitioner(max_partitions=" + std::to_string(max_partitions) +
                             ", axis=" + std::to_string(axis) + ", min_slice_size=" +
                             std::to_string(min_slice_size) +
                             ", bytes_per_string_element=" + std::to_string(bytes_per_string_element) + ")");
}

//===----------------------------------------------------------------------===//
// Slicing
//===----------------------------------------------------------------------===//

std::vector<SliceSpec> compute_slices(const Shape& full_shape, const std::vector<std::int64_t>& partitions) {
  if (!full_shape.is_fully_defined())
    throw ValueError("Shape of a new partitioned variable must be fully defined, but instead was " +
                     full_shape.to_string() + ".");
  if (static_cast<int>(partitions.size()) != full_shape.rank())
    throw ValueError("Partitioner returned a partition list that does not match the Variable's rank: " +
                     pyList(partitions) + " vs. " + full_shape.to_string());

  // TF: the first axis with more than one partition; else axis 0, one slice.
  std::size_t slice_dim = 0;
  std::int64_t num_slices = 1;
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    if (partitions[i] > 1) {
      slice_dim = i;
      num_slices = partitions[i];
      break;
    }
  }

  std::vector<SliceSpec> slices;
  slices.reserve(static_cast<std::size_t>(num_slices));
  std::vector<std::int64_t> offset(full_shape.dims().size(), 0);
  if (full_shape.rank() == 0) {
    slices.push_back(SliceSpec{offset, full_shape});
    return slices;
  }
  std::int64_t length = full_shape.dims()[slice_dim];
  std::int64_t base = length / num_slices;
  std::int64_t with_excess = length % num_slices;
  for (std::int64_t i = 0; i < num_slices; ++i) {
    std::vector<std::int64_t> dims = full_shape.dims();
    dims[slice_dim] = base + (i < with_excess ? 1 : 0);
    slices.push_back(SliceSpec{offset, Shape(dims)});
    offset[slice_dim] += dims[slice_dim];
  }
  return slices;
}

std::string save_slice_spec(const Shape& full_shape, const SliceSpec& slice) {
  assert(slice.offset.size() == full_shape.dims().size() && slice.shape.rank() == full_shape.rank() &&
         "slice rank must match the full shape");
  std::string out;
  for (std::int64_t d : full_shape.dims()) out += std::to_string(d) + " ";
  for (std::size_t i = 0; i < slice.offset.size(); ++i) {
    if (i > 0) out += ":";
    out += std::to_string(slice.offset[i]) + "," + std::to_string(slice.shape.dims()[i]);
  }
  return out;
}

} // namespace varscope
