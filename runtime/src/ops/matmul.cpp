// ops/matmul.cpp - matmul: MatMul for rank 2, BatchMatMulV2 above, both
// through Eigen's GEMM on row-major maps of the tensors' buffers (float and
// double through the kernels for the CPU's instruction set, gemm.h).
#include <type_traits>

#include "ops/gemm.h"
#include "ops/op_util.h"

namespace varscope {

using namespace ops_internal;

namespace {

/// c[m, n] = op(a) * op(b), op = transpose when the flag is set, for dense
/// row-major operands. float and double go through the GEMM kernels for the
/// CPU's instruction set (gemm.h); the integer types through Eigen here.
template <class T>
void gemm(const T* a, const T* b, T* c, std::int64_t m, std::int64_t k, std::int64_t n, bool ta, bool tb) {
  const std::int64_t lda = ta ? m : k;
  const std::int64_t ldb = tb ? k : n;
  if constexpr (std::is_same_v<T, float>) {
    gemm_kernels().f32(a, lda, b, ldb, c, n, m, k, n, ta, tb);
  } else if constexpr (std::is_same_v<T, double>) {
    gemm_kernels().f64(a, lda, b, ldb, c, n, m, k, n, ta, tb);
  } else {
    using Matrix = RowMajorMatrix<T>;
    Eigen::Map<const Matrix> A(a, ta ? k : m, lda);
    Eigen::Map<const Matrix> B(b, tb ? n : k, ldb);
    Eigen::Map<Matrix> C(c, m, n);
    if (k == 0) {
      C.setZero();
      return;
    }
    if (!ta && !tb) {
      C.noalias() = A * B;
      return;
    }
    if (ta && !tb) {
      C.noalias() = A.transpose() * B;
      return;
    }
    if (!ta) {
      C.noalias() = A * B.transpose();
      return;
    }
    C.noalias() = A.transpose() * B.transpose();
  }
}

Tensor matmul_2d(OpInfo& op, const Tensor& a, const Tensor& b, const MatMulOptions& options) {
  check_same_dtype(op, "a", a, "b", b);
  check_dtype(NumericTypes{}, op, "a", a.dtype());
  check_rank(op, a, 2);
  check_rank(op, b, 2);
  const std::int64_t m = options.transpose_a ? a.dim(1) : a.dim(0);
  const std::int64_t k = options.transpose_a ? a.dim(0) : a.dim(1);
  const std::int64_t kb = options.transpose_b ? b.dim(1) : b.dim(0);
  const std::int64_t n = options.transpose_b ? b.dim(0) : b.dim(1);
  if (k != kb) dims_must_be_equal(op, k, kb);
  return dispatch(NumericTypes{}, op, "a", a.dtype(), [&]<class T>(std::type_identity<T>) {
    Tensor out = make_output(a.dtype(), {m, n});
    gemm<T>(a.data<T>(), b.data<T>(), out.data<T>(), m, k, n, options.transpose_a, options.transpose_b);
    return out;
  });
}

Tensor matmul_batched(OpInfo& op, const Tensor& a, const Tensor& b, const MatMulOptions& options) {
  check_same_dtype(op, "x", a, "y", b);
  check_dtype(NumericTypes{}, op, "x", a.dtype());
  check_rank_at_least(op, a, 2);
  check_rank_at_least(op, b, 2);
  const std::int64_t m = options.transpose_a ? a.dim(-1) : a.dim(-2);
  const std::int64_t k = options.transpose_a ? a.dim(-2) : a.dim(-1);
  const std::int64_t kb = options.transpose_b ? b.dim(-1) : b.dim(-2);
  const std::int64_t n = options.transpose_b ? b.dim(-2) : b.dim(-1);
  if (k != kb) dims_must_be_equal(op, k, kb);
  const std::vector<std::int64_t>& ad = a.shape().dims();
  const std::vector<std::int64_t>& bd = b.shape().dims();
  const Shape a_batch(std::vector<std::int64_t>(ad.begin(), ad.end() - 2));
  const Shape b_batch(std::vector<std::int64_t>(bd.begin(), bd.end() - 2));
  const Shape batch = broadcast_shapes(op, a_batch, b_batch);
  std::vector<std::int64_t> out_dims = batch.dims();
  out_dims.push_back(m);
  out_dims.push_back(n);
  return dispatch(NumericTypes{}, op, "x", a.dtype(), [&]<class T>(std::type_identity<T>) {
    Tensor out = make_output(a.dtype(), out_dims);
    if (out.num_elements() == 0) return out;
    const T* ap = a.data<T>();
    const T* bp = b.data<T>();
    T* cp = out.data<T>();
    const std::int64_t a_size = m * k;
    const std::int64_t b_size = k * n;
    const std::int64_t c_size = m * n;
    const BroadcastPlan plan = plan_broadcast(batch, a_batch, b_batch);
    for_each_run(plan, [&](std::int64_t ao, std::int64_t bo, std::int64_t co, std::int64_t len) {
      const std::int64_t a_step = plan.x_strides.back();
      const std::int64_t b_step = plan.y_strides.back();
      for (std::int64_t i = 0; i < len; ++i)
        gemm<T>(ap + (ao + i * a_step) * a_size, bp + (bo + i * b_step) * b_size, cp + (co + i) * c_size, m, k, n,
                options.transpose_a, options.transpose_b);
    });
    return out;
  });
}

} // namespace

Tensor matmul(Scope& scope, const Tensor& a, const Tensor& b, MatMulOptions options) {
  const bool batched = a.rank() > 2 || b.rank() > 2;
  return run_op(scope, options.name, "MatMul", batched ? "BatchMatMulV2" : "MatMul", [&](OpInfo& op) {
    op.input_shapes = {a.shape(), b.shape()};
    return batched ? matmul_batched(op, a, b, options) : matmul_2d(op, a, b, options);
  });
}

} // namespace varscope
