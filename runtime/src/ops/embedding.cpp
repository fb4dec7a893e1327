// ops/embedding.cpp - gather and embedding_lookup (plain, sharded and over
// partitioned variables, with TF's "mod" and "div" partition strategies).
#include <algorithm>

#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

/// TF's SliceDebugString: the position of flat element `i` in `shape`,
/// "[1]" or "[1,0]".
std::string index_string(const Shape& shape, std::int64_t i) {
  std::vector<std::int64_t> index(static_cast<std::size_t>(shape.rank()));
  for (std::size_t d = index.size(); d-- > 0;) {
    index[d] = i % shape[static_cast<int>(d)];
    i /= shape[static_cast<int>(d)];
  }
  return dims_string(index);
}

[[noreturn]] void index_out_of_range(const Tensor& indices, std::int64_t i, std::int64_t value, std::int64_t limit) {
  throw ValueError("indices" + index_string(indices.shape(), i) + " = " + std::to_string(value) + " is not in [0, " +
                   std::to_string(limit) + ")");
}

/// Indices as int64 (int32 or int64 input).
std::vector<std::int64_t> read_indices(const OpInfo& op, const Tensor& indices) {
  return dispatch(IndexTypes{}, op, "indices", indices.dtype(), [&]<class I>(std::type_identity<I>) {
    const I* p = indices.data<I>();
    return std::vector<std::int64_t>(p, p + indices.num_elements());
  });
}

/// Where a flat id lives: shard and row within it.
struct Location {
  std::size_t shard;
  std::int64_t row;
};

/// tf.nn.embedding_lookup's assignment of `id` (in [0, total)) to one of
/// `n` shards.
Location locate(std::int64_t id, std::int64_t n, std::int64_t total, bool mod) {
  if (mod) return {static_cast<std::size_t>(id % n), id / n};
  // "div": ids_per_partition = total // n and the first `extras` shards
  // hold one id more.
  const std::int64_t ids_per = total / n;
  const std::int64_t extras = total % n;
  const std::int64_t p = std::max(id / (ids_per + 1), ids_per == 0 ? 0 : (id - extras) / ids_per);
  const std::int64_t row = p < extras ? id % (ids_per + 1) : (id - extras) % ids_per;
  return {static_cast<std::size_t>(p), row};
}

Tensor lookup(detail::ThreadPool* pool, OpInfo& op, const std::vector<Tensor>& shards, const Tensor& ids,
              const std::string& strategy) {
  for (const Tensor& s : shards) op.input_shapes.push_back(s.shape());
  op.input_shapes.push_back(ids.shape());
  if (shards.empty()) throw ValueError("Need at least one param");
  const Tensor& first = shards.front();
  if (shards.size() > 1 && strategy != "mod" && strategy != "div")
    throw ValueError("Unrecognized partition strategy: " + strategy);
  check_rank_at_least(op, first, 1);
  std::int64_t total = 0;
  for (const Tensor& s : shards) {
    check_same_dtype(op, "params", first, "params", s);
    check_rank(op, s, first.rank());
    for (int d = 1; d < first.rank(); ++d)
      if (s.dim(d) != first.dim(d)) dims_must_be_equal(op, first.dim(d), s.dim(d));
    total += s.dim(0);
  }
  const std::vector<std::int64_t> flat = read_indices(op, ids);
  std::vector<std::int64_t> out_dims = ids.shape().dims();
  const std::vector<std::int64_t>& row_dims = first.shape().dims();
  out_dims.insert(out_dims.end(), row_dims.begin() + 1, row_dims.end());
  Tensor out = make_output(first.dtype(), out_dims);
  const std::int64_t row = product(row_dims, 1, row_dims.size());
  const auto n = static_cast<std::int64_t>(shards.size());
  const bool mod = strategy == "mod";
  // Every id is checked, in order, before any row is copied: the copies run
  // on the workers, which must not throw.
  std::vector<Location> locations(flat.size());
  for (std::size_t i = 0; i < flat.size(); ++i) {
    const std::int64_t id = flat[i];
    const auto pos = static_cast<std::int64_t>(i);
    if (id < 0 || id >= total) index_out_of_range(ids, pos, id, total);
    const Location at = n == 1 ? Location{0, id} : locate(id, n, total, mod);
    const Tensor& shard = shards[at.shard];
    if (at.row >= shard.dim(0))
      throw ValueError("indices" + index_string(ids.shape(), pos) + " = " + std::to_string(id) + " maps to row " +
                       std::to_string(at.row) + " of shard " + std::to_string(at.shard) + ", which is not in [0, " +
                       std::to_string(shard.dim(0)) + ")");
    locations[i] = at;
  }
  dispatch_by_size(first.dtype(), [&]<class T>(std::type_identity<T>) {
    std::vector<const T*> from;
    for (const Tensor& shard : shards) from.push_back(raw_ptr<T>(shard));
    T* to = raw_ptr<T>(out);
    // One copy per output row: any split is exact.
    parallel_rows(pool, static_cast<std::int64_t>(locations.size()), row * kCopyCost + kRowCopyOverhead,
                  [&](std::int64_t begin, std::int64_t end) {
                    for (std::int64_t i = begin; i < end; ++i) {
                      const Location& at = locations[static_cast<std::size_t>(i)];
                      std::copy_n(from[at.shard] + at.row * row, row, to + i * row);
                    }
                  });
    return 0;
  });
  return out;
}

} // namespace

Tensor gather(Scope& scope, const Tensor& params, const Tensor& indices, GatherOptions options) {
  return run_op(scope, options.name, "GatherV2", "GatherV2", [&](OpInfo& op) {
    op.input_shapes = {params.shape(), indices.shape(), Shape{}};
    op.computed = "input[2] = " + values_string({options.axis});
    check_dtype(IndexTypes{}, op, "indices", indices.dtype());
    const int rank = params.rank();
    if (options.axis >= 0) check_rank_at_least(op, params, options.axis + 1);
    const int axis = normalize_axis(options.axis, rank);
    if (axis < 0)
      shape_error(op, "Expected axis in the range [" + std::to_string(-rank) + ", " + std::to_string(rank) +
                          "), but got " + std::to_string(options.axis));
    const std::vector<std::int64_t> flat = read_indices(op, indices);
    const std::vector<std::int64_t>& dims = params.shape().dims();
    const std::size_t a = static_cast<std::size_t>(axis);
    const std::int64_t limit = dims[a];
    for (std::size_t i = 0; i < flat.size(); ++i)
      if (flat[i] < 0 || flat[i] >= limit) index_out_of_range(indices, static_cast<std::int64_t>(i), flat[i], limit);
    std::vector<std::int64_t> out_dims(dims.begin(), dims.begin() + axis);
    out_dims.insert(out_dims.end(), indices.shape().dims().begin(), indices.shape().dims().end());
    out_dims.insert(out_dims.end(), dims.begin() + axis + 1, dims.end());
    Tensor out = make_output(params.dtype(), out_dims);
    const std::int64_t outer = product(dims, 0, a);
    const std::int64_t inner = product(dims, a + 1, dims.size());
    const auto m = static_cast<std::int64_t>(flat.size());
    dispatch_by_size(params.dtype(), [&]<class T>(std::type_identity<T>) {
      const T* from = raw_ptr<T>(params);
      T* to = raw_ptr<T>(out);
      // Output row r = (o, j) is one copy: any split is exact.
      parallel_rows(intra_op_pool(scope), outer * m, inner * kCopyCost + kRowCopyOverhead,
                    [&](std::int64_t begin, std::int64_t end) {
                      for (std::int64_t r = begin; r < end; ++r) {
                        const std::int64_t o = r / m;
                        const std::int64_t j = flat[static_cast<std::size_t>(r % m)];
                        std::copy_n(from + (o * limit + j) * inner, inner, to + r * inner);
                      }
                    });
      return 0;
    });
    return out;
  });
}

Tensor embedding_lookup(Scope& scope, const std::vector<Tensor>& params, const Tensor& ids,
                        EmbeddingLookupOptions options) {
  const std::string_view type = params.size() > 1 ? "ParallelDynamicStitch" : "GatherV2";
  return run_op(scope, options.name, "embedding_lookup", type,
                [&](OpInfo& op) { return lookup(intra_op_pool(scope), op, params, ids, options.partition_strategy); });
}

Tensor embedding_lookup(Scope& scope, const Tensor& params, const Tensor& ids, EmbeddingLookupOptions options) {
  return embedding_lookup(scope, std::vector<Tensor>{params}, ids, std::move(options));
}

Tensor embedding_lookup(Scope& scope, const Variable& params, const Tensor& ids, EmbeddingLookupOptions options) {
  std::vector<Tensor> shards;
  if (params.is_partitioned()) {
    const PartitionedVariable partitioned = params.as_partitioned();
    if (partitioned.size() > 1 && partitioned.slice_dim() != 0)
      throw ValueError("embedding_lookup: partitioned variable '" + partitioned.name() +
                       "' must be partitioned along axis 0, not " + std::to_string(partitioned.slice_dim()));
    // Shards are read in place (no copy) for the duration of the lookup.
    for (const Variable& shard : partitioned.shards()) shards.push_back(shard.read_value_unsafe());
  } else if (params.is_tensor()) {
    shards.push_back(params.value());
  } else {
    shards.push_back(params.read_value_unsafe());
  }
  return embedding_lookup(scope, shards, ids, std::move(options));
}

} // namespace varscope
