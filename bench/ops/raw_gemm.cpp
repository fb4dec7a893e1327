// bench/ops/raw_gemm.cpp - picks the benchmark's raw GEMM build (raw_gemm.h).
#include "raw_gemm.h"

namespace varscope::ops_internal {
namespace bench_sse2 {
const GemmKernels* compiled_kernels();
}
#if VARSCOPE_HAVE_RAW_GEMM_AVX
namespace bench_avx2 {
const GemmKernels* compiled_kernels();
}
namespace bench_avx512 {
const GemmKernels* compiled_kernels();
}
#endif
} // namespace varscope::ops_internal

namespace varscope::bench {

const ops_internal::GemmKernels& raw_gemm() {
#if VARSCOPE_HAVE_RAW_GEMM_AVX
  switch (ops_internal::gemm_kernels().isa) {
  case ops_internal::Isa::Avx512:
    return *ops_internal::bench_avx512::compiled_kernels();
  case ops_internal::Isa::Avx2:
    return *ops_internal::bench_avx2::compiled_kernels();
  case ops_internal::Isa::Sse2:
    break;
  }
#endif
  return *ops_internal::bench_sse2::compiled_kernels();
}

} // namespace varscope::bench
