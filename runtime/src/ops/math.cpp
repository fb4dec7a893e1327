// ops/math.cpp - elementwise ops: broadcasting binary ops, bias_add and the
// activations; large tensors split over the store's threads (parallel.h).
// The float and double kernels are elementwise.h's (per instruction set for
// float); the integer binary ops are evaluated here.
#include <cmath>
#include <type_traits>
#include <vector>

#include "ops/elementwise.h"
#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

/// out = lhs (op) rhs for Eigen array expressions of equal size: the
/// integer types (float and double take elementwise.h's kernels, the same
/// expressions).
template <BinaryOp K, class Out, class L, class R> void apply(Out&& out, const L& lhs, const R& rhs) {
  if constexpr (K == BinaryOp::Add) out = lhs + rhs;
  if constexpr (K == BinaryOp::Sub) out = lhs - rhs;
  if constexpr (K == BinaryOp::Mul) out = lhs * rhs;
  if constexpr (K == BinaryOp::Div) out = lhs / rhs;
  if constexpr (K == BinaryOp::Maximum) out = lhs.max(rhs);
}

/// out[0, len) = x (op) y, each operand an array or x[0] / y[0] repeated.
template <class T, BinaryOp K>
void binary_run(Operands operands, const T* x, const T* y, T* out, std::int64_t len) {
  if constexpr (std::is_floating_point_v<T>) {
    elementwise_fns<T>().binary[static_cast<int>(K)][static_cast<int>(operands)](x, y, out, len);
  } else {
    using Array = FlatArray<T>;
    using ConstMap = Eigen::Map<const Array>;
    ArrayMap<T> o(out, len);
    switch (operands) {
    case Operands::ArrayArray:
      return apply<K>(o, ConstMap(x, len), ConstMap(y, len));
    case Operands::ArrayScalar:
      return apply<K>(o, ConstMap(x, len), Array::Constant(len, y[0]));
    case Operands::ScalarArray:
      return apply<K>(o, Array::Constant(len, x[0]), ConstMap(y, len));
    case Operands::ScalarScalar:
      return apply<K>(o, Array::Constant(len, x[0]), Array::Constant(len, y[0]));
    }
  }
}

/// out = x (op) y with broadcasting. Over the store's threads when large
/// (parallel.h); every element is one IEEE operation on the same two
/// inputs, so any split gives the same bits.
template <class T, BinaryOp K>
void binary_kernel(detail::ThreadPool* pool, const Tensor& x, const Tensor& y, Tensor& out) {
  const T* xp = x.data<T>();
  const T* yp = y.data<T>();
  T* op = out.data<T>();
  const std::int64_t n = out.num_elements();
  if (x.num_elements() == n && y.num_elements() == n) {
    parallel_elements(pool, op, n, 1, [&](std::int64_t b, std::int64_t e) {
      binary_run<T, K>(Operands::ArrayArray, xp + b, yp + b, op + b, e - b);
    });
    return;
  }
  if (y.num_elements() == 1) {
    parallel_elements(pool, op, n, 1, [&](std::int64_t b, std::int64_t e) {
      binary_run<T, K>(Operands::ArrayScalar, xp + b, yp, op + b, e - b);
    });
    return;
  }
  if (x.num_elements() == 1) {
    parallel_elements(pool, op, n, 1, [&](std::int64_t b, std::int64_t e) {
      binary_run<T, K>(Operands::ScalarArray, xp, yp + b, op + b, e - b);
    });
    return;
  }
  const BroadcastPlan plan = plan_broadcast(out.shape(), x.shape(), y.shape());
  const bool x_inner = plan.x_strides.back() != 0;
  const bool y_inner = plan.y_strides.back() != 0;
  const Operands operands = x_inner ? (y_inner ? Operands::ArrayArray : Operands::ArrayScalar)
                                    : (y_inner ? Operands::ScalarArray : Operands::ScalarScalar);
  const std::int64_t inner = plan.dims.back();
  if (inner == 0 || n == 0) return;
  parallel_rows(pool, n / inner, inner, [&](std::int64_t begin, std::int64_t end) {
    for_each_run_in(plan, begin, end, [&](std::int64_t xo, std::int64_t yo, std::int64_t oo, std::int64_t len) {
      binary_run<T, K>(operands, xp + xo, yp + yo, op + oo, len);
    });
  });
}

/// `expiring` is x when the caller passed x as an rvalue (output_reusing).
template <BinaryOp K, class Types>
Tensor binary_op(Scope& scope, const Tensor& x, const Tensor& y, const std::string& name, std::string_view default_name,
                 std::string_view type, const Tensor* expiring = nullptr) {
  return run_op(scope, name, default_name, type, [&](OpInfo& op) {
    op.input_shapes = {x.shape(), y.shape()};
    check_same_dtype(op, "x", x, "y", y);
    check_dtype(Types{}, op, "x", x.dtype());
    const Shape shape = broadcast_shapes(op, x.shape(), y.shape());
    return dispatch(Types{}, op, "x", x.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = output_reusing(expiring, x.dtype(), shape);
      binary_kernel<T, K>(intra_op_pool(scope), x, y, out);
      return out;
    });
  });
}

/// Cost units per element (parallel.h) of a unary op: about its time per
/// element relative to a vectorised add (float, SSE2: tanh 1.0 ns, exact
/// GELU 1.15 ns, an add 0.1 ns in cache).
template <UnaryOp K> constexpr std::int64_t unary_cost() {
  if constexpr (K == UnaryOp::Relu || K == UnaryOp::Relu6 || K == UnaryOp::Square) return 1;
  if constexpr (K == UnaryOp::Sqrt) return 2;
  if constexpr (K == UnaryOp::Gelu || K == UnaryOp::GeluTanh) return 12;
  return 10;
}

/// `expiring` is x when the caller passed x as an rvalue (output_reusing).
template <UnaryOp K>
Tensor unary_op(Scope& scope, const Tensor& x, const std::string& name, std::string_view type, std::string_view param,
                const Tensor* expiring = nullptr) {
  return run_op(scope, name, type, type, [&](OpInfo& op) {
    op.input_shapes = {x.shape()};
    return dispatch(FloatTypes{}, op, param, x.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = output_reusing(expiring, x.dtype(), x.shape());
      const T* src = x.data<T>();
      T* dst = out.data<T>();
      const auto unary = elementwise_fns<T>().unary[static_cast<int>(K)];
      // Split only where dst is aligned (parallel.h): exp, tanh and erf
      // give other bits on Eigen's scalar path than on its packet path.
      parallel_elements(intra_op_pool(scope), dst, x.num_elements(), unary_cost<K>(),
                        [&](std::int64_t b, std::int64_t e) { unary(src + b, dst + b, e - b); });
      return out;
    });
  });
}

} // namespace

Tensor add(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options) {
  return binary_op<BinaryOp::Add, NumericTypes>(scope, x, y, options.name, "Add", "Add");
}

Tensor add(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options) {
  return consumed(x, binary_op<BinaryOp::Add, NumericTypes>(scope, x, y, options.name, "Add", "Add", &x));
}

Tensor sub(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options) {
  return binary_op<BinaryOp::Sub, NumericTypes>(scope, x, y, options.name, "Sub", "Sub");
}

Tensor sub(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options) {
  return consumed(x, binary_op<BinaryOp::Sub, NumericTypes>(scope, x, y, options.name, "Sub", "Sub", &x));
}

Tensor mul(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options) {
  return binary_op<BinaryOp::Mul, NumericTypes>(scope, x, y, options.name, "Mul", "Mul");
}

Tensor mul(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options) {
  return consumed(x, binary_op<BinaryOp::Mul, NumericTypes>(scope, x, y, options.name, "Mul", "Mul", &x));
}

Tensor div(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options) {
  return binary_op<BinaryOp::Div, FloatTypes>(scope, x, y, options.name, "truediv", "RealDiv");
}

Tensor div(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options) {
  return consumed(x, binary_op<BinaryOp::Div, FloatTypes>(scope, x, y, options.name, "truediv", "RealDiv", &x));
}

Tensor maximum(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options) {
  return binary_op<BinaryOp::Maximum, NumericTypes>(scope, x, y, options.name, "Maximum", "Maximum");
}

Tensor maximum(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options) {
  return consumed(x, binary_op<BinaryOp::Maximum, NumericTypes>(scope, x, y, options.name, "Maximum", "Maximum", &x));
}

namespace {

/// `expiring` is value when the caller passed it as an rvalue (output_reusing).
Tensor bias_add_op(Scope& scope, const Tensor& value, const Tensor& bias, const OpOptions& options,
                   const Tensor* expiring) {
  return run_op(scope, options.name, "BiasAdd", "BiasAdd", [&](OpInfo& op) {
    op.input_shapes = {value.shape(), bias.shape()};
    check_same_dtype(op, "value", value, "bias", bias);
    check_dtype(NumericTypes{}, op, "value", value.dtype());
    check_rank_at_least(op, value, 2);
    check_rank(op, bias, 1);
    if (value.dim(-1) != bias.dim(0)) dims_must_be_equal(op, value.dim(-1), bias.dim(0));
    return dispatch(NumericTypes{}, op, "value", value.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = output_reusing(expiring, value.dtype(), value.shape());
      const std::int64_t n = bias.dim(0);
      Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>> b(bias.data<T>(), n);
      const T* src = value.data<T>();
      T* dst = out.data<T>();
      const bool in_place = out.raw_data() == value.raw_data();
      // Blocks of whole rows over the store's threads (parallel.h).
      parallel_rows(intra_op_pool(scope), n == 0 ? 0 : out.num_elements() / n, n,
                    [&](std::int64_t begin, std::int64_t end) {
        MatrixMap<T> o(dst + begin * n, end - begin, n);
        if (in_place) {
          o.rowwise() += b;
          return;
        }
        MatrixMap<const T> v(src + begin * n, end - begin, n);
        o.noalias() = v.rowwise() + b;
      });
      return out;
    });
  });
}

} // namespace

Tensor bias_add(Scope& scope, const Tensor& value, const Tensor& bias, OpOptions options) {
  return bias_add_op(scope, value, bias, options, nullptr);
}

Tensor bias_add(Scope& scope, Tensor&& value, const Tensor& bias, OpOptions options) {
  return consumed(value, bias_add_op(scope, value, bias, options, &value));
}

Tensor relu(Scope& scope, const Tensor& features, OpOptions options) {
  return unary_op<UnaryOp::Relu>(scope, features, options.name, "Relu", "features");
}

Tensor relu(Scope& scope, Tensor&& features, OpOptions options) {
  return consumed(features, unary_op<UnaryOp::Relu>(scope, features, options.name, "Relu", "features", &features));
}

Tensor relu6(Scope& scope, const Tensor& features, OpOptions options) {
  return unary_op<UnaryOp::Relu6>(scope, features, options.name, "Relu6", "features");
}

Tensor relu6(Scope& scope, Tensor&& features, OpOptions options) {
  return consumed(features, unary_op<UnaryOp::Relu6>(scope, features, options.name, "Relu6", "features", &features));
}

Tensor elu(Scope& scope, const Tensor& features, OpOptions options) {
  return unary_op<UnaryOp::Elu>(scope, features, options.name, "Elu", "features");
}

Tensor elu(Scope& scope, Tensor&& features, OpOptions options) {
  return consumed(features, unary_op<UnaryOp::Elu>(scope, features, options.name, "Elu", "features", &features));
}

Tensor gelu(Scope& scope, const Tensor& features, GeluOptions options) {
  if (options.approximate) return unary_op<UnaryOp::GeluTanh>(scope, features, options.name, "Gelu", "features");
  return unary_op<UnaryOp::Gelu>(scope, features, options.name, "Gelu", "features");
}

Tensor gelu(Scope& scope, Tensor&& features, GeluOptions options) {
  if (options.approximate)
    return consumed(features,
                    unary_op<UnaryOp::GeluTanh>(scope, features, options.name, "Gelu", "features", &features));
  return consumed(features, unary_op<UnaryOp::Gelu>(scope, features, options.name, "Gelu", "features", &features));
}

Tensor sigmoid(Scope& scope, const Tensor& x, OpOptions options) {
  return unary_op<UnaryOp::Sigmoid>(scope, x, options.name, "Sigmoid", "x");
}

Tensor sigmoid(Scope& scope, Tensor&& x, OpOptions options) {
  return consumed(x, unary_op<UnaryOp::Sigmoid>(scope, x, options.name, "Sigmoid", "x", &x));
}

Tensor tanh(Scope& scope, const Tensor& x, OpOptions options) {
  return unary_op<UnaryOp::Tanh>(scope, x, options.name, "Tanh", "x");
}

Tensor tanh(Scope& scope, Tensor&& x, OpOptions options) {
  return consumed(x, unary_op<UnaryOp::Tanh>(scope, x, options.name, "Tanh", "x", &x));
}

Tensor exp(Scope& scope, const Tensor& x, OpOptions options) {
  return unary_op<UnaryOp::Exp>(scope, x, options.name, "Exp", "x");
}

Tensor exp(Scope& scope, Tensor&& x, OpOptions options) {
  return consumed(x, unary_op<UnaryOp::Exp>(scope, x, options.name, "Exp", "x", &x));
}

Tensor log(Scope& scope, const Tensor& x, OpOptions options) {
  return unary_op<UnaryOp::Log>(scope, x, options.name, "Log", "x");
}

Tensor log(Scope& scope, Tensor&& x, OpOptions options) {
  return consumed(x, unary_op<UnaryOp::Log>(scope, x, options.name, "Log", "x", &x));
}

Tensor sqrt(Scope& scope, const Tensor& x, OpOptions options) {
  return unary_op<UnaryOp::Sqrt>(scope, x, options.name, "Sqrt", "x");
}

Tensor sqrt(Scope& scope, Tensor&& x, OpOptions options) {
  return consumed(x, unary_op<UnaryOp::Sqrt>(scope, x, options.name, "Sqrt", "x", &x));
}

Tensor square(Scope& scope, const Tensor& x, OpOptions options) {
  return unary_op<UnaryOp::Square>(scope, x, options.name, "Square", "x");
}

Tensor square(Scope& scope, Tensor&& x, OpOptions options) {
  return consumed(x, unary_op<UnaryOp::Square>(scope, x, options.name, "Square", "x", &x));
}

} // namespace varscope
