// ops/array.cpp - data movement: concat, split, reshape, transpose, slice,
// one_hot. Element moves are by element size, so every dtype works; the
// copies and one_hot's rows split over the store's threads (parallel.h).
#include <algorithm>
#include <cstring>

#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

std::vector<std::int64_t> to_int64(const std::vector<int>& values) { return {values.begin(), values.end()}; }

void check_concat_shapes(OpInfo& op, const std::vector<Tensor>& values, int axis) {
  const Tensor& first = values.front();
  for (const Tensor& t : values) {
    if (t.dtype() == first.dtype()) continue;
    std::string types;
    for (const Tensor& v : values) types += (types.empty() ? "" : ", ") + std::string(dtype_name(v.dtype()));
    throw TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types [" + types +
                    "] that don't all match.");
  }
  const int rank = first.rank();
  for (const Tensor& t : values) check_rank(op, t, rank);
  if (normalize_axis(axis, rank) < 0)
    shape_error(op, "Expected concatenating dimensions in the range [" + std::to_string(-rank) + ", " +
                        std::to_string(rank) + "), but got " + std::to_string(axis));
  const int a = normalize_axis(axis, rank);
  for (const Tensor& t : values)
    for (int d = 0; d < rank; ++d) {
      if (d == a || t.dim(d) == first.dim(d)) continue;
      shape_error(op, "Dimension " + std::to_string(d) + " in both shapes must be equal, but are " +
                          std::to_string(first.dim(d)) + " and " + std::to_string(t.dim(d)) + ". Shapes are " +
                          dims_string(first.shape()) + " and " + dims_string(t.shape()) + ".");
    }
}

/// The split_dim of Split/SplitV, normalised; shape error when out of range.
int split_axis(const OpInfo& op, const Tensor& value, int axis) {
  const int a = normalize_axis(axis, value.rank());
  if (a < 0)
    shape_error(op, "Dimension must be in range [" + std::to_string(-value.rank()) + ", " +
                        std::to_string(value.rank()) + "), but got " + std::to_string(axis));
  return a;
}

/// Pieces of `sizes` along `axis` (all validated), split over `pool` as
/// concat is (concat's runs in reverse).
std::vector<Tensor> split_pieces(const Tensor& value, int axis, const std::vector<std::int64_t>& sizes,
                                 detail::ThreadPool* pool) {
  const std::vector<std::int64_t>& dims = value.shape().dims();
  const std::size_t a = static_cast<std::size_t>(axis);
  const std::int64_t outer = product(dims, 0, a);
  const std::int64_t inner = product(dims, a + 1, dims.size());
  std::vector<Tensor> pieces;
  for (std::int64_t size : sizes) {
    std::vector<std::int64_t> piece_dims = dims;
    piece_dims[a] = size;
    pieces.push_back(make_output(value.dtype(), piece_dims));
  }
  const std::int64_t in_row = dims[a] * inner;
  const auto n = static_cast<std::int64_t>(sizes.size());
  dispatch_by_size(value.dtype(), [&]<class T>(std::type_identity<T>) {
    // Each piece's run in each input row, and where it starts in the row.
    std::vector<T*> to;
    std::vector<std::int64_t> chunk;
    std::vector<std::int64_t> start = {0};
    for (std::size_t v = 0; v < pieces.size(); ++v) {
      to.push_back(raw_ptr<T>(pieces[v]));
      chunk.push_back(sizes[v] * inner);
      start.push_back(start.back() + chunk.back());
    }
    const T* from = raw_ptr<T>(value);
    // Task k copies input row k / n's run of piece k % n: any split is exact.
    parallel_rows(pool, outer * n, in_row / n * kCopyCost + kRowCopyOverhead,
                  [&](std::int64_t begin, std::int64_t end) {
                    for (std::int64_t k = begin; k < end; ++k) {
                      const std::int64_t o = k / n;
                      const auto v = static_cast<std::size_t>(k % n);
                      std::copy_n(from + o * in_row + start[v], chunk[v], to[v] + o * chunk[v]);
                    }
                  });
    return 0;
  });
  return pieces;
}

/// Cost units of one index of one_hot: its on_value is a scattered store
/// into rows already filled, often evicted. A throwaway timing on one core
/// (EPYC at 2.45 GHz) of [4096, 1024] float outputs: the fill 0.1 ns per
/// element (depth 1024, counted at kCopyCost), 3.7 ns per row of depth 16.
constexpr std::int64_t kOneHotSetCost = 20;

/// Output rows [begin, end) of one_hot: row i is [depth, inner], its
/// elements off but for index i * inner + j's (if in range) at (v, j).
template <class Index, class Out>
void one_hot_rows(const Index* idx, Out* o, std::int64_t depth, std::int64_t inner, Out on, Out off,
                  std::int64_t begin, std::int64_t end) {
  std::fill(o + begin * depth * inner, o + end * depth * inner, off);
  for (std::int64_t i = begin; i < end; ++i)
    for (std::int64_t j = 0; j < inner; ++j) {
      const std::int64_t v = static_cast<std::int64_t>(idx[i * inner + j]);
      if (v >= 0 && v < depth) o[(i * depth + v) * inner + j] = on;
    }
}

} // namespace

Tensor concat(Scope& scope, const std::vector<Tensor>& values, int axis, OpOptions options) {
  // TF: a single value is an Identity op named "concat".
  const bool identity = values.size() == 1;
  return run_op(scope, options.name, "concat", identity ? "Identity" : "ConcatV2", [&](OpInfo& op) {
    if (values.empty())
      throw ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.");
    if (identity) {
      op.input_shapes = {values[0].shape()};
      return values[0].clone();
    }
    for (const Tensor& t : values) op.input_shapes.push_back(t.shape());
    op.input_shapes.push_back(Shape{});
    op.computed = "input[" + std::to_string(values.size()) + "] = " + values_string({axis});
    check_concat_shapes(op, values, axis);
    const int a = normalize_axis(axis, values[0].rank());
    const std::vector<std::int64_t>& dims = values[0].shape().dims();
    const std::size_t ua = static_cast<std::size_t>(a);
    std::vector<std::int64_t> out_dims = dims;
    out_dims[ua] = 0;
    for (const Tensor& t : values) out_dims[ua] += t.dim(a);
    Tensor out = make_output(values[0].dtype(), out_dims);
    const std::int64_t outer = product(dims, 0, ua);
    const std::int64_t inner = product(dims, ua + 1, dims.size());
    const std::int64_t out_row = out_dims[ua] * inner;
    const auto n = static_cast<std::int64_t>(values.size());
    dispatch_by_size(values[0].dtype(), [&]<class T>(std::type_identity<T>) {
      // Each value's run in each output row, and where it goes in the row.
      std::vector<const T*> from;
      std::vector<std::int64_t> chunk;
      std::vector<std::int64_t> start = {0};
      for (const Tensor& t : values) {
        from.push_back(raw_ptr<T>(t));
        chunk.push_back(t.dim(a) * inner);
        start.push_back(start.back() + chunk.back());
      }
      T* to = raw_ptr<T>(out);
      // Task k copies value k % n into output row k / n: any split is exact.
      parallel_rows(intra_op_pool(scope), outer * n, out_row / n * kCopyCost + kRowCopyOverhead,
                    [&](std::int64_t begin, std::int64_t end) {
                      for (std::int64_t k = begin; k < end; ++k) {
                        const std::int64_t o = k / n;
                        const auto v = static_cast<std::size_t>(k % n);
                        std::copy_n(from[v] + o * chunk[v], chunk[v], to + o * out_row + start[v]);
                      }
                    });
      return 0;
    });
    return out;
  });
}

std::vector<Tensor> split(Scope& scope, const Tensor& value, int num_splits, SplitOptions options) {
  return run_op(scope, options.name, "split", "Split", [&](OpInfo& op) {
    op.input_shapes = {Shape{}, value.shape()};
    op.computed = "input[0] = " + values_string({options.axis});
    if (num_splits < 1)
      throw ValueError("Value for attr 'num_split' of " + std::to_string(num_splits) +
                       " must be at least minimum 1");
    const int a = split_axis(op, value, options.axis);
    const std::int64_t size = value.dim(a);
    if (size % num_splits != 0)
      shape_error(op, "Dimension size must be evenly divisible by " + std::to_string(num_splits) + " but is " +
                          std::to_string(size));
    return split_pieces(value, a, std::vector<std::int64_t>(static_cast<std::size_t>(num_splits), size / num_splits),
                        intra_op_pool(scope));
  });
}

std::vector<Tensor> split(Scope& scope, const Tensor& value, const std::vector<std::int64_t>& size_splits,
                          SplitOptions options) {
  return run_op(scope, options.name, "split", "SplitV", [&](OpInfo& op) {
    op.input_shapes = {value.shape(), Shape{static_cast<std::int64_t>(size_splits.size())}, Shape{}};
    op.computed = "input[1] = " + values_string(size_splits) + ", input[2] = " + values_string({options.axis});
    const int a = split_axis(op, value, options.axis);
    std::vector<std::int64_t> sizes = size_splits;
    std::int64_t total = 0;
    int unknown = -1;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == -1) {
        if (unknown >= 0)
          shape_error(op, "Only one dimensions can have a value of -1. Second one found at dimension " +
                              std::to_string(i));
        unknown = static_cast<int>(i);
        continue;
      }
      if (sizes[i] < 0)
        shape_error(op, "Split size at index " + std::to_string(i) + " must be >= 0. Got: " +
                            std::to_string(sizes[i]));
      total += sizes[i];
    }
    const std::int64_t dim = value.dim(a);
    if ((unknown < 0 && total != dim) || (unknown >= 0 && total > dim))
      shape_error(op, "Determined shape must either match input shape along split_dim exactly if fully "
                      "specified, or be less than the size of the input along split_dim if not fully "
                      "specified.  Got: " + std::to_string(total));
    if (unknown >= 0) sizes[static_cast<std::size_t>(unknown)] = dim - total;
    return split_pieces(value, a, sizes, intra_op_pool(scope));
  });
}

Tensor reshape(Scope& scope, const Tensor& tensor, const std::vector<std::int64_t>& shape, OpOptions options) {
  return run_op(scope, options.name, "Reshape", "Reshape", [&](OpInfo& op) {
    op.input_shapes = {tensor.shape(), Shape{static_cast<std::int64_t>(shape.size())}};
    op.computed = "input[1] = " + values_string(shape);
    std::vector<std::int64_t> dims = shape;
    int unknown = -1;
    std::int64_t known = 1;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] == -1) {
        if (unknown >= 0)
          shape_error(op, "Only one input size may be -1, not both " + std::to_string(unknown) + " and " +
                              std::to_string(i));
        unknown = static_cast<int>(i);
        continue;
      }
      if (dims[i] < 0)
        shape_error(op, "Size " + std::to_string(i) + " must be non-negative, not " + std::to_string(dims[i]));
      known *= dims[i];
    }
    const std::int64_t n = tensor.num_elements();
    if (unknown >= 0) {
      if (known == 0 && n != 0)
        shape_error(op, "Reshape cannot infer the missing input size for an empty tensor unless all specified "
                        "input sizes are non-zero");
      if (known != 0 && n % known != 0)
        shape_error(op, "Cannot reshape a tensor with " + std::to_string(n) + " elements to shape " +
                            dims_string(dims) + " (" + std::to_string(known) + " elements)");
      dims[static_cast<std::size_t>(unknown)] = known == 0 ? 0 : n / known;
    } else if (known != n) {
      shape_error(op, "Cannot reshape a tensor with " + std::to_string(n) + " elements to shape " +
                          dims_string(dims) + " (" + std::to_string(known) + " elements)");
    }
    return tensor.reshaped(Shape(std::move(dims)));
  });
}

Tensor transpose(Scope& scope, const Tensor& x, const std::vector<int>& perm, OpOptions options) {
  return run_op(scope, options.name, "transpose", "Transpose", [&](OpInfo& op) {
    const int rank = x.rank();
    std::vector<int> p = perm;
    if (p.empty())
      for (int i = rank - 1; i >= 0; --i) p.push_back(i);
    op.input_shapes = {x.shape(), Shape{static_cast<std::int64_t>(p.size())}};
    op.computed = "input[1] = " + values_string(to_int64(p));
    if (static_cast<int>(p.size()) != rank)
      shape_error(op, "Dimension must be " + std::to_string(rank) + " but is " + std::to_string(p.size()));
    std::vector<bool> seen(static_cast<std::size_t>(rank), false);
    for (int d : p) {
      if (d < 0 || d >= rank)
        throw ValueError(std::to_string(d) + " is out of range [0 .. " + std::to_string(rank) + ")");
      seen[static_cast<std::size_t>(d)] = true;
    }
    for (int i = 0; i < rank; ++i) {
      if (seen[static_cast<std::size_t>(i)]) continue;
      std::string list;
      for (int d : p) list += (list.empty() ? "" : ",") + std::to_string(d);
      throw ValueError(std::to_string(i) + " is missing from {" + list + "}.");
    }
    return transpose_kernel(x, p, intra_op_pool(scope));
  });
}

Tensor slice(Scope& scope, const Tensor& input, const std::vector<std::int64_t>& begin,
             const std::vector<std::int64_t>& size, OpOptions options) {
  return run_op(scope, options.name, "Slice", "Slice", [&](OpInfo& op) {
    op.input_shapes = {input.shape(), Shape{static_cast<std::int64_t>(begin.size())},
                       Shape{static_cast<std::int64_t>(size.size())}};
    op.computed = "input[1] = " + values_string(begin) + ", input[2] = " + values_string(size);
    const int rank = input.rank();
    if (static_cast<int>(begin.size()) != rank || static_cast<int>(size.size()) != rank)
      shape_error(op, "Expected begin and size arguments to be 1-D tensors of size " + std::to_string(rank) +
                          ", but got shapes [" + std::to_string(begin.size()) + "] and [" +
                          std::to_string(size.size()) + "] instead.");
    std::vector<std::int64_t> out_dims(static_cast<std::size_t>(rank));
    for (std::size_t i = 0; i < out_dims.size(); ++i) {
      const std::int64_t dim = input.dim(static_cast<int>(i));
      if (begin[i] < 0 || begin[i] > dim)
        shape_error(op, "Expected begin[" + std::to_string(i) + "] in [0, " + std::to_string(dim) + "], but got " +
                            std::to_string(begin[i]));
      const std::int64_t s = size[i] == -1 ? dim - begin[i] : size[i];
      if (s < 0 || begin[i] + s > dim)
        shape_error(op, "Expected size[" + std::to_string(i) + "] in [0, " + std::to_string(dim - begin[i]) +
                            "], but got " + std::to_string(size[i]));
      out_dims[i] = s;
    }
    Tensor out = make_output(input.dtype(), out_dims);
    if (out.num_elements() == 0) return out;
    if (rank == 0) {
      copy_elements(input, 0, out, 0, 1);
      return out;
    }
    // Runs of the last dimension, each one copy, in blocks of whole runs
    // over the store's threads (parallel.h).
    const std::vector<std::int64_t> in_strides = strides_of(input.shape().dims());
    std::int64_t first = 0; // the input offset of output run 0
    for (std::size_t d = 0; d < out_dims.size(); ++d) first += begin[d] * in_strides[d];
    copy_strided(input, first, out_dims, in_strides, out, out_dims.back() * kCopyCost + kRowCopyOverhead,
                 intra_op_pool(scope));
    return out;
  });
}

Tensor one_hot(Scope& scope, const Tensor& indices, std::int64_t depth, OneHotOptions options) {
  return run_op(scope, options.name, "one_hot", "OneHot", [&](OpInfo& op) {
    op.input_shapes = {indices.shape(), Shape{}, Shape{}, Shape{}};
    op.computed = "input[1] = " + values_string({depth});
    const int rank = indices.rank();
    if (options.axis < -1 || options.axis > rank)
      shape_error(op, "Expected axis to be -1 or between [0, " + std::to_string(rank) + ").  But received: " +
                          std::to_string(options.axis));
    if (depth < 0) shape_error(op, "depth must be non-negative, got: " + std::to_string(depth));
    const std::size_t axis = options.axis == -1 ? static_cast<std::size_t>(rank) : static_cast<std::size_t>(options.axis);
    const std::vector<std::int64_t>& dims = indices.shape().dims();
    std::vector<std::int64_t> out_dims = dims;
    out_dims.insert(out_dims.begin() + static_cast<std::ptrdiff_t>(axis), depth);
    const std::int64_t outer = product(dims, 0, axis);
    const std::int64_t inner = product(dims, axis, dims.size());
    using IndexOrByte = TypeList<std::uint8_t, std::int32_t, std::int64_t>;
    return dispatch(IndexOrByte{}, op, "indices", indices.dtype(), [&]<class I>(std::type_identity<I>) {
      return dispatch(NumericTypes{}, op, "dtype", options.dtype, [&]<class O>(std::type_identity<O>) {
        Tensor out = make_output(options.dtype, out_dims);
        const I* idx = indices.data<I>();
        O* o = out.data<O>();
        const auto on = static_cast<O>(options.on_value);
        const auto off = static_cast<O>(options.off_value);
        // Each output row is written by one task from its own indices: any
        // split is exact. A row fills depth * inner elements and sets inner.
        parallel_rows(intra_op_pool(scope), outer, depth * inner * kCopyCost + inner * kOneHotSetCost,
                      [&](std::int64_t begin, std::int64_t end) {
          one_hot_rows<I, O>(idx, o, depth, inner, on, off, begin, end);
        });
        return out;
      });
    });
  });
}

} // namespace varscope
