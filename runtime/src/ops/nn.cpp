// ops/nn.cpp - softmax, log_softmax, layer_norm, dropout and
// sparse_softmax_cross_entropy_with_logits; softmax and layer_norm split
// their rows over the store's threads (parallel.h), dropout its elements;
// the row kernels are elementwise.h's (per instruction set for float).
#include <cmath>
#include <cstdio>
#include <limits>

#include "ops/elementwise.h"
#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

template <bool Log> Tensor softmax_op(Scope& scope, const Tensor& logits, const SoftmaxOptions& options,
                                      std::string_view type) {
  return run_op(scope, options.name, type, type, [&](OpInfo& op) {
    op.input_shapes = {logits.shape()};
    check_dtype(FloatTypes{}, op, "logits", logits.dtype());
    check_rank_at_least(op, logits, 1);
    const int rank = logits.rank();
    const int axis = normalize_axis(options.axis, rank);
    if (axis < 0)
      throw ValueError("Dimension (" + std::to_string(options.axis) + ") must be in the range [" +
                       std::to_string(-rank) + ", " + std::to_string(rank) + ") where " + std::to_string(rank) +
                       " is the number of dimensions in the input.");
    return dispatch(FloatTypes{}, op, "logits", logits.dtype(), [&]<class T>(std::type_identity<T>) {
      // TF swaps the axis with the last one, computes and swaps back.
      std::vector<int> perm;
      for (int i = 0; i < rank; ++i) perm.push_back(i);
      std::swap(perm[static_cast<std::size_t>(axis)], perm.back());
      const bool last = axis == rank - 1;
      const Tensor in = last ? logits : transpose_kernel(logits, perm);
      Tensor out = make_output(logits.dtype(), in.shape().dims());
      const std::int64_t n = in.dim(-1);
      const T* src = in.data<T>();
      T* dst = out.data<T>();
      const auto rows_kernel = Log ? elementwise_fns<T>().log_softmax_rows : elementwise_fns<T>().softmax_rows;
      // Blocks of whole rows over the store's threads (parallel.h); about
      // 30 cost units per element (max, exp, sum, scale: 2.9 ns measured).
      parallel_rows(intra_op_pool(scope), n == 0 ? 0 : in.num_elements() / n, 30 * n,
                    [&](std::int64_t begin, std::int64_t end) {
        rows_kernel(src + begin * n, dst + begin * n, end - begin, n);
      });
      return last ? out : transpose_kernel(out, perm);
    });
  });
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Cost units per element of dropout (its hash, uniform and masked scale):
/// 10 ns, timed roughly on one core with a throwaway [4096, 1024] float
/// dropout (EPYC at 2.45 GHz).
constexpr std::int64_t kDropoutCost = 100;

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

} // namespace

Tensor softmax(Scope& scope, const Tensor& logits, SoftmaxOptions options) {
  return softmax_op<false>(scope, logits, options, "Softmax");
}

Tensor log_softmax(Scope& scope, const Tensor& logits, SoftmaxOptions options) {
  return softmax_op<true>(scope, logits, options, "LogSoftmax");
}

namespace {

/// `expiring` is x when the caller passed x as an rvalue (output_reusing):
/// each row is read whole (its mean) before it is written.
Tensor layer_norm_op(Scope& scope, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                     const LayerNormOptions& options, const Tensor* expiring) {
  return run_op(scope, options.name, "LayerNorm", "LayerNorm", [&](OpInfo& op) {
    op.input_shapes = {x.shape()};
    if (gamma.defined()) op.input_shapes.push_back(gamma.shape());
    if (beta.defined()) op.input_shapes.push_back(beta.shape());
    check_dtype(FloatTypes{}, op, "x", x.dtype());
    check_rank_at_least(op, x, 1);
    const std::int64_t n = x.dim(-1);
    for (const Tensor* p : {&gamma, &beta}) {
      if (!p->defined()) continue;
      check_same_dtype(op, "x", x, p == &gamma ? "gamma" : "beta", *p);
      check_rank(op, *p, 1);
      if (p->dim(0) != n) dims_must_be_equal(op, n, p->dim(0));
    }
    return dispatch(FloatTypes{}, op, "x", x.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = output_reusing(expiring, x.dtype(), x.shape());
      if (n == 0) return out;
      const std::int64_t rows = x.num_elements() / n;
      const T* in = x.data<T>();
      T* o = out.data<T>();
      const T eps = static_cast<T>(options.epsilon);
      const T* g = gamma.defined() ? gamma.data<T>() : nullptr;
      const T* b = beta.defined() ? beta.data<T>() : nullptr;
      const auto rows_kernel = elementwise_fns<T>().layer_norm_rows;
      // Blocks of whole rows over the store's threads (parallel.h).
      parallel_rows(intra_op_pool(scope), rows, 6 * n, [&](std::int64_t begin, std::int64_t end) {
        rows_kernel(in + begin * n, o + begin * n, end - begin, n, g, b, eps);
      });
      return out;
    });
  });
}

} // namespace

Tensor layer_norm(Scope& scope, const Tensor& x, const Tensor& gamma, const Tensor& beta, LayerNormOptions options) {
  return layer_norm_op(scope, x, gamma, beta, options, nullptr);
}

Tensor layer_norm(Scope& scope, Tensor&& x, const Tensor& gamma, const Tensor& beta, LayerNormOptions options) {
  return consumed(x, layer_norm_op(scope, x, gamma, beta, options, &x));
}

Tensor dropout(Scope& scope, const Tensor& x, double rate, DropoutOptions options) {
  return run_op(scope, options.name, "dropout", "Dropout", [&](OpInfo& op) {
    op.input_shapes = {x.shape()};
    if (!is_floating(x.dtype()))
      throw ValueError("x has to be a floating point tensor since it's going to be scaled. Got a " +
                       std::string(dtype_name(x.dtype())) + " tensor instead.");
    if (!(rate >= 0 && rate < 1)) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%g", rate);
      throw ValueError("rate must be a scalar tensor or a float in the range [0, 1), got " + std::string(buffer));
    }
    return dispatch(FloatTypes{}, op, "x", x.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = make_output(x.dtype(), x.shape().dims());
      const T* in = x.data<T>();
      T* o = out.data<T>();
      const T scale = static_cast<T>(1.0 / (1.0 - rate));
      // Counter-based: element i keeps when its uniform u_i >= rate (TF's
      // keep mask), u_i from a hash of (seed, op name, i).
      const std::uint64_t key = splitmix64(options.seed ^ splitmix64(fnv1a(op.name)));
      // u_i depends on i alone (no generator state), so any split gives the
      // same mask and values; split as the elementwise ops are (parallel.h).
      parallel_elements(intra_op_pool(scope), o, x.num_elements(), kDropoutCost,
                        [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          const double u = static_cast<double>(splitmix64(key + static_cast<std::uint64_t>(i)) >> 11) * 0x1.0p-53;
          o[i] = u >= rate ? in[i] * scale : T(0);
        }
      });
      return out;
    });
  });
}

Tensor sparse_softmax_cross_entropy_with_logits(Scope& scope, const Tensor& labels, const Tensor& logits,
                                                OpOptions options) {
  return run_op(scope, options.name, "SparseSoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits",
                [&](OpInfo& op) {
    op.input_shapes = {logits.shape(), labels.shape()};
    if (labels.rank() != logits.rank() - 1)
      throw ValueError("Rank mismatch: Rank of labels (received " + std::to_string(labels.rank()) +
                       ") should equal rank of logits minus 1 (received " + std::to_string(logits.rank()) + ").");
    const std::vector<std::int64_t>& ld = logits.shape().dims();
    if (labels.shape().dims() != std::vector<std::int64_t>(ld.begin(), ld.end() - 1))
      throw ValueError("Shape mismatch: The shape of labels (received " + labels.shape().to_string() +
                       ") should equal the shape of logits except for the last dimension (received " +
                       logits.shape().to_string() + ").");
    return dispatch(FloatTypes{}, op, "features", logits.dtype(), [&]<class T>(std::type_identity<T>) {
      return dispatch(IndexTypes{}, op, "labels", labels.dtype(), [&]<class I>(std::type_identity<I>) {
        const std::int64_t classes = logits.dim(-1);
        const std::int64_t rows = labels.num_elements();
        const I* label = labels.data<I>();
        for (std::int64_t r = 0; r < rows; ++r) {
          if (label[r] >= 0 && label[r] < classes) continue;
          std::string values;
          for (std::int64_t i = 0; i < rows; ++i) values += (i ? " " : "") + std::to_string(label[i]);
          throw ValueError("Received a label value of " + std::to_string(label[r]) +
                           " which is outside the valid range of [0, " + std::to_string(classes) +
                           ").  Label values: " + values);
        }
        Tensor loss = make_output(logits.dtype(), labels.shape().dims());
        const T* in = logits.data<T>();
        T* o = loss.data<T>();
        using Array = FlatArray<T>;
        for (std::int64_t r = 0; r < rows; ++r) {
          Eigen::Map<const Array> x(in + r * classes, classes);
          const T max = x.maxCoeff();
          const T log_sum = std::log((x - max).exp().sum()) + max;
          o[r] = log_sum - x[static_cast<Eigen::Index>(label[r])];
        }
        return loss;
      });
    });
  });
}

} // namespace varscope
