// ops/gemm_sse2.cpp - the GEMM kernels built with the runtime's own flags
// (baseline x86-64: SSE2), the fallback on every CPU. Eigen keeps its own
// namespace here: these are the same instantiations as the rest of the
// runtime's Eigen code.
#define VARSCOPE_GEMM_BUILT 1
#define VARSCOPE_GEMM_ISA sse2
#define VARSCOPE_GEMM_ISA_ENUM Sse2
#include "ops/gemm_kernel.inc"
