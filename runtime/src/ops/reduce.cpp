// ops/reduce.cpp - reduce_sum, reduce_mean, reduce_max and argmax.
#include <algorithm>
#include <limits>
#include <numeric>

#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

enum class Reducer { Sum, Mean, Max };

/// Cost units per input element (parallel.h), measured roughly on one core
/// with a throwaway timing of [256, 256] and [16, 64, 64] floats (in cache,
/// the sizes near the threshold): a row-wise sum or max is a vectorised
/// loop over contiguous memory, 0.1 ns per element; a column-wise one reads
/// a packet per row, 0.35 ns (and up to 2.3 ns for [4096, 1024], out of
/// cache); argmax is a scalar compare and branch, 0.8 ns along contiguous
/// memory and 1.5 ns strided.
inline constexpr std::int64_t kRowReduceCost = 1;
inline constexpr std::int64_t kColumnReduceCost = 3;
inline constexpr std::int64_t kArgMaxCost = 8;

/// out[0, end - begin) = the mean's division of rows or columns just reduced
/// (an exact division per element, so any split gives the same bits).
template <class T, Reducer K> void finish_mean(T* out, std::int64_t n, std::int64_t reduced) {
  if constexpr (K == Reducer::Mean) {
    ArrayMap<T> o(out, n);
    o /= static_cast<T>(reduced);
  }
}

/// Columns [begin, end) of the column-wise reduction of the [reduced, inner]
/// matrix `in` into out[0, inner). The whole range is the unsplit kernel.
template <class T, Reducer K>
void reduce_columns(const T* in, T* out, std::int64_t reduced, std::int64_t inner, std::int64_t begin,
                    std::int64_t end) {
  using Matrix = RowMajorMatrix<T>;
  if (begin == 0 && end == inner) {
    Eigen::Map<const Matrix> m(in, reduced, inner);
    Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> o(out, inner);
    if constexpr (K == Reducer::Max) o = m.colwise().maxCoeff();
    else o = m.colwise().sum();
  } else {
    Eigen::Map<const Matrix, 0, Eigen::OuterStride<>> m(in + begin, reduced, end - begin, Eigen::OuterStride<>(inner));
    Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> o(out + begin, end - begin);
    if constexpr (K == Reducer::Max) o = m.colwise().maxCoeff();
    else o = m.colwise().sum();
  }
  finish_mean<T, K>(out + begin, end - begin, reduced);
}

/// The reduction of a [outer, reduced, inner] view: out[outer, inner].
///
/// Split over output elements only, never within one element's
/// accumulation, and so that each output element is computed by the same
/// code on the same memory as unsplit (docs/ops.md, "Intra-op parallelism"):
///   - inner == 1: blocks of whole rows. Eigen does not vectorise rowwise()
///     of a row-major matrix across rows: each output is the redux of its
///     own contiguous row, which peels to the row's own alignment.
///   - inner > 1: colwise() is vectorised across columns (a packet of
///     outputs summed row by row, in a different order from the scalar
///     columns that Eigen peels before the destination is aligned and after
///     the last whole packet). So a slice is split only where the output is
///     64-byte aligned, as parallel_elements does, which keeps every column
///     on the path it takes unsplit; small slices go whole, in blocks.
/// A full reduction (outer * inner == 1) stays on one thread.
template <class T, Reducer K>
void reduce_block(detail::ThreadPool* pool, const T* in, T* out, std::int64_t outer, std::int64_t reduced,
                  std::int64_t inner) {
  if (reduced == 0) {
    T init = T(0);
    if constexpr (K == Reducer::Max) init = std::numeric_limits<T>::lowest();
    if constexpr (K == Reducer::Mean && std::is_floating_point_v<T>) init = std::numeric_limits<T>::quiet_NaN();
    std::fill(out, out + outer * inner, init);
    return;
  }
  using Matrix = RowMajorMatrix<T>;
  if (inner == 1) {
    // Contiguous rows: a row-wise reduction of [outer, reduced].
    parallel_rows(pool, outer, reduced * kRowReduceCost, [&](std::int64_t begin, std::int64_t end) {
      Eigen::Map<const Matrix> m(in + begin * reduced, end - begin, reduced);
      Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> o(out + begin, end - begin);
      if constexpr (K == Reducer::Max) o = m.rowwise().maxCoeff();
      else o = m.rowwise().sum();
      finish_mean<T, K>(out + begin, end - begin, reduced);
    });
    return;
  }
  // Per outer index, a column-wise reduction of [reduced, inner].
  const std::int64_t column_cost = reduced * kColumnReduceCost;
  if (pool == nullptr || outer * inner * column_cost < kParallelMinCost || inner * column_cost < 2 * kRowBlockCost) {
    parallel_rows(pool, outer, inner * column_cost, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i)
        reduce_columns<T, K>(in + i * reduced * inner, out + i * inner, reduced, inner, 0, inner);
    });
    return;
  }
  // Blocks of `width` columns (a multiple of 64 bytes' worth) from the
  // slice's first 64-byte-aligned output; the first block also takes the
  // columns before it.
  constexpr std::int64_t kAlign = 64;
  constexpr std::int64_t kAlignElements = kAlign / static_cast<std::int64_t>(sizeof(T));
  const std::int64_t wanted = std::max<std::int64_t>(kRowBlockCost / column_cost, 1);
  const std::int64_t width = (wanted + kAlignElements - 1) / kAlignElements * kAlignElements;
  const std::int64_t per_slice = (inner + width - 1) / width;
  pool->parallel_for(outer * per_slice, [&](std::int64_t task) {
    const std::int64_t i = task / per_slice;
    const std::int64_t k = task % per_slice;
    T* o = out + i * inner;
    const auto address = reinterpret_cast<std::uintptr_t>(o);
    const std::int64_t head = static_cast<std::int64_t>((kAlign - address % kAlign) % kAlign / sizeof(T));
    const std::int64_t begin = k == 0 ? 0 : std::min(inner, head + k * width);
    const std::int64_t end = std::min(inner, head + (k + 1) * width);
    if (begin < end) reduce_columns<T, K>(in + i * reduced * inner, o, reduced, inner, begin, end);
  });
}

template <Reducer K>
Tensor reduce_op(Scope& scope, const Tensor& input, const ReduceOptions& options, std::string_view type) {
  return run_op(scope, options.name, type, type, [&](OpInfo& op) {
    const int rank = input.rank();
    const Axes& axis = options.axis;
    std::vector<std::int64_t> given;
    if (axis.all())
      for (int i = 0; i < rank; ++i) given.push_back(i);
    else
      given.assign(axis.axes().begin(), axis.axes().end());
    op.input_shapes = {input.shape(), axis.is_scalar() ? Shape{} : Shape{static_cast<std::int64_t>(given.size())}};
    op.computed = "input[1] = " + values_string(given);
    check_dtype(NumericTypes{}, op, "input", input.dtype());
    std::vector<bool> reduce(static_cast<std::size_t>(rank), false);
    for (std::int64_t a : given) {
      const int n = normalize_axis(static_cast<int>(a), rank);
      if (n < 0)
        shape_error(op, "Invalid reduction dimension " + std::to_string(a) + " for input with " +
                            std::to_string(rank) + " dimensions.");
      reduce[static_cast<std::size_t>(n)] = true;
    }
    return dispatch(NumericTypes{}, op, "input", input.dtype(), [&]<class T>(std::type_identity<T>) {
      const std::vector<std::int64_t>& dims = input.shape().dims();
      std::vector<std::int64_t> out_dims;
      std::vector<std::int64_t> kept_dims;
      for (std::size_t i = 0; i < dims.size(); ++i) {
        if (!reduce[i]) kept_dims.push_back(dims[i]);
        if (!reduce[i]) out_dims.push_back(dims[i]);
        else if (options.keepdims) out_dims.push_back(1);
      }
      Tensor out = make_output(input.dtype(), out_dims);
      detail::ThreadPool* pool = intra_op_pool(scope);
      // Reduced axes form one contiguous block [first, last]: reduce a
      // [outer, reduced, inner] view in place; otherwise move them last.
      const auto first = std::find(reduce.begin(), reduce.end(), true);
      if (first == reduce.end()) {
        std::copy_n(input.data<T>(), input.num_elements(), out.data<T>());
        return out;
      }
      const auto last = std::find(first, reduce.end(), false);
      const bool contiguous = std::find(last, reduce.end(), true) == reduce.end();
      const std::size_t b = static_cast<std::size_t>(first - reduce.begin());
      const std::size_t e = static_cast<std::size_t>(last - reduce.begin());
      if (contiguous) {
        reduce_block<T, K>(pool, input.data<T>(), out.data<T>(), product(dims, 0, b), product(dims, b, e),
                           product(dims, e, dims.size()));
        return out;
      }
      std::vector<int> perm;
      for (int i = 0; i < rank; ++i)
        if (!reduce[static_cast<std::size_t>(i)]) perm.push_back(i);
      for (int i = 0; i < rank; ++i)
        if (reduce[static_cast<std::size_t>(i)]) perm.push_back(i);
      const Tensor moved = transpose_kernel(input, perm, pool);
      std::int64_t reduced = 1;
      for (std::size_t i = 0; i < dims.size(); ++i)
        if (reduce[i]) reduced *= dims[i];
      reduce_block<T, K>(pool, moved.data<T>(), out.data<T>(), product(kept_dims, 0, kept_dims.size()), reduced, 1);
      return out;
    });
  });
}

/// Outputs [begin, end) of the flattened [outer, inner] argmax of the
/// [outer, n, inner] input: each output is its own scan, so any split is exact.
template <class T, class Index>
void argmax_kernel(const T* in, Index* out, std::int64_t n, std::int64_t inner, std::int64_t begin,
                   std::int64_t end) {
  for (std::int64_t k = begin; k < end; ++k) {
    const T* block = in + k / inner * n * inner;
    const std::int64_t i = k % inner;
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < n; ++j)
      if (block[j * inner + i] > block[best * inner + i]) best = j;
    out[k] = static_cast<Index>(best);
  }
}

} // namespace

Tensor reduce_sum(Scope& scope, const Tensor& input, ReduceOptions options) {
  return reduce_op<Reducer::Sum>(scope, input, options, "Sum");
}

Tensor reduce_mean(Scope& scope, const Tensor& input, ReduceOptions options) {
  return reduce_op<Reducer::Mean>(scope, input, options, "Mean");
}

Tensor reduce_max(Scope& scope, const Tensor& input, ReduceOptions options) {
  return reduce_op<Reducer::Max>(scope, input, options, "Max");
}

Tensor argmax(Scope& scope, const Tensor& input, ArgMaxOptions options) {
  return run_op(scope, options.name, "ArgMax", "ArgMax", [&](OpInfo& op) {
    op.input_shapes = {input.shape(), Shape{}};
    op.computed = "input[1] = " + values_string({options.axis});
    check_dtype(NumericTypes{}, op, "input", input.dtype());
    check_dtype(IndexTypes{}, op, "output_type", options.output_type);
    const int rank = input.rank();
    const int axis = normalize_axis(options.axis, rank);
    if (axis < 0)
      shape_error(op, "Expected dimension in the range [" + std::to_string(-rank) + ", " + std::to_string(rank) +
                          "), but got " + std::to_string(options.axis));
    const std::vector<std::int64_t>& dims = input.shape().dims();
    const std::size_t a = static_cast<std::size_t>(axis);
    const std::int64_t n = dims[a];
    if (n == 0) shape_error(op, "Reduction axis " + std::to_string(options.axis) + " is empty in shape " +
                                    dims_string(input.shape()));
    std::vector<std::int64_t> out_dims = dims;
    out_dims.erase(out_dims.begin() + axis);
    const std::int64_t outer = product(dims, 0, a);
    const std::int64_t inner = product(dims, a + 1, dims.size());
    return dispatch(NumericTypes{}, op, "input", input.dtype(), [&]<class T>(std::type_identity<T>) {
      return dispatch(IndexTypes{}, op, "output_type", options.output_type, [&]<class I>(std::type_identity<I>) {
        Tensor out = make_output(options.output_type, out_dims);
        parallel_rows(intra_op_pool(scope), outer * inner, n * kArgMaxCost, [&](std::int64_t begin, std::int64_t end) {
          argmax_kernel<T, I>(input.data<T>(), out.data<I>(), n, inner, begin, end);
        });
        return out;
      });
    });
  });
}

} // namespace varscope
