// ops/elementwise_avx2.cpp - the float elementwise kernels built with the
// GEMM's AVX2 flags, -mavx2 -mfma (runtime/CMakeLists.txt), used when the
// GEMM uses its AVX2 kernel.
#if defined(__AVX2__) && defined(__FMA__)
#define VARSCOPE_ELEMENTWISE_BUILT 1
#endif
#define VARSCOPE_ELEMENTWISE_ISA avx2
#define VARSCOPE_ELEMENTWISE_ISA_ENUM Avx2
#define VARSCOPE_ELEMENTWISE_EIGEN varscope_eigen_elementwise_avx2
#include "ops/elementwise_kernel.inc"
