// test/unit/ops/parallel_test.cpp - StoreOptions::intra_op_parallelism_threads:
// every parallel op gives bit-identical results with 1, 2 and 3 threads, on
// shapes above and below the thresholds (runtime/src/ops/parallel.h,
// gemm_run.h; the GEMM kernels themselves in gemm_driver_test.cpp), in place
// and out of place. The float elementwise, softmax and layer_norm ops run the
// active instruction set's kernels (elementwise.h: 32-byte packets on an AVX2
// machine, 64-byte with AVX-512); elementwise_isa_test.cpp also splits every
// table the CPU runs at unaligned destinations.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "ops/elementwise.h"
#include "ops/gemm.h"
#include "ops/gemm_run.h"
#include "ops_test_util.h"
#include "thread_pool.h"

namespace varscope::ops_testing {
namespace {

/// Uniform values in [low, high) (floating) or [low, high] (integer).
template <class T> Tensor random_tensor(const std::vector<std::int64_t>& dims, unsigned seed, T low, T high) {
  std::mt19937 rng(seed);
  using Distribution = std::conditional_t<std::is_floating_point_v<T>, std::uniform_real_distribution<T>,
                                          std::uniform_int_distribution<T>>;
  Distribution uniform(low, high);
  std::int64_t n = 1;
  for (std::int64_t d : dims) n *= d;
  std::vector<T> values(static_cast<std::size_t>(n));
  for (T& v : values) v = uniform(rng);
  return Tensor::from_vector(values, Shape(dims));
}

Tensor random_f32(const std::vector<std::int64_t>& dims, unsigned seed) {
  return random_tensor<float>(dims, seed, -3.0f, 3.0f);
}
Tensor random_i32(const std::vector<std::int64_t>& dims, unsigned seed) {
  return random_tensor<std::int32_t>(dims, seed, -9, 9);
}
Tensor random_f64(const std::vector<std::int64_t>& dims, unsigned seed) {
  return random_tensor<double>(dims, seed, -3.0, 3.0);
}
Tensor random_i64(const std::vector<std::int64_t>& dims, unsigned seed) {
  return random_tensor<std::int64_t>(dims, seed, -1000, 1000);
}

/// `n` indices in [0, limit), as int32 or int64.
Tensor random_indices(std::int64_t n, std::int64_t limit, unsigned seed, bool int64) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int64_t> uniform(0, limit - 1);
  std::vector<std::int64_t> values(static_cast<std::size_t>(n));
  for (std::int64_t& v : values) v = uniform(rng);
  if (int64) return Tensor::from_vector(values, Shape({n}));
  return Tensor::from_vector(std::vector<std::int32_t>(values.begin(), values.end()), Shape({n}));
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
  // One weight for the whole batch: one product of 4 x 128 rows (8M
  // multiply-adds), split by the kernel.
  const Tensor h = random_f32({4, 128, 256}, 16);
  const Tensor w = random_f32({256, 256}, 17);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, h, w); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return matmul(s, h, w, {.transpose_b = true}); }, true);
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

struct ReduceCase {
  std::vector<std::int64_t> dims;
  Axes axis;
  bool keepdims;
  bool parallel;
};

/// Runs reduce_sum, reduce_mean and reduce_max of `x` for every case.
void expect_reductions_same(const Tensor& x, const std::vector<ReduceCase>& cases) {
  for (const ReduceCase& c : cases) {
    std::string axes = c.axis.all() ? "all" : "";
    for (int a : c.axis.axes()) axes += std::to_string(a) + " ";
    SCOPED_TRACE(Shape(c.dims).to_string() + " axis " + axes + (c.keepdims ? " keepdims" : ""));
    const ReduceOptions options{.axis = c.axis, .keepdims = c.keepdims};
    expect_same_for_thread_counts([&](Scope& s) { return reduce_sum(s, x, options); }, c.parallel);
    expect_same_for_thread_counts([&](Scope& s) { return reduce_mean(s, x, options); }, c.parallel);
    expect_same_for_thread_counts([&](Scope& s) { return reduce_max(s, x, options); }, c.parallel);
  }
}

TEST(ParallelOpsTest, ReductionsAreBitIdenticalForAnyThreadCount) {
  // Rows ([outer, reduced] with inner 1), whole [reduced, inner] slices, and
  // slices split by columns at 64-byte-aligned outputs: inner 1001 puts
  // every slice after the first at another alignment, so the columns Eigen
  // peels (summed in another order than its packets) fall inside blocks.
  const Tensor big = random_f32({4096, 1024}, 40);
  expect_reductions_same(big, {{{4096, 1024}, 1, false, true},
                               {{4096, 1024}, -1, true, true},
                               {{4096, 1024}, 0, false, true},
                               {{4096, 1024}, -2, true, true},
                               {{4096, 1024}, {}, false, false}, // one output: never split
                               {{4096, 1024}, {0, 1}, true, false}});
  const Tensor odd = random_f32({3, 1000, 1001}, 41);
  expect_reductions_same(odd, {{{3, 1000, 1001}, 1, false, true},
                               {{3, 1000, 1001}, -2, true, true},
                               {{3, 1000, 1001}, 0, false, true},
                               {{3, 1000, 1001}, {0, 1}, false, true},
                               {{3, 1000, 1001}, {1, 2}, true, true},
                               {{3, 1000, 1001}, {0, 2}, false, true}, // not adjacent: transposed first
                               {{3, 1000, 1001}, {2, 0}, true, true},
                               {{3, 1000, 1001}, 2, false, true}});
  const Tensor slices = random_f32({64, 129, 257}, 42);
  expect_reductions_same(slices, {{{64, 129, 257}, 1, false, true},
                                  {{64, 129, 257}, -1, false, true},
                                  {{64, 129, 257}, {0, 2}, true, true}});
  const Tensor whole = random_f32({256, 40, 100}, 70); // slices too small to split: blocks of slices
  expect_reductions_same(whole, {{{256, 40, 100}, 1, false, true}, {{256, 40, 100}, {0, 1}, true, true}});
  const Tensor f64 = random_f64({2, 700, 333}, 43);
  expect_reductions_same(f64, {{{2, 700, 333}, 1, false, true}, {{2, 700, 333}, {1, 2}, false, true}});
  const Tensor i32 = random_i32({512, 1000}, 44);
  expect_reductions_same(i32, {{{512, 1000}, 0, false, true}, {{512, 1000}, 1, true, true}});
  const Tensor i64 = random_i64({3, 300, 401}, 45);
  expect_reductions_same(i64, {{{3, 300, 401}, 1, false, true}, {{3, 300, 401}, {0, 2}, false, true}});
  // Below the threshold: on the calling thread.
  const Tensor small = random_f32({16, 33}, 46);
  expect_reductions_same(small, {{{16, 33}, 0, false, false}, {{16, 33}, 1, true, false}});
  const Tensor small_slices = random_f32({2, 30, 50}, 47);
  expect_reductions_same(small_slices, {{{2, 30, 50}, 1, false, false}, {{2, 30, 50}, {0, 2}, false, false}});
}

TEST(ParallelOpsTest, ArgMaxIsExactForAnyThreadCount) {
  const Tensor x = random_f32({4096, 257}, 48);
  for (int axis : {0, 1, -1, -2}) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    expect_same_for_thread_counts([&](Scope& s) { return argmax(s, x, {.axis = axis}); }, true);
    expect_same_for_thread_counts(
        [&](Scope& s) { return argmax(s, x, {.axis = axis, .output_type = DType::Int32}); }, true);
  }
  // Ties are frequent in [-9, 9]: the first maximum wins whatever the split.
  const Tensor ints = random_i32({8, 500, 300}, 49);
  for (int axis : {0, 1, 2})
    expect_same_for_thread_counts([&](Scope& s) { return argmax(s, ints, {.axis = axis}); }, true);
  const Tensor small = random_f32({16, 33}, 50);
  expect_same_for_thread_counts([&](Scope& s) { return argmax(s, small, {.axis = 1}); }, false);
}

TEST(ParallelOpsTest, TransposeIsExactForAnyThreadCount) {
  const Tensor matrix = random_f32({1024, 1000}, 51); // Eigen's 2-D float transpose
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, matrix); }, true);
  const Tensor ints = random_i32({300, 700}, 52);
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, ints); }, true);
  const Tensor heads = random_f32({8, 128, 4, 64}, 53); // contiguous runs of 64
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, heads, {0, 2, 1, 3}); }, true);
  const Tensor cube = random_f64({64, 65, 66}, 54); // strided runs
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, cube, {2, 0, 1}); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, cube, {1, 2, 0}); }, true);
  const Tensor small = random_f32({16, 33}, 55);
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, small); }, false);
  const Tensor small_heads = random_f32({2, 8, 4, 16}, 56);
  expect_same_for_thread_counts([&](Scope& s) { return transpose(s, small_heads, {0, 2, 1, 3}); }, false);
}

TEST(ParallelOpsTest, GatherAndEmbeddingLookupAreExactForAnyThreadCount) {
  const Tensor table = random_f32({10000, 64}, 57);
  const Tensor ids = random_indices(4096, 10000, 58, false);
  const Tensor ids64 = random_indices(4096, 10000, 59, true);
  expect_same_for_thread_counts([&](Scope& s) { return gather(s, table, ids); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return gather(s, table, ids64); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return embedding_lookup(s, table, ids); }, true);
  // Inner axes: rows of the output are (outer, index) pairs.
  const Tensor cube = random_i64({64, 1000, 32}, 60);
  const Tensor middle = random_indices(500, 1000, 61, true);
  expect_same_for_thread_counts([&](Scope& s) { return gather(s, cube, middle, {.axis = 1}); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return gather(s, cube, middle, {.axis = -2}); }, true);
  const Tensor last = random_indices(20, 32, 62, false);
  expect_same_for_thread_counts([&](Scope& s) { return gather(s, cube, last, {.axis = 2}); }, true);
  // Sharded tables, both partition strategies.
  const std::vector<Tensor> shards = {random_f32({3334, 64}, 63), random_f32({3333, 64}, 64),
                                      random_f32({3333, 64}, 65)};
  for (const std::string strategy : {"mod", "div"})
    expect_same_for_thread_counts(
        [&](Scope& s) { return embedding_lookup(s, shards, ids, {.partition_strategy = strategy}); }, true);
  const Tensor few = random_indices(8, 10000, 66, false);
  expect_same_for_thread_counts([&](Scope& s) { return gather(s, table, few); }, false);
  expect_same_for_thread_counts([&](Scope& s) { return embedding_lookup(s, shards, few); }, false);
}

TEST(ParallelOpsTest, PoolsAreBitIdenticalForAnyThreadCount) {
  // 67 channels: Eigen peels scalar channels before and after its packets at
  // a different place in each pixel (the vectorised and scalar max differ
  // for NaN, so a few are planted).
  Tensor input = random_f32({4, 64, 64, 67}, 67);
  float* x = input.data<float>();
  for (std::int64_t i = 5; i < input.num_elements(); i += 9973) x[i] = std::nanf("");
  for (const std::string padding : {"VALID", "SAME"}) {
    SCOPED_TRACE(padding);
    const PoolOptions two{.ksize = {2}, .strides = {2}, .padding = padding};
    const PoolOptions three{.ksize = {3}, .strides = {1}, .padding = padding};
    expect_same_for_thread_counts([&](Scope& s) { return max_pool(s, input, two); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return avg_pool(s, input, two); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return max_pool(s, input, three); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return avg_pool(s, input, three); }, true);
  }
  const Tensor f64 = random_f64({2, 33, 35, 64}, 68);
  expect_same_for_thread_counts([&](Scope& s) { return max_pool(s, f64, {.ksize = {3, 2}, .strides = {2, 1}}); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return avg_pool(s, f64, {.padding = "SAME"}); }, true);
  const Tensor small = random_f32({1, 8, 8, 4}, 69);
  expect_same_for_thread_counts([&](Scope& s) { return max_pool(s, small); }, false);
  expect_same_for_thread_counts([&](Scope& s) { return avg_pool(s, small, {.padding = "SAME"}); }, false);
}

TEST(ParallelOpsTest, ConcatIsExactForAnyThreadCount) {
  const std::vector<Tensor> floats = {random_f32({512, 300}, 71), random_f32({512, 1}, 72),
                                      random_f32({512, 700}, 73)};
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, floats, 1); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, floats, -1); }, true);
  const std::vector<Tensor> rows = {random_i32({300, 512}, 74), random_i32({1, 512}, 75),
                                    random_i32({700, 512}, 76)};
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, rows, 0); }, true); // one output row
  const std::vector<Tensor> cubes = {random_f64({32, 40, 64}, 77), random_f64({32, 24, 64}, 78)};
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, cubes, 1); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, cubes, -2); }, true);
  const std::vector<Tensor> small = {random_f32({4, 8}, 79), random_f32({4, 3}, 80)};
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, small, 1); }, false);
  expect_same_for_thread_counts([&](Scope& s) { return concat(s, {small[0]}, 0); }, false); // Identity
}

TEST(ParallelOpsTest, SliceIsExactForAnyThreadCount) {
  const Tensor floats = random_f32({1024, 1000}, 81);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, floats, {0, 100}, {1024, 700}); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, floats, {300, 0}, {500, -1}); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, floats, {1, 999}, {1023, 1}); }, false); // runs of 1
  // The middle of a middle axis: runs that skip rows of the input.
  const Tensor cube = random_f64({64, 200, 130}, 82);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, cube, {3, 50, 0}, {60, 100, 130}); }, true);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, cube, {0, 7, 5}, {-1, 150, 120}); }, true);
  const Tensor ints = random_i32({300, 700}, 83);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, ints, {10, 5}, {-1, 600}); }, true);
  const Tensor longs = random_i64({8, 500, 300}, 84);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, longs, {2, 100, 1}, {5, 300, 298}); }, true);
  // One run (a 1-D slice) is one copy; small slices stay on the calling thread.
  const Tensor line = random_f32({200000}, 85);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, line, {5}, {199990}); }, false);
  const Tensor small = random_f32({16, 33}, 86);
  expect_same_for_thread_counts([&](Scope& s) { return slice(s, small, {2, 3}, {10, 20}); }, false);
}

/// Each piece of split(x, sizes, axis) with 1, 2 and 3 threads.
void expect_split_same(const Tensor& x, const std::vector<std::int64_t>& sizes, int axis, bool parallel) {
  std::string trace = "sizes";
  for (std::int64_t size : sizes) trace += " " + std::to_string(size);
  SCOPED_TRACE(x.shape().to_string() + " axis " + std::to_string(axis) + " " + trace);
  for (std::size_t k = 0; k < sizes.size(); ++k)
    expect_same_for_thread_counts([&](Scope& s) { return split(s, x, sizes, {.axis = axis})[k]; }, parallel);
}

TEST(ParallelOpsTest, SplitIsExactForAnyThreadCount) {
  const Tensor floats = random_f32({512, 1000}, 87);
  expect_split_same(floats, {250, 250, 250, 250}, 1, true);
  expect_split_same(floats, {1, 300, 699}, -1, true); // uneven
  expect_split_same(floats, {-1, 250, 3}, 1, true);
  expect_same_for_thread_counts([&](Scope& s) { return split(s, floats, 4, {.axis = -1})[2]; }, true); // Split
  const Tensor ints = random_i32({700, 512}, 88);
  expect_split_same(ints, {300, 1, 399}, 0, true); // one input row: a task per piece
  expect_split_same(ints, {300, 1, 399}, -2, true);
  const Tensor cube = random_f64({64, 64, 40}, 89);
  expect_split_same(cube, {10, 0, 54}, 1, true); // the middle axis, an empty piece
  expect_split_same(cube, {10, 0, 54}, -2, true);
  const Tensor longs = random_i64({16, 300, 200}, 90);
  expect_split_same(longs, {100, 100, 100}, 1, true);
  expect_split_same(longs, {50, 150}, -1, true);
  const Tensor small = random_f32({4, 8}, 91);
  expect_split_same(small, {3, 5}, 1, false);
  expect_split_same(small, {1, 3}, 0, false);
}

TEST(ParallelOpsTest, OneHotIsExactForAnyThreadCount) {
  // Indices from -1 to depth: the out-of-range ones set nothing.
  const Tensor ids = random_tensor<std::int32_t>({4096}, 92, -1, 300);
  for (DType dtype : {DType::Float32, DType::Float64, DType::Int32, DType::Int64}) {
    SCOPED_TRACE(std::string(dtype_name(dtype)));
    expect_same_for_thread_counts([&](Scope& s) { return one_hot(s, ids, 300, {.dtype = dtype}); }, true);
  }
  const Tensor grid = random_tensor<std::int64_t>({64, 500}, 93, -1, 40);
  expect_same_for_thread_counts([&](Scope& s) { return one_hot(s, grid, 40, {.axis = -1}); }, true);
  expect_same_for_thread_counts(
      [&](Scope& s) { return one_hot(s, grid, 40, {.on_value = 5, .off_value = -2, .axis = 1}); }, true);
  expect_same_for_thread_counts(
      [&](Scope& s) { return one_hot(s, grid, 40, {.axis = 2, .dtype = DType::Float64}); }, true);
  const Tensor wide = random_tensor<std::int32_t>({64, 512}, 94, 0, 255);
  const std::int32_t* w = wide.data<std::int32_t>();
  const Tensor bytes = Tensor::from_vector(std::vector<std::uint8_t>(w, w + wide.num_elements()), Shape({64, 512}));
  expect_same_for_thread_counts([&](Scope& s) { return one_hot(s, bytes, 200, {.dtype = DType::Int32}); }, true);
  // One output row (axis 0) and small outputs stay on the calling thread.
  expect_same_for_thread_counts([&](Scope& s) { return one_hot(s, ids, 300, {.axis = 0}); }, false);
  const Tensor few = random_tensor<std::int32_t>({8}, 95, 0, 3);
  expect_same_for_thread_counts([&](Scope& s) { return one_hot(s, few, 4); }, false);
}

TEST(ParallelOpsTest, DropoutIsBitIdenticalForAnyThreadCount) {
  // The same mask and values: an odd count ends the last block off a packet.
  for (const std::vector<std::int64_t>& dims : std::vector<std::vector<std::int64_t>>{{1024, 1000}, {3, 100001}}) {
    SCOPED_TRACE(Shape(dims).to_string());
    const Tensor x = random_f32(dims, 96);
    expect_same_for_thread_counts([&](Scope& s) { return dropout(s, x, 0.3, {.seed = 5}); }, true);
    expect_same_for_thread_counts([&](Scope& s) { return dropout(s, x, 0.9, {.seed = 6, .name = "drop"}); }, true);
  }
  const Tensor f64 = random_f64({512, 513}, 97);
  expect_same_for_thread_counts([&](Scope& s) { return dropout(s, f64, 0.5, {.seed = 7}); }, true);
  const Tensor small = random_f32({16, 16}, 98);
  expect_same_for_thread_counts([&](Scope& s) { return dropout(s, small, 0.5, {.seed = 8}); }, false);
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
