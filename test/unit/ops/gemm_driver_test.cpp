// The GEMM driver (runtime/src/ops/gemm_driver.inc) of every instruction set
// this build has and the CPU runs: bit-identical to Eigen's own product built
// for the same instruction set (GemmKernels::eigen_f32 / f64), and with 2 and
// 3 threads to 1 thread, for edge sizes, transposes, strided operands and
// k = 0. Exact bits, not tolerances: a different blocking, a cut inside a
// register block or a changed k order shows up here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "ops/gemm.h"
#include "ops/gemm_run.h"
#include "thread_pool.h"

namespace varscope {
namespace {

using ops_internal::GemmKernels;
using ops_internal::GemmParallel;
using ops_internal::GemmPackedB;
using ops_internal::Isa;

struct Shape3 {
  std::int64_t m, k, n;
};

/// Edge sizes around the register blocks (mr is 12, 24 or 48 floats; nr 4)
/// and Eigen's cache blocks (kc about 256 to 300 here, so k = 1023 is cut;
/// n = 65 with m = 1023 cuts C's rows; 300 x 129 x 500 cuts its columns),
/// the tiny products Eigen computes coefficient-wise, the vector products
/// (m or n == 1), k == 0, and the model shapes of bench/ops. 2100 x 1023 x 65
/// packs more than gemm_driver.inc's kMaxPackedRhs, so it takes the
/// block-step loop with threads too.
const std::vector<Shape3>& shapes() {
  static const std::vector<Shape3> kShapes = {
      {1, 1, 1},      {2, 3, 4},       {1, 17, 3},      {3, 1, 17},      {17, 3, 1},       {3, 17, 63},
      {17, 63, 64},   {63, 64, 65},    {64, 64, 64},    {65, 65, 65},    {1, 257, 1023},   {1023, 257, 1},
      {3, 1023, 257}, {257, 3, 1023},  {1023, 3, 257},  {63, 1023, 257}, {257, 65, 1023},  {1023, 257, 65},
      {65, 1023, 257}, {257, 257, 257}, {300, 129, 500}, {64, 784, 1024}, {32, 1024, 2048}, {1024, 256, 256},
      {2100, 1023, 65}, {4, 0, 6},     {17, 0, 1},      {0, 5, 3},       {5, 3, 0},
  };
  return kShapes;
}

/// Deterministic values in [-1, 1) with full mantissas: with fewer bits
/// (say floats in doubles) the sums are exact and any order gives the same
/// bits, so the test could not see a changed order.
template <class T> std::vector<T> values(std::int64_t count, std::uint32_t seed) {
  std::vector<T> out(static_cast<std::size_t>(count));
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 7;
  for (T& v : out) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    v = static_cast<T>(static_cast<double>(state >> 11) / 9007199254740992.0 * 2.0 - 1.0); // 53 bits
  }
  return out;
}

struct Operands {
  std::int64_t lda, ldb, ldc;
};

/// `count` elements at a 64-byte aligned address: Eigen's coefficient-wise
/// product (the tiny shapes) peels elements up to an aligned address, so its
/// bits depend on the buffers' alignment; every run here uses the same one.
template <class T> struct Aligned {
  std::vector<T> storage;
  T* data;
  explicit Aligned(std::int64_t count) : storage(static_cast<std::size_t>(count) + 64 / sizeof(T)) {
    const auto address = reinterpret_cast<std::uintptr_t>(storage.data());
    data = storage.data() + (64 - address % 64) % 64 / sizeof(T);
  }
};

/// c (with its padding) after `fn` on the case; c starts as junk that the
/// kernel must overwrite, the padding must stay.
template <class T, class Fn>
std::vector<T> run(const Fn& fn, const Shape3& s, bool ta, bool tb, std::int64_t pad, const GemmParallel* parallel) {
  const std::int64_t a_rows = ta ? s.k : s.m, a_cols = ta ? s.m : s.k;
  const std::int64_t b_rows = tb ? s.n : s.k, b_cols = tb ? s.k : s.n;
  const Operands ld{a_cols + pad, b_cols + pad, s.n + pad};
  const std::vector<T> a_values = values<T>(a_rows * ld.lda, 1);
  const std::vector<T> b_values = values<T>(b_rows * ld.ldb, 2);
  Aligned<T> a(a_rows * ld.lda), b(b_rows * ld.ldb), c(s.m * ld.ldc);
  std::copy(a_values.begin(), a_values.end(), a.data);
  std::copy(b_values.begin(), b_values.end(), b.data);
  std::fill(c.data, c.data + s.m * ld.ldc, T(12345));
  fn(a.data, ld.lda, b.data, ld.ldb, c.data, ld.ldc, s.m, s.k, s.n, ta, tb, parallel);
  return std::vector<T>(c.data, c.data + s.m * ld.ldc);
}

template <class T> bool same_bits(const std::vector<T>& x, const std::vector<T>& y) {
  // memcmp must not see the null data() of an empty vector (m or n == 0).
  return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(T)) == 0);
}

/// The kernels of one element type: our driver, the driver offered a kept
/// packing, and Eigen's product.
template <class T> struct TypedKernels {
  ops_internal::GemmFn<T> driver;
  ops_internal::GemmPackedFn<T> packed;
  ops_internal::GemmFn<T> eigen;
};
template <class T> TypedKernels<T> typed(const GemmKernels& k) {
  if constexpr (std::is_same_v<T, float>)
    return {k.f32, k.f32_packed, k.eigen_f32};
  else
    return {k.f64, k.f64_packed, k.eigen_f64};
}

/// The callers' pools for the threaded runs: 2 and 3 threads.
struct Pools {
  detail::ThreadPool pool2{2}, pool3{3};
  const GemmParallel parallel2 = ops_internal::gemm_parallel(pool2);
  const GemmParallel parallel3 = ops_internal::gemm_parallel(pool3);
};

template <class T> void check_isa(Isa isa) {
  const GemmKernels* kernels = ops_internal::gemm_kernels_for(isa);
  if (kernels == nullptr) GTEST_SKIP() << ops_internal::isa_name(isa) << " kernels not compiled or not supported";
  const auto [driver, packed, eigen] = typed<T>(*kernels);
  Pools pools;
  const GemmParallel& parallel2 = pools.parallel2;
  const GemmParallel& parallel3 = pools.parallel3;
  int index = 0;
  for (const Shape3& s : shapes()) {
    for (int t = 0; t < 4; ++t, ++index) {
      const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
      const std::int64_t pad = index % 2 == 0 ? 0 : 3; // dense and strided, alternately
      SCOPED_TRACE(std::to_string(s.m) + " x " + std::to_string(s.k) + " x " + std::to_string(s.n) +
                   (ta ? " ta" : "") + (tb ? " tb" : "") + " pad " + std::to_string(pad));
      const std::vector<T> expected = run<T>(eigen, s, ta, tb, pad, nullptr);
      EXPECT_TRUE(same_bits(run<T>(driver, s, ta, tb, pad, nullptr), expected)) << "1 thread differs from Eigen";
      EXPECT_TRUE(same_bits(run<T>(driver, s, ta, tb, pad, &parallel2), expected)) << "2 threads differ";
      EXPECT_TRUE(same_bits(run<T>(driver, s, ta, tb, pad, &parallel3), expected)) << "3 threads differ";
    }
  }
  // The big shapes did use the workers (kMinParallelStepMacs).
  EXPECT_EQ(pools.pool2.num_started(), 1);
  EXPECT_EQ(pools.pool3.num_started(), 2);
}

TEST(GemmDriverTest, Sse2Float) { check_isa<float>(Isa::Sse2); }
TEST(GemmDriverTest, Sse2Double) { check_isa<double>(Isa::Sse2); }
TEST(GemmDriverTest, Avx2Float) { check_isa<float>(Isa::Avx2); }
TEST(GemmDriverTest, Avx2Double) { check_isa<double>(Isa::Avx2); }
TEST(GemmDriverTest, Avx512Float) { check_isa<float>(Isa::Avx512); }
TEST(GemmDriverTest, Avx512Double) { check_isa<double>(Isa::Avx512); }

/// A caller-kept packing of op(B) (gemm.h, GemmPackedB) for one product's
/// operands: room on the first acquire, filled by the kernel, read after.
template <class T> struct KeptPacking {
  std::vector<unsigned char> storage;
  void* room = nullptr;
  bool is_filled = false;
  int acquired = 0, fills = 0;
  std::int64_t kc = -1, mc = -1;
  GemmPackedB ref{this, &KeptPacking::acquire, &KeptPacking::filled};

  static void* acquire(void* context, std::int64_t kc, std::int64_t mc, std::size_t bytes, bool* filled) {
    auto* self = static_cast<KeptPacking*>(context);
    ++self->acquired;
    if (self->room == nullptr) {
      self->storage.assign(bytes + 64, 0xAB); // junk the kernel must overwrite
      const auto address = reinterpret_cast<std::uintptr_t>(self->storage.data());
      self->room = self->storage.data() + (64 - address % 64) % 64;
      self->kc = kc;
      self->mc = mc;
    }
    // The blocking is a function of the shape only.
    EXPECT_EQ(kc, self->kc);
    EXPECT_EQ(mc, self->mc);
    *filled = self->is_filled;
    return self->room;
  }
  static void filled(void* context) {
    auto* self = static_cast<KeptPacking*>(context);
    ++self->fills;
    self->is_filled = true;
  }
};

template <class T> void check_kept_packing(Isa isa) {
  const GemmKernels* kernels = ops_internal::gemm_kernels_for(isa);
  if (kernels == nullptr) GTEST_SKIP() << ops_internal::isa_name(isa) << " kernels not compiled or not supported";
  const auto [driver, packed, eigen] = typed<T>(*kernels);
  Pools pools;
  const GemmParallel* const parallels[] = {nullptr, &pools.parallel2, &pools.parallel3};
  int index = 0, kept_shapes = 0;
  for (const Shape3& s : shapes()) {
    for (int t = 0; t < 4; ++t, ++index) {
      const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
      const std::int64_t pad = index % 2 == 0 ? 0 : 3;
      SCOPED_TRACE(std::to_string(s.m) + " x " + std::to_string(s.k) + " x " + std::to_string(s.n) +
                   (ta ? " ta" : "") + (tb ? " tb" : "") + " pad " + std::to_string(pad));
      const std::vector<T> expected = run<T>(eigen, s, ta, tb, pad, nullptr);
      // Filled on 1, 2 or 3 threads, then read on each: the same bits.
      for (const GemmParallel* fill_on : parallels) {
        KeptPacking<T> kept;
        const auto with_kept = [&](const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T* c, std::int64_t ldc,
                                   std::int64_t m, std::int64_t k, std::int64_t n, bool ta_, bool tb_,
                                   const GemmParallel* parallel) {
          packed(a, lda, b, ldb, c, ldc, m, k, n, ta_, tb_, parallel, &kept.ref);
        };
        EXPECT_TRUE(same_bits(run<T>(with_kept, s, ta, tb, pad, fill_on), expected)) << "filling differs";
        for (const GemmParallel* read_on : parallels)
          EXPECT_TRUE(same_bits(run<T>(with_kept, s, ta, tb, pad, read_on), expected)) << "reading differs";
        // Filled once, by the first product, when it was asked for at all.
        EXPECT_EQ(kept.fills, kept.acquired > 0 ? 1 : 0);
        if (fill_on == nullptr && kept.acquired > 0) ++kept_shapes;
      }
    }
  }
  // Every product the driver runs (all but the tiny, vector and empty
  // ones: 19 of the 29 shapes) kept its packing.
  EXPECT_EQ(kept_shapes, 19 * 4);
}

TEST(GemmDriverTest, KeptPackingSse2Float) { check_kept_packing<float>(Isa::Sse2); }
TEST(GemmDriverTest, KeptPackingAvx2Float) { check_kept_packing<float>(Isa::Avx2); }
TEST(GemmDriverTest, KeptPackingAvx2Double) { check_kept_packing<double>(Isa::Avx2); }
TEST(GemmDriverTest, KeptPackingAvx512Float) { check_kept_packing<float>(Isa::Avx512); }

TEST(GemmDriverTest, ZeroDepthGivesZerosWithThreads) {
  // k == 0 overwrites c (it starts as 12345) and leaves the padding.
  const GemmKernels& kernels = ops_internal::gemm_kernels();
  detail::ThreadPool pool(2);
  const GemmParallel parallel = ops_internal::gemm_parallel(pool);
  const std::vector<float> c = run<float>(kernels.f32, {300, 0, 500}, false, false, 2, &parallel);
  for (std::int64_t i = 0; i < 300; ++i)
    for (std::int64_t j = 0; j < 502; ++j) ASSERT_EQ(c[i * 502 + j], j < 500 ? 0.0f : 12345.0f) << i << ", " << j;
}

} // namespace
} // namespace varscope
