// ops/elementwise_sse2.cpp - the elementwise kernels built with the runtime's
// own flags (baseline x86-64: SSE2), the fallback on every CPU and the double
// kernels everywhere. Eigen keeps its own namespace here: these are the same
// instantiations as the rest of the runtime's Eigen code.
#define VARSCOPE_ELEMENTWISE_BUILT 1
#define VARSCOPE_ELEMENTWISE_ISA sse2
#define VARSCOPE_ELEMENTWISE_ISA_ENUM Sse2
#define VARSCOPE_ELEMENTWISE_F64 1
#include "ops/elementwise_kernel.inc"
