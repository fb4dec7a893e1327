// ops/gemm_run.h - how matmul and conv2d hand GEMMs to the kernels (gemm.h)
// and spread them over the store's intra-op threads.
//
// Determinism: a kernel's result does not depend on whether it is given
// threads (gemm_driver.inc cuts its work only where no bit can change), and
// a batch's GEMMs are independent kernel calls. So the choices here (which
// GEMMs get threads, whether a batch is split by GEMM) only change speed:
// results are bit-identical for any thread count. This replaces fixed
// output panels (gemm_tiles.h until 2026-12-05), which were needed because
// Eigen's own product blocks differently for a part of C, and so had to be
// used on one thread too, at 2% to 4% of speed.
//
// This header does not include Eigen.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "ops/gemm.h"
#include "thread_pool.h"

namespace varscope::ops_internal {

/// GEMMs with fewer multiply-adds (m * k * n) run on the calling thread:
/// about 10 to 40 microseconds of work, where handing half to a worker
/// stops paying for its wake-up.
inline constexpr std::int64_t kParallelGemmMinMacs = std::int64_t{1} << 20;

/// One GEMM's operands, as GemmFn takes them (gemm.h).
template <class T> struct GemmArgs {
  const T* a;
  std::int64_t lda;
  const T* b;
  std::int64_t ldb;
  T* c;
  std::int64_t ldc;
  std::int64_t m, k, n;
  bool ta, tb;
};

/// GemmParallel (gemm.h) over `pool`.
inline GemmParallel gemm_parallel(detail::ThreadPool& pool) {
  const auto parallel_for = [](void* p, std::int64_t n, void (*task)(void*, std::int64_t), void* context) {
    static_cast<detail::ThreadPool*>(p)->parallel_for(n, [&](std::int64_t i) { task(context, i); });
  };
  return {&pool, pool.num_threads(), parallel_for};
}

/// `count` GEMMs of the same sizes (a batch; count = 1 for matmul), operands
/// from `args(i)`, through `kernel`, on `pool` (null: the calling thread)
/// when the work is big enough: the batch split by GEMM when it has at least
/// two per thread, else each GEMM split by the kernel.
template <class T, class Args>
void run_gemms(detail::ThreadPool* pool, GemmFn<T> kernel, std::int64_t count, std::int64_t m, std::int64_t k,
               std::int64_t n, Args&& args) {
  const auto call = [&](std::int64_t i, const GemmParallel* parallel) {
    const GemmArgs<T> g = args(i);
    kernel(g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.m, g.k, g.n, g.ta, g.tb, parallel);
  };
  if (pool == nullptr || pool->num_threads() <= 1 || count * m * k * n < kParallelGemmMinMacs) {
    for (std::int64_t i = 0; i < count; ++i) call(i, nullptr);
    return;
  }
  if (count >= 2 * pool->num_threads() || m * k * n < kParallelGemmMinMacs) {
    pool->parallel_for(count, [&](std::int64_t i) { call(i, nullptr); });
    return;
  }
  const GemmParallel parallel = gemm_parallel(*pool);
  for (std::int64_t i = 0; i < count; ++i) call(i, &parallel);
}

/// The float / double kernel for the CPU's instruction set that may be
/// offered a kept packing of op(B) (gemm.h, GemmPackedB).
template <class T> GemmPackedFn<T> packed_gemm_kernel() {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "float and double kernels only");
  if constexpr (std::is_same_v<T, float>)
    return gemm_kernels().f32_packed;
  else
    return gemm_kernels().f64_packed;
}

/// One GEMM through a kernel offered a kept packing of op(B) (gemm.h,
/// GemmPackedB; null: none), split over `pool` as run_gemms splits a single
/// GEMM.
template <class T>
void run_gemm_packed(detail::ThreadPool* pool, GemmPackedFn<T> kernel, const GemmArgs<T>& g,
                     const GemmPackedB* packed_b) {
  const bool threaded = pool != nullptr && pool->num_threads() > 1 && g.m * g.k * g.n >= kParallelGemmMinMacs;
  const GemmParallel parallel = threaded ? gemm_parallel(*pool) : GemmParallel{};
  kernel(g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.m, g.k, g.n, g.ta, g.tb, threaded ? &parallel : nullptr, packed_b);
}

} // namespace varscope::ops_internal
