// ops/elementwise.cpp - picks the elementwise kernels (elementwise.h) of the
// GEMM's instruction set.
#include "ops/elementwise.h"

namespace varscope::ops_internal {

// Defined by elementwise_<isa>.cpp; null when that file was built without
// its instruction set's flags.
namespace sse2 {
const ElementwiseKernels* compiled_elementwise_kernels();
const ElementwiseFns<double>* compiled_f64_kernels();
} // namespace sse2
namespace avx2 {
const ElementwiseKernels* compiled_elementwise_kernels();
}
namespace avx512 {
const ElementwiseKernels* compiled_elementwise_kernels();
}

namespace {

const ElementwiseKernels* compiled(Isa isa) {
  switch (isa) {
  case Isa::Sse2:
    return sse2::compiled_elementwise_kernels();
  case Isa::Avx2:
    return avx2::compiled_elementwise_kernels();
  case Isa::Avx512:
    return avx512::compiled_elementwise_kernels();
  }
  return nullptr;
}

/// The GEMM's choice (one CPU check and one VARSCOPE_ISA cap for both);
/// the files get the same flags, so a table exists wherever a GEMM kernel
/// does, but fall back to SSE2 rather than assume it.
const ElementwiseKernels& choose() {
  if (const ElementwiseKernels* kernels = elementwise_kernels_for(gemm_kernels().isa)) return *kernels;
  return *sse2::compiled_elementwise_kernels();
}

} // namespace

const ElementwiseKernels* elementwise_kernels_for(Isa isa) {
  return gemm_kernels_for(isa) != nullptr ? compiled(isa) : nullptr;
}

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels& active = choose(); // thread-safe static init
  return active;
}

template <> const ElementwiseFns<float>& elementwise_fns<float>() { return elementwise_kernels().f32; }

template <> const ElementwiseFns<double>& elementwise_fns<double>() { return *sse2::compiled_f64_kernels(); }

} // namespace varscope::ops_internal
