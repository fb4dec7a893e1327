// ops/gemm_pack_cache.h - matmul's weights kept packed for the GEMM kernel.
//
// The GEMM kernel packs op(B) into its own block layout before multiplying
// (gemm_driver.inc). For a product with few rows (an LSTM step's [32, 512]
// state times a [512, 2048] weight, an MLP's batch of 64) packing the weight
// is a large part of the product, and it is the same work every step. So a
// matmul whose B operand's buffer is Sealed (buffer_state.h: no writable
// pointer to it was ever handed out, so its elements cannot have changed)
// offers the kernel a packed copy kept with the buffer, keyed by everything
// the packed layout depends on: the kernel, the element type, the layout of
// op(B) and the kernel's blocking, which follows from the shape of the whole
// product.
//
// A copy is made on the second product that would use it, not the first,
// so that activations multiplied once (attention's keys) cost nothing but a
// lookup. It lives as long as the buffer (a variable's: as long as the
// store), so a weight used this way takes twice its memory
// (VARSCOPE_KEEP_PACKED=0 turns it off). The bits are
// the same with or without it: the kernel reads the same packed values it
// would have packed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "ops/gemm.h"
#include "varscope/tensor.h"

namespace varscope::ops_internal {

class GemmPackCache; // the packings kept with one buffer (gemm_pack_cache.cpp)

/// Whether packings are kept at all: yes unless the environment sets
/// VARSCOPE_KEEP_PACKED=0 (read once, at the first call), for programs that
/// cannot spare the memory or to time the kernels as they pack afresh.
bool keep_gemm_packings();

/// Products whose op(B) has fewer elements than this keep no packing: a
/// weight smaller than 32 x 32 packs in about as long as the lookup takes
/// (docs/performance-ops.md, "Kept packings of small weights"). From 64 x
/// 64 on, packing afresh is about 5 % of a 64-row product.
inline constexpr std::int64_t kMinKeptPackElements = std::int64_t{1} << 10;

/// One product's use of the packed copy of its op(B), for the kernel
/// (gemm.h, GemmPackedB). Keeps the packed block it hands out alive until
/// destroyed, so dropping the cache meanwhile (the buffer was made writable
/// on another thread) cannot free it under the kernel.
class GemmPackRequest {
public:
  /// The request for b = op(B)'s buffer as the product c = op(a) * op(b)
  /// of `kernel` reads it (ldb, n, k and tb as GemmFn takes them); inactive
  /// (packed_b() null) when b's buffer is not Sealed or op(B) is small.
  template <class T>
  GemmPackRequest(const Tensor& b, GemmPackedFn<T> kernel, std::int64_t ldb, std::int64_t k, std::int64_t n, bool tb)
      : GemmPackRequest(b, reinterpret_cast<const void*>(kernel), sizeof(T), ldb, k, n, tb) {}
  ~GemmPackRequest();
  GemmPackRequest(const GemmPackRequest&) = delete;
  GemmPackRequest& operator=(const GemmPackRequest&) = delete;

  /// What to hand the kernel: null when inactive.
  const GemmPackedB* packed_b() const { return cache_ != nullptr ? &ref_ : nullptr; }

  /// The key of a packed layout (public for the cache in the .cpp).
  struct Key {
    const void* kernel;
    std::size_t element_size;
    std::int64_t ldb, k, n, kc, mc;
    bool tb;
    bool operator==(const Key&) const = default;
  };
  struct Block;

private:
  GemmPackRequest(const Tensor& b, const void* kernel, std::size_t element_size, std::int64_t ldb, std::int64_t k,
                  std::int64_t n, bool tb);
  static void* acquire(void* context, std::int64_t kc, std::int64_t mc, std::size_t bytes, bool* filled);
  static void filled(void* context);

  GemmPackCache* cache_ = nullptr;
  Key key_{};
  std::shared_ptr<Block> block_;
  GemmPackedB ref_{};
};

/// How many packings of b's buffer are kept and filled (for tests and
/// profiling).
std::size_t kept_gemm_packings(const Tensor& b);

} // namespace varscope::ops_internal
