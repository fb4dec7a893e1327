// bench/ops/raw_math.cpp - picks the reference models' elementwise build
// (raw_math.h).
#include "raw_math.h"

#include "ops/elementwise.h"

namespace varscope::bench {
namespace sse2 {
const RawMath* compiled_raw_math();
}
#if VARSCOPE_HAVE_RAW_GEMM_AVX
namespace avx2 {
const RawMath* compiled_raw_math();
}
namespace avx512 {
const RawMath* compiled_raw_math();
}
#endif

const RawMath& raw_math() {
#if VARSCOPE_HAVE_RAW_GEMM_AVX
  switch (ops_internal::elementwise_kernels().isa) {
  case ops_internal::Isa::Avx512:
    return *avx512::compiled_raw_math();
  case ops_internal::Isa::Avx2:
    return *avx2::compiled_raw_math();
  case ops_internal::Isa::Sse2:
    break;
  }
#endif
  return *sse2::compiled_raw_math();
}

} // namespace varscope::bench
