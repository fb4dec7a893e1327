// ops/gemm_avx512.cpp - the GEMM kernels built with -mavx512f -mavx512dq
// -mavx512bw -mavx512vl -mavx2 -mfma (runtime/CMakeLists.txt), used when the
// CPU and OS support AVX-512.
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define VARSCOPE_GEMM_BUILT 1
#endif
#define VARSCOPE_GEMM_ISA avx512
#define VARSCOPE_GEMM_ISA_ENUM Avx512
#define VARSCOPE_GEMM_EIGEN varscope_eigen_avx512
#include "ops/gemm_kernel.inc"
