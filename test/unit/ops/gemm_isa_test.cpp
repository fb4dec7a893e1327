// The GEMM kernels of every instruction set this build has (runtime/src/ops/
// gemm.h): each against a double-precision reference within the
// worst-case float error bound of a k-term dot product, and bit-identical to
// the SSE2 kernel where the arithmetic is exact (small integers). Kernels
// the CPU cannot run are skipped.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ops/gemm.h"
#include "ops_test_util.h"

namespace varscope {
namespace {

using ops_internal::GemmKernels;
using ops_internal::Isa;

/// A row-major matrix with a row stride of at least `cols`.
template <class T> struct Strided {
  std::int64_t rows, cols, ld;
  std::vector<T> data;
  Strided(std::int64_t r, std::int64_t c, std::int64_t pad) : rows(r), cols(c), ld(c + pad), data(r * (c + pad)) {}
  T& at(std::int64_t i, std::int64_t j) { return data[static_cast<std::size_t>(i * ld + j)]; }
  T at(std::int64_t i, std::int64_t j) const { return data[static_cast<std::size_t>(i * ld + j)]; }
};

/// Deterministic values: uniform in [-1, 1), or small integers in [-2, 2].
template <class T> void fill(Strided<T>& m, std::uint32_t seed, bool integers) {
  std::uint32_t state = seed * 2654435761u + 7;
  for (T& v : m.data) {
    state = state * 1664525u + 1013904223u;
    v = integers ? static_cast<T>(static_cast<int>(state >> 29) % 5 - 2)
                 : static_cast<T>(state >> 8) / static_cast<T>(1 << 23) - T(1);
  }
}

struct Case {
  std::int64_t m, k, n;
  bool ta, tb;
  std::int64_t pad; // extra elements per row of a, b and c
};

std::vector<Case> cases() {
  std::vector<Case> out;
  const std::vector<std::vector<std::int64_t>> shapes = {{1, 1, 1},    {3, 5, 7},     {8, 8, 8},    {17, 33, 65},
                                                         {64, 64, 64}, {128, 257, 96}, {5, 300, 2}, {200, 3, 150},
                                                         {4, 0, 6}};
  for (const auto& s : shapes)
    for (int t = 0; t < 4; ++t)
      for (std::int64_t pad : {0, 3}) out.push_back({s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, pad});
  return out;
}

/// Runs kernels->f32 or f64 on the case; returns c [m, n] (dense copy).
template <class T>
std::vector<T> run(const GemmKernels& kernels, const Case& c, const Strided<T>& a, const Strided<T>& b) {
  Strided<T> out(c.m, c.n, c.pad);
  for (T& v : out.data) v = T(12345); // must be overwritten, k == 0 included
  if constexpr (std::is_same_v<T, float>)
    kernels.f32(a.data.data(), a.ld, b.data.data(), b.ld, out.data.data(), out.ld, c.m, c.k, c.n, c.ta, c.tb, nullptr);
  else
    kernels.f64(a.data.data(), a.ld, b.data.data(), b.ld, out.data.data(), out.ld, c.m, c.k, c.n, c.ta, c.tb, nullptr);
  std::vector<T> dense;
  for (std::int64_t i = 0; i < c.m; ++i)
    for (std::int64_t j = 0; j < c.n; ++j) dense.push_back(out.at(i, j));
  return dense;
}

template <class T> void check_isa(Isa isa) {
  const GemmKernels* kernels = ops_internal::gemm_kernels_for(isa);
  const GemmKernels* baseline = ops_internal::gemm_kernels_for(Isa::Sse2);
  ASSERT_NE(baseline, nullptr);
  if (kernels == nullptr) GTEST_SKIP() << ops_internal::isa_name(isa) << " kernels not compiled or not supported";
  const double u = std::is_same_v<T, float> ? FLT_EPSILON / 2 : DBL_EPSILON / 2;
  int seed = 1;
  for (const Case& c : cases()) {
    SCOPED_TRACE(std::string(ops_internal::isa_name(isa)) + " m=" + std::to_string(c.m) + " k=" + std::to_string(c.k) +
                 " n=" + std::to_string(c.n) + " ta=" + std::to_string(c.ta) + " tb=" + std::to_string(c.tb) +
                 " pad=" + std::to_string(c.pad));
    for (bool integers : {false, true}) {
      Strided<T> a(c.ta ? c.k : c.m, c.ta ? c.m : c.k, c.pad);
      Strided<T> b(c.tb ? c.n : c.k, c.tb ? c.k : c.n, c.pad);
      fill(a, static_cast<std::uint32_t>(seed++), integers);
      fill(b, static_cast<std::uint32_t>(seed++), integers);
      const std::vector<T> got = run(*kernels, c, a, b);
      const std::vector<T> base = run(*baseline, c, a, b);
      // gamma_k * sum |a||b| bounds the error of any order of summation,
      // with or without fused multiply-adds.
      const double gamma = c.k * u / (1 - c.k * u);
      int failures = 0;
      for (std::int64_t i = 0; i < c.m && failures < 5; ++i)
        for (std::int64_t j = 0; j < c.n && failures < 5; ++j) {
          double exact = 0, magnitude = 0;
          for (std::int64_t p = 0; p < c.k; ++p) {
            const double x = c.ta ? a.at(p, i) : a.at(i, p);
            const double y = c.tb ? b.at(j, p) : b.at(p, j);
            exact += x * y;
            magnitude += std::fabs(x * y);
          }
          const std::size_t at = static_cast<std::size_t>(i * c.n + j);
          if (integers) {
            // Small integers: every partial sum is exact, so all kernels agree bit for bit.
            if (got[at] != base[at] || got[at] != static_cast<T>(exact)) ++failures;
            EXPECT_EQ(got[at], base[at]) << "element " << i << "," << j;
            EXPECT_EQ(got[at], static_cast<T>(exact)) << "element " << i << "," << j;
            continue;
          }
          const double bound = gamma * magnitude + u * std::fabs(exact);
          if (std::fabs(got[at] - exact) > bound) ++failures;
          EXPECT_LE(std::fabs(got[at] - exact), bound) << "element " << i << "," << j;
          EXPECT_LE(std::fabs(base[at] - exact), bound) << "sse2 element " << i << "," << j;
        }
    }
  }
}

TEST(GemmIsaTest, Sse2KernelsWithinErrorBoundAndExactOnIntegers) {
  check_isa<float>(Isa::Sse2);
  check_isa<double>(Isa::Sse2);
}

TEST(GemmIsaTest, Avx2KernelsAgreeWithSse2) {
  check_isa<float>(Isa::Avx2);
  check_isa<double>(Isa::Avx2);
}

TEST(GemmIsaTest, Avx512KernelsAgreeWithSse2) {
  check_isa<float>(Isa::Avx512);
  check_isa<double>(Isa::Avx512);
}

TEST(GemmIsaTest, ActiveKernelsAreSupportedAndUsedByMatmul) {
  const GemmKernels& active = ops_internal::gemm_kernels();
  EXPECT_EQ(ops_internal::gemm_kernels_for(active.isa), &active);
  // matmul's float path is the active kernel: same bits on a case where the
  // kernels may round differently.
  Store store;
  Scope root = store.root_scope();
  Strided<float> a(37, 129, 0), b(129, 41, 0);
  fill(a, 99, false);
  fill(b, 100, false);
  const Tensor c = matmul(root, Tensor::from_vector(a.data, {37, 129}), Tensor::from_vector(b.data, {129, 41}));
  const std::vector<float> expected = run(active, Case{37, 129, 41, false, false, 0}, a, b);
  EXPECT_EQ(ops_testing::values_of<float>(c), expected);
}

} // namespace
} // namespace varscope
