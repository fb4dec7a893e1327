// bench/ops/raw_gemm_avx512.cpp - the benchmarks' raw Eigen GEMM for avx512
// (raw_gemm.h): runtime/src/ops/gemm_kernel.inc compiled again, into the
// benchmark's own namespace, with the flags bench/ops_bench.cmake sets.
#define VARSCOPE_GEMM_BUILT 1 // built with the flags bench/ops_bench.cmake sets
#define VARSCOPE_GEMM_ISA bench_avx512
#define VARSCOPE_GEMM_ISA_ENUM Avx512
#define VARSCOPE_GEMM_EIGEN varscope_bench_eigen_avx512
#include "ops/gemm_kernel.inc"
