// ops/elementwise_avx512.cpp - the float elementwise kernels built with the
// GEMM's AVX-512 flags (runtime/CMakeLists.txt), used when the GEMM uses its
// AVX-512 kernel.
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define VARSCOPE_ELEMENTWISE_BUILT 1
#endif
#define VARSCOPE_ELEMENTWISE_ISA avx512
#define VARSCOPE_ELEMENTWISE_ISA_ENUM Avx512
#define VARSCOPE_ELEMENTWISE_EIGEN varscope_eigen_elementwise_avx512
#include "ops/elementwise_kernel.inc"
