// ops/reduce.cpp - reduce_sum, reduce_mean, reduce_max and argmax.
#include <algorithm>
#include <limits>
#include <numeric>

#include "ops/op_util.h"

namespace varscope {

using namespace ops_internal;

namespace {

enum class Reducer { Sum, Mean, Max };

/// The reduction of a [outer, reduced, inner] view: out[outer, inner].
template <class T, Reducer K>
void reduce_block(const T* in, T* out, std::int64_t outer, std::int64_t reduced, std::int64_t inner) {
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
    Eigen::Map<const Matrix> m(in, outer, reduced);
    Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> o(out, outer);
    if constexpr (K == Reducer::Max) o = m.rowwise().maxCoeff();
    else o = m.rowwise().sum();
  } else {
    // Per outer index, a column-wise reduction of [reduced, inner].
    for (std::int64_t i = 0; i < outer; ++i) {
      Eigen::Map<const Matrix> m(in + i * reduced * inner, reduced, inner);
      Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> o(out + i * inner, inner);
      if constexpr (K == Reducer::Max) o = m.colwise().maxCoeff();
      else o = m.colwise().sum();
    }
  }
  if constexpr (K == Reducer::Mean) {
    ArrayMap<T> o(out, outer * inner);
    o /= static_cast<T>(reduced);
  }
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
        reduce_block<T, K>(input.data<T>(), out.data<T>(), product(dims, 0, b), product(dims, b, e),
                           product(dims, e, dims.size()));
        return out;
      }
      std::vector<int> perm;
      for (int i = 0; i < rank; ++i)
        if (!reduce[static_cast<std::size_t>(i)]) perm.push_back(i);
      for (int i = 0; i < rank; ++i)
        if (reduce[static_cast<std::size_t>(i)]) perm.push_back(i);
      const Tensor moved = transpose_kernel(input, perm);
      std::int64_t reduced = 1;
      for (std::size_t i = 0; i < dims.size(); ++i)
        if (reduce[i]) reduced *= dims[i];
      reduce_block<T, K>(moved.data<T>(), out.data<T>(), product(kept_dims, 0, kept_dims.size()), reduced, 1);
      return out;
    });
  });
}

template <class T, class Index>
void argmax_kernel(const T* in, Index* out, std::int64_t outer, std::int64_t n, std::int64_t inner) {
  for (std::int64_t o = 0; o < outer; ++o) {
    const T* block = in + o * n * inner;
    for (std::int64_t i = 0; i < inner; ++i) {
      std::int64_t best = 0;
      for (std::int64_t j = 1; j < n; ++j)
        if (block[j * inner + i] > block[best * inner + i]) best = j;
      out[o * inner + i] = static_cast<Index>(best);
    }
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
        argmax_kernel<T, I>(input.data<T>(), out.data<I>(), outer, n, inner);
        return out;
      });
    });
  });
}

} // namespace varscope
