// ops/gemm.h - the GEMM kernels of matmul and conv2d, compiled once per
// instruction set and picked at run time.
//
// The runtime itself is built for baseline x86-64 (SSE2), so it runs on any
// x86-64 machine. Eigen's GEMM is 4x to 5x faster when compiled for AVX-512
// and about 1.5x for AVX2+FMA, so gemm_{avx2,avx512}.cpp compile the same
// Eigen product with -mavx2 -mfma / -mavx512{f,dq,bw,vl} (runtime/CMakeLists.txt)
// and gemm_kernels() returns the widest set the CPU supports.
//
// The wider kernels fuse multiply-adds and block differently, so their
// results differ from the SSE2 kernel's in the last bits (test/unit/ops/
// gemm_isa_test.cpp bounds the difference). Each kernel is deterministic:
// the same inputs give the same bits on every run and with any thread
// count. The kernels are our own loop over Eigen's packing routines and
// micro-kernel (gemm_driver.inc): Eigen's blocking, fixed by the shape, and
// the work of each block step cut only where the cut cannot change a bit,
// so on one thread a product is bit-identical to Eigen's `C.noalias() = A *
// B` and on n threads to one thread (test/unit/ops/gemm_driver_test.cpp).
// VARSCOPE_ISA=sse2 (or avx2) in the environment caps the choice, to
// reproduce the portable results on any machine.
//
// This header does not include Eigen, so code built with other flags (the
// benchmarks) can ask which kernel is active without instantiating Eigen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace varscope::ops_internal {

enum class Isa { Sse2, Avx2, Avx512 };

/// "sse2", "avx2", "avx512".
std::string_view isa_name(Isa isa);

/// How a kernel may spread one product over threads, without including
/// the thread pool here (the kernels are compiled with other instruction
/// sets and must not instantiate varscope's inline code, gemm_kernel.inc):
/// parallel_for(pool, n, task, context) calls task(context, i) for every i
/// in [0, n), on any threads, and returns when all have returned.
struct GemmParallel {
  void* pool;
  int threads;
  void (*parallel_for)(void* pool, std::int64_t n, void (*task)(void* context, std::int64_t i), void* context);
};

/// c = op(a) * op(b) on row-major matrices: op(a) is [m, k], op(b) is
/// [k, n], c is [m, n]; op transposes when ta / tb is set. lda, ldb and ldc
/// are the row strides of a, b and c as stored (a is [k, m] in memory when
/// ta is set). c is overwritten; k == 0 gives zeros. `parallel` null: on the
/// calling thread; the result is the same bits either way.
template <class T>
using GemmFn = void (*)(const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T* c, std::int64_t ldc,
                        std::int64_t m, std::int64_t k, std::int64_t n, bool ta, bool tb,
                        const GemmParallel* parallel);

/// A packed copy of op(B) that the caller keeps between products (matmul's
/// weights, ops/gemm_pack_cache.h), offered to the kernel. The kernel packs
/// op(B) in blocks fixed by the shape (kc deep, mc wide); when it packs all
/// of it before or while multiplying, it asks acquire() for room of `bytes`
/// (64-byte aligned) for that blocking: null means pack as usual; else
/// *filled tells whether the room holds the packing already (read it, skip
/// packing) or not (pack into it, then call filled()). Plain function
/// pointers, so the kernels call no varscope code built for another
/// instruction set.
struct GemmPackedB {
  void* context;
  void* (*acquire)(void* context, std::int64_t kc, std::int64_t mc, std::size_t bytes, bool* filled);
  void (*filled)(void* context);
};

/// GemmFn with a packed op(B) offered (null: none).
template <class T>
using GemmPackedFn = void (*)(const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T* c, std::int64_t ldc,
                              std::int64_t m, std::int64_t k, std::int64_t n, bool ta, bool tb,
                              const GemmParallel* parallel, const GemmPackedB* packed_b);

struct GemmKernels {
  Isa isa;
  GemmFn<float> f32;
  GemmFn<double> f64;
  /// The same kernels with a kept packing of op(B) (the same bits).
  GemmPackedFn<float> f32_packed;
  GemmPackedFn<double> f64_packed;
  /// Eigen's own product, `C.noalias() = op(A) * op(B)` on maps of the same
  /// buffers, built for the same instruction set (`parallel` is ignored):
  /// what f32 / f64 must equal bit for bit, for tests.
  GemmFn<float> eigen_f32;
  GemmFn<double> eigen_f64;
};

/// The kernels for `isa`, or null when this build has none for it or the
/// CPU (and OS) cannot run them.
const GemmKernels* gemm_kernels_for(Isa isa);

/// The active kernels: the widest the CPU supports, capped by the
/// VARSCOPE_ISA environment variable ("sse2", "avx2", "avx512"; read once,
/// at the first call). Thread-safe.
const GemmKernels& gemm_kernels();

} // namespace varscope::ops_internal
