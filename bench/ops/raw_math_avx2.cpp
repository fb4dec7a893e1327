// bench/ops/raw_math_avx2.cpp - the reference models' elementwise steps for
// avx2 (raw_math.h), with the flags bench/ops_bench.cmake sets.
#define VARSCOPE_RAW_MATH_BUILT 1 // built with the flags bench/ops_bench.cmake sets
#define VARSCOPE_RAW_MATH_EIGEN varscope_bench_math_eigen_avx2
#define VARSCOPE_RAW_MATH_ISA avx2
#define VARSCOPE_RAW_MATH_ISA_ENUM Avx2
#include "raw_math.inc"
