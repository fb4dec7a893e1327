// bench/ops/raw_math_sse2.cpp - the reference models' elementwise steps for
// sse2 (raw_math.h), with the flags bench/ops_bench.cmake sets.
#define VARSCOPE_RAW_MATH_BUILT 1 // the baseline, built everywhere
#define VARSCOPE_RAW_MATH_ISA sse2
#define VARSCOPE_RAW_MATH_ISA_ENUM Sse2
#include "raw_math.inc"
