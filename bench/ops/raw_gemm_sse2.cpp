// bench/ops/raw_gemm_sse2.cpp - the benchmarks' raw Eigen GEMM for sse2
// (raw_gemm.h): runtime/src/ops/gemm_kernel.inc compiled again, into the
// benchmark's own namespace, with the flags bench/ops_bench.cmake sets.
#define VARSCOPE_GEMM_BUILT 1 // built with the flags bench/ops_bench.cmake sets
#define VARSCOPE_GEMM_ISA bench_sse2
#define VARSCOPE_GEMM_ISA_ENUM Sse2
#include "ops/gemm_kernel.inc"
