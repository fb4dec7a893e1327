// test/unit/ops/parallel_test.cpp - StoreOptions::intra_op_parallelism_threads:
// every parallel op gives bit-identical results with 1, 2 and 3 threads, on
// shapes above and below the thresholds (runtime/src/ops/parallel.h,
// gemm_run.h; the GEMM kernels themselves in gemm_driver_test.cpp), in place
// and out of place. The float elementwise, softmax and layer_norm ops run the
// active instruction set's kernels (elementwise.h: 32-byte packets on an AVX2
// machine, 64-byte with AVX-512); elementwise_isa_test.cpp also splits every
// table the CPU runs at unaligned destinations.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ops/elementwise.h"
#include "ops/gemm.h"
#include "ops/gemm_run.h"
#include "ops_test_util.h"
#include "thread_pool.h"

namespace varscope::ops_testing {
namespace {

Tensor random_f32(const std::vector<std::int64_t>& dims, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-3.0f, 3.0f);
  std::int64_t n = 1;
  for (std::int64_t d : dims) n *= d;
  std::vector<float> values(static_cast<std::size_t>(n));
  for (float& v : values) v = uniform(rng);
  return Tensor::from_vector(values, Shape(dims));
}

Tensor random_i32(const std::vector<std::int64_t>& dims, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int32_t> uniform(-9, 9);
  std::int64_t n = 1;
  for (std::int64_t d : dims) n *= d;
  std::vector<std::int32_t> values(static_cast<std::size_t>(n));
  for (std::int32_t& v : values) v = uniform(rng);
  return Tensor::from_vector(values, Shape(dims));
}

bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
  const std::size_t bytes = static_cast<std::size_t>(a.num_elements()) * dtype_size(a.dtype());
  return std::memcmp(a.raw_data(), b.raw_data(), bytes) == 0;
}

/// Runs `op` in a fresh store per thread count and expects the same bits
/// (and the same name) as with one thread. With `expect_parallel`, the
/// 3-thread store must have started its two workers.
void expect_same_for_thread_counts(const std::function<Tensor(Scope&)>& op, bool expect_parallel) {
  Tensor reference;
  for (int threads : {1, 2, 3}) {
    Store store({.intra_op_parallelism_threads = threads});
    Scope root = store.root_scope();
    const Tensor result = op(root);
    if (threads == 1) {
      reference = result;
      EXPECT_EQ(detail::intra_op_pool(store), nullptr);
      continue;
    }
    EXPECT_TRUE(same_bits(result, reference)) << "differs with " << threads << " threads";
    EXPECT_EQ(result.name(), reference.name());
    ASSERT_NE(detail::intra_op_pool(store), nullptr);
    EXPECT_EQ(detail::intra_op_pool(store)->num_started(), expect_parallel ? threads - 1 : 0)
        << threads << " threads";
  }
}

struct MatMulCase {
  std::vector<std::int64_t> a, b;
  bool ta, tb;
  bool parallel;
};

TEST(ParallelOpsTest, MatMulIsBitIdenticalForAnyThreadCount) {
  const std::vector<MatMulCase> cases = {
      {{64, 784}, {784, 1024}, false, false, true},  // the MLP's first layer
      {{784, 64}, {784, 1024}, true, false, true},   // transpose_a
      {{64, 784}, {1024, 784}, false, true, true},   // transpose_b
      {{784, 64}, {1024, 784}, true, true, true},    // both
      {{600, 129}, {129, 1100}, false, false, true},
      {{129, 600}, {1100, 129}, true, true, true},
      {{700, 129}, {129, 300}, false, false, true},
      {{129, 700}, {300, 129}, true, true, true},
      {{300, 129}, {129, 500}, false, false, true},
      {{40, 30}, {30, 50}, false, false, false},     // below the threshold
      {{30, 40}, {50, 30}, true, true, false},
  };
  for (const MatMulCase& c : cases) {
    SCOPED_TRACE(Shape(c.a).to_string() + " x " + Shape(c.b).to_string());
    const Tensor a = random_f32(c.a, 1);
    const Tensor b = random_f32(c.b, 2);
    expect_same_for_thread_counts(
        [&](Scope& s) { return matmul(s, a, b, {.transpose_a = c.ta, .transpose_b = c.tb}); }, c.parallel);
  }
}

TEST(ParallelOpsTest, SmallMatMulIsOneKernelCallAsBefore) {
  // Below kParallelGemmMinMacs the product is the kernel on the whole
  // matrices on the calling thread (the example goldens depend on it).
  const Tensor a = random_f32({40, 30}, 3);
  const Tensor b = random_f32({30, 50}, 4);
  Store store({.intra_op_parallelism_threads = 2});
  Scope root = store.root_scope();
  const Tensor c = matmul(root, a, b);
  std::vector<float> expected(40 * 50);
  ops_internal::gemm_kernels().f32(a.data<float>(), 30, b.data<float>(), 50, expected.data(), 50, 40, 30, 50, false,
                                   false, nullptr);
  EXPECT_EQ(std::memcmp(c.data<float>(), expected.data(), expected.size() * sizeof(float)), 0);
  EXPECT_EQ(detail::intra_op_pool(store)->num_started(), 0);
}

TEST(ParallelOpsTest, BatchedMatMulIsBitIdenticalForAnyThreadCount) {
  // The encoder's attention products: 32 batches, each below the
  // threshold, split by batch.
  const Tensor q = random_f32({8, 4, 128, 64}, 5);
  const Tensor k = random_f32({8, 4, 128, 64}, 6);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, q, k, {.transpose_b = true}); }, true);
  // Broadcast batch dims: 6 products of 9M multiply-adds, split by batch.
  const Tensor a = random_f32({3, 1, 300, 100}, 7);
  const Tensor b = random_f32({2, 100, 300}, 8);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, a, b); }, true);
  const Tensor at = random_f32({2, 100, 300}, 9);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, at, b, {.transpose_a = true}); }, true);
  // Two large products, fewer than two per thread: each split by the kernel.
  const Tensor p = random_f32({2, 300, 200}, 14);
  const Tensor r = random_f32({2, 200, 300}, 15);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, p, r); }, true);
  // Small batch: stays on the calling thread.
  const Tensor x = random_f32({2, 8, 16}, 10);
  const Tensor y = random_f32({2, 16, 4}, 11);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, x, y); }, false);
}

TEST(ParallelOpsTest, IntegerMatMulIsExactForAnyThreadCount) {
  const Tensor a = random_i32({600, 64}, 12);
  const Tensor b = random_i32({64, 300}, 13);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, a, b); }, true);
}

TEST(ParallelOpsTest, ElementwiseOpsAreBitIdenticalForAnyThreadCount) {
  SCOPED_TRACE(std::string("elementwise kernels: ") +
               std::string(ops_internal::isa_name(ops_internal::elementwise_kernels().isa)));
  // An odd element count, so the last block ends off a packet boundary.
  for (const std::vector<std::int64_t>& dims : std::vector<std::vector<std::int64_t>>{{1024, 1024}, {3, 100001}}) {
    SCOPED_TRACE(Shape(dims).to_string());
    const Tensor x = random_f32(dims, 14);
    expect_same_for_thread_counts([&](Scope& s) { return gelu(s, x); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return gelu(s, x, {.approximate = true}); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return tanh(s, x); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return exp(s, x); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return relu(s, x); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return sigmoid(s, x); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return elu(s, x); }, true);
    // In place on an expiring input (output_reusing).
    expect_same_for_thread_counts([&](Scope& s) { return gelu(s, Tensor(x.clone())); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return sigmoid(s, Tensor(x.clone())); }, true);
  }
  const Tensor small = random_f32({16, 16}, 15);
  expect_same_for_thread_counts([&](Scope& s) { return gelu(s, small); }, false);
}

TEST(ParallelOpsTest, BinaryOpsAreBitIdenticalForAnyThreadCount) {
  const Tensor x = random_f32({512, 1024}, 16);
  const Tensor y = random_f32({512, 1024}, 17);
  const Tensor row = random_f32({1024}, 18);
  const Tensor column = random_f32({512, 1}, 19);
  const Tensor scalar = random_f32({}, 20);
  expect_same_for_thread_counts([&](Scope& s) { return add(s, x, y); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return mul(s, x, scalar); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return sub(s, scalar, x); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return div(s, x, row); }, true);       // broadcast rows
  expect_same_for_thread_counts([&](Scope& s) { return maximum(s, x, column); }, true); // broadcast columns
  expect_same_for_thread_counts([&](Scope& s) { return add(s, Tensor(x.clone()), y); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return add(s, column, row); }, true); // both broadcast
  const Tensor small = random_f32({4, 8}, 21);
  expect_same_for_thread_counts([&](Scope& s) { return add(s, small, small); }, false);
}

TEST(ParallelOpsTest, BiasAddIsBitIdenticalForAnyThreadCount) {
  const Tensor value = random_f32({1024, 1024}, 22);
  const Tensor bias = random_f32({1024}, 23);
  expect_same_for_thread_counts([&](Scope& s) { return bias_add(s, value, bias); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return bias_add(s, Tensor(value.clone()), bias); }, true);
  const Tensor value3 = random_f32({8, 128, 257}, 24);
  const Tensor bias3 = random_f32({257}, 25);
  expect_same_for_thread_counts([&](Scope& s) { return bias_add(s, value3, bias3); }, true);
  const Tensor small = random_f32({4, 8}, 26);
  const Tensor small_bias = random_f32({8}, 27);
  expect_same_for_thread_counts([&](Scope& s) { return bias_add(s, small, small_bias); }, false);
}

TEST(ParallelOpsTest, SoftmaxAndLayerNormAreBitIdenticalForAnyThreadCount) {
  SCOPED_TRACE(std::string("elementwise kernels: ") +
               std::string(ops_internal::isa_name(ops_internal::elementwise_kernels().isa)));
  const Tensor logits = random_f32({8, 4, 128, 128}, 28);
  expect_same_for_thread_counts([&](Scope& s) { return softmax(s, logits); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return log_softmax(s, logits); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return softmax(s, logits, {.axis = 2}); }, true);
  const Tensor x = random_f32({1024, 256}, 29);
  const Tensor gamma = random_f32({256}, 30);
  const Tensor beta = random_f32({256}, 31);
  expect_same_for_thread_counts([&](Scope& s) { return layer_norm(s, x, gamma, beta); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return layer_norm(s, Tensor(x.clone()), gamma, beta); }, true);
  const Tensor small = random_f32({4, 8}, 32);
  expect_same_for_thread_counts([&](Scope& s) { return softmax(s, small); }, false);
  expect_same_for_thread_counts([&](Scope& s) { return layer_norm(s, small, Tensor(), Tensor()); }, false);
}

TEST(ParallelOpsTest, Conv2DIsBitIdenticalForAnyThreadCount) {
  const Tensor input = random_f32({2, 32, 32, 64}, 33);
  const Tensor filter = random_f32({3, 3, 64, 64}, 34);
  expect_same_for_thread_counts([&](Scope& s) { return conv2d(s, input, filter, {.padding = "SAME"}); }, true);
  const Tensor pointwise = random_f32({1, 1, 64, 128}, 35);
  expect_same_for_thread_counts([&](Scope& s) { return conv2d(s, input, pointwise); }, true);
}

TEST(ParallelOpsTest, NegativeThreadCountRaises) {
  expect_error<ValueError>([] { Store store({.intra_op_parallelism_threads = -1}); },
                           "intra_op_parallelism_threads must be >= 0 (0 picks the number of cores), got -1");
}

TEST(ParallelOpsTest, ZeroThreadsMeansOnePerCore) {
  Store store({.intra_op_parallelism_threads = 0});
  EXPECT_EQ(store.options().intra_op_parallelism_threads, 0);
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  detail::ThreadPool* pool = detail::intra_op_pool(store);
  if (cores <= 1) {
    EXPECT_EQ(pool, nullptr);
    return;
  }
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->num_threads(), cores);
}

} // namespace
} // namespace varscope::ops_testing
