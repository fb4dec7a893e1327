// ops/matmul.cpp - matmul: MatMul for rank 2, BatchMatMulV2 above, both
// through Eigen's GEMM on row-major maps of the tensors' buffers (float and
// double through the kernels for the CPU's instruction set, gemm.h); large
// products spread over the store's threads (gemm_run.h).
#include <algorithm>
#include <type_traits>
#include <utility>
#include <vector>

#include "ops/gemm.h"
#include "ops/gemm_pack_cache.h"
#include "ops/gemm_run.h"
#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

/// Eigen's product for the integer types on strided row-major maps.
template <class T>
void eigen_product(const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T* c, std::int64_t ldc, std::int64_t m,
                   std::int64_t k, std::int64_t n, bool ta, bool tb) {
  using Matrix = RowMajorMatrix<T>;
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Stride> A(a, ta ? k : m, ta ? m : k, Stride(lda));
  Eigen::Map<const Matrix, 0, Stride> B(b, tb ? n : k, tb ? k : n, Stride(ldb));
  Eigen::Map<Matrix, 0, Stride> C(c, m, n, Stride(ldc));
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

/// GemmFn (gemm.h) for the integer types: Eigen's product, with threads
/// on blocks of C's rows. Integer arithmetic is exact, so any cut gives the
/// same result.
template <class T>
void eigen_gemm(const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T* c, std::int64_t ldc, std::int64_t m,
                std::int64_t k, std::int64_t n, bool ta, bool tb, const GemmParallel* parallel) {
  if (parallel == nullptr || m < 2) {
    eigen_product(a, lda, b, ldb, c, ldc, m, k, n, ta, tb);
    return;
  }
  const std::int64_t pieces = std::min<std::int64_t>(m, 4 * parallel->threads);
  const std::int64_t rows = (m + pieces - 1) / pieces;
  const auto piece = [&](std::int64_t i) {
    const std::int64_t i0 = i * rows, len = std::min(rows, m - i0);
    if (len > 0) eigen_product(ta ? a + i0 : a + i0 * lda, lda, b, ldb, c + i0 * ldc, ldc, len, k, n, ta, tb);
  };
  using Piece = decltype(piece);
  parallel->parallel_for(
      parallel->pool, pieces, [](void* context, std::int64_t i) { (*static_cast<const Piece*>(context))(i); },
      const_cast<void*>(static_cast<const void*>(&piece)));
}

/// The GEMM kernel for T: float and double through the kernels for the
/// CPU's instruction set (gemm.h), the integer types through Eigen here.
template <class T> GemmFn<T> gemm_kernel() {
  if constexpr (std::is_same_v<T, float>)
    return gemm_kernels().f32;
  else if constexpr (std::is_same_v<T, double>)
    return gemm_kernels().f64;
  else
    return &eigen_gemm<T>;
}

/// c = op(a) * op(b) as GemmArgs give it, where b is the tensor `b`: float
/// and double through a kernel that may keep b packed with its buffer (b
/// is usually a weight; gemm_pack_cache.h), the integer types through
/// Eigen.
template <class T> void gemm_with_weight(detail::ThreadPool* pool, const Tensor& b, const GemmArgs<T>& g) {
  if constexpr (std::is_floating_point_v<T>) {
    const GemmPackedFn<T> kernel = packed_gemm_kernel<T>();
    const GemmPackRequest request(b, kernel, g.ldb, g.k, g.n, g.tb);
    run_gemm_packed<T>(pool, kernel, g, request.packed_b());
  } else {
    run_gemms<T>(pool, gemm_kernel<T>(), 1, g.m, g.k, g.n, [&](std::int64_t) { return g; });
  }
}

Tensor matmul_2d(OpInfo& op, detail::ThreadPool* pool, const Tensor& a, const Tensor& b,
                 const MatMulOptions& options) {
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
    gemm_with_weight<T>(pool, b,
                        GemmArgs<T>{a.data<T>(), options.transpose_a ? m : k, b.data<T>(),
                                    options.transpose_b ? k : n, out.data<T>(), n, m, k, n, options.transpose_a,
                                    options.transpose_b});
    return out;
  });
}

Tensor matmul_batched(OpInfo& op, detail::ThreadPool* pool, const Tensor& a, const Tensor& b,
                      const MatMulOptions& options) {
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
    if (b.rank() == 2 && !options.transpose_a) {
      // One matrix b for the whole batch (activations [..., m, k] times a
      // weight [k, n]): a's matrices are the consecutive rows of one
      // [batch * m, k] matrix and the output's those of [batch * m, n], so
      // the batch is one GEMM, with one packing of b (kept with b like a
      // 2-D matmul's) and the threads splitting the whole product.
      gemm_with_weight<T>(pool, b,
                          GemmArgs<T>{ap, k, bp, options.transpose_b ? k : n, cp, n, out.num_elements() / n, k, n,
                                      false, options.transpose_b});
      return out;
    }
    const std::int64_t a_size = m * k;
    const std::int64_t b_size = k * n;
    const std::int64_t c_size = m * n;
    // The batch's operand offsets first (in units of whole matrices), so
    // that the GEMMs can be handed out in any order.
    std::vector<std::pair<std::int64_t, std::int64_t>> offsets;
    offsets.reserve(static_cast<std::size_t>(out.num_elements() / c_size));
    const BroadcastPlan plan = plan_broadcast(batch, a_batch, b_batch);
    for_each_run(plan, [&](std::int64_t ao, std::int64_t bo, std::int64_t, std::int64_t len) {
      const std::int64_t a_step = plan.x_strides.back();
      const std::int64_t b_step = plan.y_strides.back();
      for (std::int64_t i = 0; i < len; ++i) offsets.emplace_back(ao + i * a_step, bo + i * b_step);
    });
    const std::int64_t lda = options.transpose_a ? m : k;
    const std::int64_t ldb = options.transpose_b ? k : n;
    run_gemms<T>(pool, gemm_kernel<T>(), static_cast<std::int64_t>(offsets.size()), m, k, n, [&](std::int64_t i) {
      const auto [ao, bo] = offsets[static_cast<std::size_t>(i)];
      return GemmArgs<T>{ap + ao * a_size, lda, bp + bo * b_size, ldb, cp + i * c_size, n,
                         m, k, n, options.transpose_a, options.transpose_b};
    });
    return out;
  });
}

} // namespace

Tensor matmul(Scope& scope, const Tensor& a, const Tensor& b, MatMulOptions options) {
  const bool batched = a.rank() > 2 || b.rank() > 2;
  return run_op(scope, options.name, "MatMul", batched ? "BatchMatMulV2" : "MatMul", [&](OpInfo& op) {
    op.input_shapes = {a.shape(), b.shape()};
    detail::ThreadPool* pool = intra_op_pool(scope);
    return batched ? matmul_batched(op, pool, a, b, options) : matmul_2d(op, pool, a, b, options);
  });
}

} // namespace varscope
