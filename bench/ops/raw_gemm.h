// bench/ops/raw_gemm.h - raw Eigen GEMM for the benchmarks' reference side,
// compiled for the same instruction set as the runtime's active kernels.
//
// The runtime picks its GEMM by CPU (runtime/src/ops/gemm.h). A reference
// compiled with the runtime's baseline flags would then run SSE2 code
// against the runtime's AVX-512 code, and the comparison would measure
// instruction sets, not overhead. raw_gemm_{sse2,avx2,avx512}.cpp compile the
// same Eigen expression (`C.noalias() = A * B` on maps of the buffers) in the
// benchmark's own objects, with the same per-ISA flags and a private Eigen
// namespace each; raw_gemm() returns the build matching
// ops_internal::gemm_kernels().isa (VARSCOPE_ISA=sse2 caps both sides).
// The reference is its eigen_f32 (Eigen's own product, one thread); its
// f32 is the runtime's driver compiled again and is not used.
#pragma once

#include "ops/gemm.h"

namespace varscope::bench {

/// The benchmark's own Eigen GEMM for the runtime's active instruction set.
const ops_internal::GemmKernels& raw_gemm();

} // namespace varscope::bench
