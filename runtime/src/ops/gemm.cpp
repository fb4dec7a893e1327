// ops/gemm.cpp - picks the GEMM kernels (gemm.h) for this CPU.
#include "ops/gemm.h"

#include <cstdlib>
#include <string_view>

namespace varscope::ops_internal {

// Defined by gemm_<isa>.cpp; null when that file was built without its
// instruction set's flags.
namespace sse2 {
const GemmKernels* compiled_kernels();
}
namespace avx2 {
const GemmKernels* compiled_kernels();
}
namespace avx512 {
const GemmKernels* compiled_kernels();
}

namespace {

bool cpu_supports(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  switch (isa) {
  case Isa::Sse2:
    return true;
  case Isa::Avx2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case Isa::Avx512:
    // __builtin_cpu_supports also checks that the OS saves the registers.
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }
  return false;
#else
  return isa == Isa::Sse2;
#endif
}

const GemmKernels* compiled(Isa isa) {
  switch (isa) {
  case Isa::Sse2:
    return sse2::compiled_kernels();
  case Isa::Avx2:
    return avx2::compiled_kernels();
  case Isa::Avx512:
    return avx512::compiled_kernels();
  }
  return nullptr;
}

/// The widest usable kernels, capped by VARSCOPE_ISA.
const GemmKernels& choose() {
  Isa cap = Isa::Avx512;
  if (const char* env = std::getenv("VARSCOPE_ISA")) {
    const std::string_view value(env);
    if (value == "sse2") cap = Isa::Sse2;
    if (value == "avx2") cap = Isa::Avx2;
  }
  for (Isa isa : {Isa::Avx512, Isa::Avx2}) {
    if (static_cast<int>(isa) > static_cast<int>(cap)) continue;
    if (const GemmKernels* kernels = gemm_kernels_for(isa)) return *kernels;
  }
  return *sse2::compiled_kernels();
}

} // namespace

std::string_view isa_name(Isa isa) {
  switch (isa) {
  case Isa::Sse2:
    return "sse2";
  case Isa::Avx2:
    return "avx2";
  case Isa::Avx512:
    return "avx512";
  }
  return "?";
}

const GemmKernels* gemm_kernels_for(Isa isa) { return cpu_supports(isa) ? compiled(isa) : nullptr; }

const GemmKernels& gemm_kernels() {
  static const GemmKernels& active = choose(); // thread-safe static init
  return active;
}

} // namespace varscope::ops_internal
