// ops/gemm_avx2.cpp - the GEMM kernels built with -mavx2 -mfma
// (runtime/CMakeLists.txt), used when the CPU has AVX2 and FMA.
#if defined(__AVX2__) && defined(__FMA__)
#define VARSCOPE_GEMM_BUILT 1
#endif
#define VARSCOPE_GEMM_ISA avx2
#define VARSCOPE_GEMM_ISA_ENUM Avx2
#define VARSCOPE_GEMM_EIGEN varscope_eigen_avx2
#include "ops/gemm_kernel.inc"
