// varscope/partitioners.h - how a variable is split into shards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "varscope/detail/function.h"
#include "varscope/dtype.h"
#include "varscope/shape.h"

namespace varscope {

/// TF's partitioner: given the full shape and dtype, returns the number of
/// partitions per axis (at most one entry greater than 1).
using PartitionerFn = Function<std::vector<std::int64_t>(const Shape& shape, DType dtype)>;

/// The `partitioner` keyword argument (empty = None). `description` is shown
/// in `varscope names` and messages. Immutable; the built-in partitioners are
/// pure functions and thread-safe.
class Partitioner {
public:
  Partitioner() = default;
  Partitioner(PartitionerFn fn, std::string description = "custom_partitioner")
      : fn_(std::move(fn)), description_(std::move(description)) {}
  template <class F>
    requires(std::is_invocable_r_v<std::vector<std::int64_t>, const F&, const Shape&, DType> &&
             !std::is_same_v<std::decay_t<F>, Partitioner>)
  Partitioner(F fn) : Partitioner(PartitionerFn(std::move(fn))) {}

  explicit operator bool() const { return static_cast<bool>(fn_); }
  std::vector<std::int64_t> operator()(const Shape& shape, DType dtype) const { return fn_(shape, dtype); }
  const std::string& description() const { return description_; }

private:
  PartitionerFn fn_;
  std::string description_;
};

/// p[axis] = min(num_shards, shape[axis]).
Partitioner fixed_size_partitioner(std::int64_t num_shards, int axis = 0);
/// Shards of at most `max_shard_bytes` along `axis` (tf-semantics.md §6.5);
/// ValueError at construction for non-positive sizes.
Partitioner variable_axis_size_partitioner(std::int64_t max_shard_bytes, int axis = 0,
                                           std::int64_t bytes_per_string_element = 16,
                                           std::optional<std::int64_t> max_shards = std::nullopt);
/// max(1, min(shape[axis], max_partitions, ceil(bytes / min_slice_size))).
Partitioner min_max_variable_partitioner(std::int64_t max_partitions = 1, int axis = 0,
                                         std::int64_t min_slice_size = 256 << 10,
                                         std::int64_t bytes_per_string_element = 16);

/// One shard's place: offset along each axis and the shard's shape.
struct SliceSpec {
  std::vector<std::int64_t> offset = {};
  Shape shape = {};
};
/// TF's slicing of `full_shape` into `partitions` (§6.3): along the one axis
/// with more than one partition, the first L % n slices get one extra row.
std::vector<SliceSpec> compute_slices(const Shape& full_shape, const std::vector<std::int64_t>& partitions);
/// TF's save-slice spec, e.g. "2 4 0,2:2,2".
std::string save_slice_spec(const Shape& full_shape, const SliceSpec& slice);

} // namespace varscope
