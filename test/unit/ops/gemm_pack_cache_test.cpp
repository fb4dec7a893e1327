// test/unit/ops/gemm_pack_cache_test.cpp - matmul's kept packings of its
// weight operand (runtime/src/ops/gemm_pack_cache.h, buffer_state.h): kept
// only for buffers nobody can write, made on the second product, dropped
// when a writable pointer is handed out, and always the same bits as a
// product that packs afresh.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "buffer_state.h"
#include "ops/gemm_pack_cache.h"
#include "ops_test_util.h"

namespace varscope::ops_testing {
namespace {

using ops_internal::kept_gemm_packings;

std::vector<float> random_values(std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> values(static_cast<std::size_t>(n));
  for (float& v : values) v = uniform(rng);
  return values;
}

/// A Sealed tensor with random values: an op's output (a copy through
/// identity-like reshape would share the input's state, so use clone()).
Tensor sealed_random(const std::vector<std::int64_t>& dims, unsigned seed) {
  std::int64_t n = 1;
  for (std::int64_t d : dims) n *= d;
  const Tensor written = Tensor::from_vector(random_values(n, seed), Shape(dims)); // Exposed: written through data()
  return written.clone();
}

bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
  return std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()) == 0;
}

/// The product with a weight that can keep no packing (an Exposed copy):
/// the kernel packs afresh.
Tensor fresh_product(Scope& scope, const Tensor& x, const Tensor& w, MatMulOptions options = {}) {
  Tensor exposed = w.clone();
  (void)exposed.raw_data();
  EXPECT_FALSE(detail::is_sealed(exposed));
  return matmul(scope, x, exposed, options);
}

/// Two products of x and w, after which w keeps one packing.
void keep_packing(Scope& root, const Tensor& x, const Tensor& w) {
  for (int i = 0; i < 2; ++i) (void)matmul(root, x, w);
  EXPECT_EQ(kept_gemm_packings(w), 1u);
}

TEST(BufferStateTest, NewTensorsAndOpOutputsAreSealedWritablePointersExpose) {
  Store store;
  Scope root = store.root_scope();
  Tensor t(DType::Float32, {4, 4});
  EXPECT_TRUE(detail::is_sealed(t));
  const Tensor& ct = t;
  (void)ct.data<float>(); // a read-only pointer keeps it sealed
  EXPECT_TRUE(detail::is_sealed(t));
  (void)t.data<float>();
  EXPECT_FALSE(detail::is_sealed(t));
  EXPECT_FALSE(detail::is_sealed(t.reshaped({16}))); // the buffer's state, shared by views
  EXPECT_TRUE(detail::is_sealed(t.clone()));
  EXPECT_TRUE(detail::is_sealed(t.cast(DType::Float64)));

  const Tensor sum = add(root, ct, ct);
  EXPECT_TRUE(detail::is_sealed(sum));
  const std::vector<Tensor> parts = split(root, sum, 2, {.axis = 0});
  EXPECT_TRUE(detail::is_sealed(parts[0]));
  EXPECT_TRUE(detail::is_sealed(parts[1]));

  // A variable from a built-in initializer is sealed; so is one assigned.
  Variable v = root.get_variable("v", {4, 4});
  EXPECT_TRUE(detail::is_sealed(v.read_value_unsafe()));
  v.assign(t);
  EXPECT_TRUE(detail::is_sealed(v.read_value_unsafe()));
}

TEST(GemmPackCacheTest, KeptFromTheSecondProductWithTheSameBits) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({32, 512}, 1);
  const Tensor w = sealed_random({512, 2048}, 2);
  const Tensor expected = fresh_product(root, x, w);

  EXPECT_EQ(kept_gemm_packings(w), 0u);
  EXPECT_TRUE(same_bits(matmul(root, x, w), expected)); // first sighting: packs as usual
  EXPECT_EQ(kept_gemm_packings(w), 0u);
  EXPECT_TRUE(same_bits(matmul(root, x, w), expected)); // packs into the kept copy
  EXPECT_EQ(kept_gemm_packings(w), 1u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x, w), expected)); // reads it
  EXPECT_EQ(kept_gemm_packings(w), 1u);

  // Another batch size can block differently: a layout of its own, or the
  // same one; either way the same bits as a fresh packing.
  const Tensor x2 = sealed_random({64, 512}, 3);
  const Tensor expected2 = fresh_product(root, x2, w);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x2, w), expected2));
  EXPECT_GE(kept_gemm_packings(w), 1u);
  EXPECT_TRUE(same_bits(matmul(root, x, w), expected));
}

TEST(GemmPackCacheTest, ABatchTimesOneWeightIsOneProductThatKeepsItsPacking) {
  // x [4, 16, 512] times w [512, 2048]: the batch's 64 rows are one GEMM,
  // the same bits as the 2-D product of x viewed as [64, 512], and w keeps
  // its packing as it does for that product.
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({4, 16, 512}, 11);
  const Tensor w = sealed_random({512, 2048}, 12);
  const Tensor expected = fresh_product(root, x.reshaped({64, 512}), w);
  for (int i = 0; i < 3; ++i) {
    const Tensor c = matmul(root, x, w);
    ASSERT_EQ(c.shape(), (Shape{4, 16, 2048}));
    EXPECT_EQ(std::memcmp(c.raw_data(), expected.raw_data(), expected.nbytes()), 0) << "call " << i;
  }
  EXPECT_EQ(kept_gemm_packings(w), 1u);

  // With w stored transposed, and with more batch dimensions.
  const Tensor wt = sealed_random({2048, 512}, 13);
  const Tensor x4 = sealed_random({2, 2, 16, 512}, 14);
  const Tensor expected_t = fresh_product(root, x4.reshaped({64, 512}), wt, {.transpose_b = true});
  for (int i = 0; i < 3; ++i) {
    const Tensor c = matmul(root, x4, wt, {.transpose_b = true});
    ASSERT_EQ(c.shape(), (Shape{2, 2, 16, 2048}));
    EXPECT_EQ(std::memcmp(c.raw_data(), expected_t.raw_data(), expected_t.nbytes()), 0) << "call " << i;
  }
  EXPECT_EQ(kept_gemm_packings(wt), 1u);

  // Each matrix of the batch is its own product's value (to rounding: the
  // one GEMM may block k differently from a 16-row product).
  const Tensor c = matmul(root, x, w);
  for (std::int64_t b = 0; b < 4; ++b) {
    const Tensor xb = Tensor::from_vector(
        std::vector<float>(x.data<float>() + b * 16 * 512, x.data<float>() + (b + 1) * 16 * 512), Shape{16, 512});
    const Tensor cb = matmul(root, xb, w);
    for (std::int64_t i = 0; i < 16 * 2048; ++i)
      ASSERT_NEAR(c.data<float>()[b * 16 * 2048 + i], cb.data<float>()[i], 1e-3F) << b << " " << i;
  }
}

TEST(GemmPackCacheTest, TransposedAndDoubleWeights) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({16, 300}, 4);
  const Tensor wt = sealed_random({700, 300}, 5); // used as op(B) = wt^T
  const Tensor expected = fresh_product(root, x, wt, {.transpose_b = true});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x, wt, {.transpose_b = true}), expected));
  EXPECT_EQ(kept_gemm_packings(wt), 1u);

  const Tensor xd = x.cast(DType::Float64);
  const Tensor wd = sealed_random({300, 200}, 6).cast(DType::Float64);
  const Tensor expected_d = fresh_product(root, xd, wd);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, xd, wd), expected_d));
  EXPECT_EQ(kept_gemm_packings(wd), 1u);
}

TEST(GemmPackCacheTest, KeptUnlessTheEnvironmentSaysNo) {
  // The choice is made once per process: a fresh one (the threadsafe style
  // re-executes this test binary up to here) with VARSCOPE_KEEP_PACKED=0
  // set first.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("VARSCOPE_KEEP_PACKED", "0", 1);
        Store store;
        Scope root = store.root_scope();
        const Tensor x = sealed_random({32, 256}, 21);
        const Tensor w = sealed_random({256, 512}, 22);
        for (int i = 0; i < 3; ++i) (void)matmul(root, x, w);
        std::exit(!ops_internal::keep_gemm_packings() && kept_gemm_packings(w) == 0 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  if (std::getenv("VARSCOPE_KEEP_PACKED") == nullptr) EXPECT_TRUE(ops_internal::keep_gemm_packings());
}

TEST(GemmPackCacheTest, SmallWeightsKeepNothing) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({8, 16}, 7);
  const Tensor w = sealed_random({16, 63}, 8); // 1008 elements < kMinKeptPackElements (1024)
  for (int i = 0; i < 3; ++i) (void)matmul(root, x, w);
  EXPECT_EQ(kept_gemm_packings(w), 0u);
  // From 1024 elements on (a 32 x 32 weight, the 64^3 benchmark's 64 x 64)
  // the packing is kept, with the same bits as packing afresh.
  for (std::int64_t d : {32, 64}) {
    const Tensor xd = sealed_random({d, d}, 9);
    const Tensor wd = sealed_random({d, d}, 10);
    const Tensor expected = fresh_product(root, xd, wd);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, xd, wd), expected)) << d;
    EXPECT_EQ(kept_gemm_packings(wd), 1u) << d;
  }
}

TEST(GemmPackCacheTest, AWritablePointerDropsTheKeptPacking) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({32, 256}, 9);
  Tensor w = sealed_random({256, 512}, 10);
  keep_packing(root, x, w);

  float* p = w.data<float>(); // drops it for good
  EXPECT_EQ(kept_gemm_packings(w), 0u);
  p[5] = 42.0f;
  const Tensor expected = fresh_product(root, x, w);
  EXPECT_EQ(expected.data<float>()[5], matmul(root, x, w).data<float>()[5]);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x, w), expected));
  EXPECT_EQ(kept_gemm_packings(w), 0u);
  // A write through the pointer long after it was taken is still seen.
  p[6] = -7.0f;
  EXPECT_TRUE(same_bits(matmul(root, x, w), fresh_product(root, x, w)));
  EXPECT_FALSE(same_bits(matmul(root, x, w), expected));
}

TEST(GemmPackCacheTest, AWriteThroughACopyOrAViewIsSeen) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({32, 256}, 11);
  const Tensor w = sealed_random({256, 512}, 12);
  keep_packing(root, x, w);
  const Tensor before = matmul(root, x, w);

  Tensor view = w.reshaped({512, 256}); // shares the buffer
  view.data<float>()[0] += 1.0f;
  EXPECT_EQ(kept_gemm_packings(w), 0u);
  const Tensor after = matmul(root, x, w);
  EXPECT_FALSE(same_bits(after, before));
  EXPECT_TRUE(same_bits(after, fresh_product(root, x, w)));
}

TEST(GemmPackCacheTest, AnInPlaceOpOnTheWeightIsSeen) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({32, 256}, 13);
  Tensor w = sealed_random({256, 512}, 14);
  keep_packing(root, x, w);
  // relu of an expiring, solely owned input writes into its buffer.
  const Tensor r = relu(root, std::move(w));
  EXPECT_EQ(kept_gemm_packings(r), 0u);
  const Tensor expected = fresh_product(root, x, r);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x, r), expected));
}

TEST(GemmPackCacheTest, VariablesKeepTheirPackingAcrossStepsAndAssign) {
  Store store;
  Scope root = store.root_scope();
  Variable v = root.get_variable("kernel", {512, 1024});
  const Tensor x = sealed_random({32, 512}, 15);
  const Tensor expected = fresh_product(root, x, v.value());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x, v.value()), expected));
  EXPECT_EQ(kept_gemm_packings(v.value()), 1u);

  const Tensor replacement = sealed_random({512, 1024}, 16);
  v.assign(replacement);
  const Tensor expected2 = fresh_product(root, x, replacement);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(matmul(root, x, v.value()), expected2));
}

TEST(GemmPackCacheTest, SameBitsWithThreadsInBothLoops) {
  // [32, 512] x [512, 2048]: C has one column block (the LSTM's step);
  // [1024, 256] x [256, 1024]: several, packed whole with threads.
  for (const auto& [m, k, n] : {std::tuple{32, 512, 2048}, std::tuple{1024, 256, 1024}}) {
    const Tensor x = sealed_random({m, k}, 17);
    const Tensor w = sealed_random({k, n}, 18);
    Store one;
    Scope root1 = one.root_scope();
    const Tensor expected = fresh_product(root1, x, w);
    for (int threads : {1, 2, 3}) {
      Store store({.intra_op_parallelism_threads = threads});
      Scope root = store.root_scope();
      const Tensor wc = w.clone(); // a buffer of its own per store
      for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(same_bits(matmul(root, x, wc), expected)) << m << "x" << k << "x" << n << " threads " << threads;
      EXPECT_EQ(kept_gemm_packings(wc), 1u) << m << "x" << k << "x" << n << " threads " << threads;
    }
  }
}

TEST(GemmPackCacheTest, Conv2dKeepsItsFilterPacked) {
  Store store;
  Scope root = store.root_scope();
  const Tensor input = sealed_random({2, 16, 16, 64}, 23);
  const Tensor filter = sealed_random({3, 3, 64, 64}, 24); // k 576 x 64 output channels
  Tensor exposed = filter.clone();
  (void)exposed.raw_data();
  for (const std::string padding : {"SAME", "VALID"}) {
    const Tensor expected = conv2d(root, input, exposed, {.padding = padding});
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_bits(conv2d(root, input, filter, {.padding = padding}), expected));
  }
  EXPECT_EQ(kept_gemm_packings(exposed), 0u);
  EXPECT_GE(kept_gemm_packings(filter), 1u);
}

TEST(GemmPackCacheTest, ConcurrentProductsShareOneWeight) {
  Store store;
  Scope root = store.root_scope();
  const Tensor x = sealed_random({32, 512}, 19);
  const Tensor w = sealed_random({512, 1024}, 20);
  const Tensor expected = fresh_product(root, x, w);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(3, 0);
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      Store own;
      Scope scope = own.root_scope();
      for (int i = 0; i < 8; ++i)
        if (!same_bits(matmul(scope, x, w), expected)) ++mismatches[static_cast<std::size_t>(t)];
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(3, 0));
  EXPECT_EQ(kept_gemm_packings(w), 1u);
}

} // namespace
} // namespace varscope::ops_testing
