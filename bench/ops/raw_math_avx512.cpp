// bench/ops/raw_math_avx512.cpp - the reference models' elementwise steps for
// avx512 (raw_math.h), with the flags bench/ops_bench.cmake sets.
#define VARSCOPE_RAW_MATH_BUILT 1 // built with the flags bench/ops_bench.cmake sets
#define VARSCOPE_RAW_MATH_EIGEN varscope_bench_math_eigen_avx512
#define VARSCOPE_RAW_MATH_ISA avx512
#define VARSCOPE_RAW_MATH_ISA_ENUM Avx512
#include "raw_math.inc"
