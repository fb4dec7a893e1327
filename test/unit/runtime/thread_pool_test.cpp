// test/unit/runtime/thread_pool_test.cpp - the Store's intra-op thread pool
// (runtime/src/thread_pool.h): lazy start, clean shutdown, loops from
// several threads at once. Every test name matches the TSan filter of
// scripts/sanitizers.sh ('*Thread*:*Concurrent*').
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

#include "thread_pool.h"
#include "varscope/ops.h"
#include "varscope/varscope.h"

namespace varscope {
namespace {

Tensor ramp(std::vector<std::int64_t> dims, float scale) {
  std::int64_t n = 1;
  for (std::int64_t d : dims) n *= d;
  std::vector<float> values(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = scale * static_cast<float>(i % 97) - 1.0f;
  return Tensor::from_vector(values, Shape(std::move(dims)));
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.raw_data(), b.raw_data(), static_cast<std::size_t>(a.num_elements()) * sizeof(float)) == 0;
}

/// A small forward pass with parallel ops: dense, GELU, layer norm, softmax.
Tensor forward(Scope& scope, const Tensor& x, const Tensor& w, const Tensor& b) {
  Tensor h = gelu(scope, bias_add(scope, matmul(scope, x, w), b));
  h = layer_norm(scope, std::move(h), Tensor(), Tensor());
  return softmax(scope, h);
}

/// forward()'s inputs and its result on a store without threads, which
/// every threaded run must reproduce bit for bit.
struct ForwardCase {
  ForwardCase() {
    Store store;
    Scope root = store.root_scope();
    expected = forward(root, x, w, b);
  }
  Tensor run(Scope& scope) const { return forward(scope, x, w, b); }
  const Tensor x = ramp({256, 256}, 0.01f);
  const Tensor w = ramp({256, 512}, 0.001f);
  const Tensor b = ramp({512}, 0.1f);
  Tensor expected;
};

TEST(ThreadPoolTest, DefaultStoreStartsNoThread) {
  Store store;
  EXPECT_EQ(store.options().intra_op_parallelism_threads, 1);
  EXPECT_EQ(detail::intra_op_pool(store), nullptr);
  Scope root = store.root_scope();
  (void)forward(root, ramp({256, 256}, 0.01f), ramp({256, 512}, 0.001f), ramp({512}, 0.1f));
  EXPECT_EQ(detail::intra_op_pool(store), nullptr);
}

TEST(ThreadPoolTest, WorkersStartAtTheFirstParallelLoop) {
  detail::ThreadPool pool(3);
  EXPECT_EQ(pool.num_threads(), 3);
  EXPECT_EQ(pool.num_started(), 0);
  int ran = 0;
  pool.parallel_for(1, [&](std::int64_t) { ++ran; }); // one task: the caller runs it
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(pool.num_started(), 0);
  std::vector<std::atomic<int>> hits(1000);
  pool.parallel_for(1000, [&](std::int64_t i) { hits[static_cast<std::size_t>(i)].fetch_add(1); });
  EXPECT_EQ(pool.num_started(), 2);
  for (std::size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(hits[i].load(), 1) << "task " << i;
  pool.parallel_for(1000, [&](std::int64_t i) { hits[static_cast<std::size_t>(i)].fetch_add(1); });
  EXPECT_EQ(pool.num_started(), 2);
  for (std::size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(hits[i].load(), 2) << "task " << i;
}

TEST(ThreadPoolTest, NestedLoopRunsOnTheCallingThread) {
  detail::ThreadPool pool(2);
  std::atomic<std::int64_t> sum{0};
  pool.parallel_for(8, [&](std::int64_t i) {
    pool.parallel_for(8, [&](std::int64_t j) { sum.fetch_add(i * 8 + j); });
  });
  EXPECT_EQ(sum.load(), 63 * 64 / 2);
}

TEST(ThreadPoolTest, StoreWithThreadsIsDestroyedCleanly) {
  {
    Store unused({.intra_op_parallelism_threads = 4}); // never ran a parallel op: no thread to join
    ASSERT_NE(detail::intra_op_pool(unused), nullptr);
    EXPECT_EQ(detail::intra_op_pool(unused)->num_started(), 0);
  }
  Tensor kept;
  {
    Store store({.intra_op_parallelism_threads = 4});
    Scope root = store.root_scope();
    kept = forward(root, ramp({256, 256}, 0.01f), ramp({256, 512}, 0.001f), ramp({512}, 0.1f));
    EXPECT_EQ(detail::intra_op_pool(store)->num_started(), 3);
  } // joins the three workers
  EXPECT_EQ(kept.shape(), (Shape{256, 512}));
}

TEST(ThreadPoolTest, ConcurrentStoresWithPoolsFromTwoThreads) {
  const ForwardCase c;

  Store first({.intra_op_parallelism_threads = 2});
  Store second({.intra_op_parallelism_threads = 3});
  std::vector<Tensor> results(4);
  auto run = [&](Store& store, std::size_t slot) {
    Scope root = store.root_scope();
    for (std::size_t i = 0; i < 2; ++i) results[slot + i] = c.run(root);
  };
  std::thread t1(run, std::ref(first), 0);
  std::thread t2(run, std::ref(second), 2);
  t1.join();
  t2.join();
  for (const Tensor& r : results) EXPECT_TRUE(same_bits(r, c.expected));
  EXPECT_EQ(detail::intra_op_pool(first)->num_started(), 1);
  EXPECT_EQ(detail::intra_op_pool(second)->num_started(), 2);
}

TEST(ThreadPoolTest, ConcurrentOpsOnOneStoreShareItsPool) {
  // Two contexts of one store run ops at once: whichever finds the pool busy
  // runs its op on its own thread; results do not change.
  const ForwardCase c;

  Store store({.intra_op_parallelism_threads = 2});
  std::vector<Tensor> results(4);
  auto run = [&](std::size_t slot) {
    Scope root = store.root_scope();
    for (std::size_t i = 0; i < 2; ++i) results[slot + i] = c.run(root);
  };
  std::thread t1(run, 0);
  std::thread t2(run, 2);
  t1.join();
  t2.join();
  for (const Tensor& r : results) EXPECT_TRUE(same_bits(r, c.expected));
}

TEST(ThreadPoolTest, WorkerCpusStartAfterTheCurrentCpu) {
  EXPECT_EQ(detail::worker_cpus({0, 1}, 0, 1), (std::vector<int>{1}));
  EXPECT_EQ(detail::worker_cpus({0, 1}, 1, 1), (std::vector<int>{0}));
  EXPECT_EQ(detail::worker_cpus({0, 1, 2, 3}, 2, 3), (std::vector<int>{3, 0, 1}));
  // More workers than CPUs: round and round.
  EXPECT_EQ(detail::worker_cpus({1, 3, 5}, 3, 4), (std::vector<int>{5, 1, 3, 5}));
  // The caller runs outside the allowed set (or sched_getcpu failed): from the first.
  EXPECT_EQ(detail::worker_cpus({1, 3, 5}, 7, 2), (std::vector<int>{1, 3}));
  EXPECT_EQ(detail::worker_cpus({1, 3, 5}, -1, 1), (std::vector<int>{1}));
  EXPECT_EQ(detail::worker_cpus({4}, 4, 2), (std::vector<int>{4, 4}));
  EXPECT_TRUE(detail::worker_cpus({}, 0, 3).empty());
}

TEST(ThreadPoolTest, AWorkerStepsOffOnlyThePostersCpuAndAtMostOncePerInterval) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point t0{};
  const auto ms = [](int n) { return std::chrono::milliseconds(n); };
  // On the poster's CPU, the last step long ago (or never).
  EXPECT_TRUE(detail::should_step_off(3, 3, t0 + ms(10), t0, ms(1)));
  EXPECT_TRUE(detail::should_step_off(0, 0, t0 + ms(1), t0, ms(1)));
  // Another CPU, or the poster's CPU unknown.
  EXPECT_FALSE(detail::should_step_off(3, 2, t0 + ms(10), t0, ms(1)));
  EXPECT_FALSE(detail::should_step_off(-1, -1, t0 + ms(10), t0, ms(1)));
  // The last step too recent.
  EXPECT_FALSE(detail::should_step_off(3, 3, t0 + ms(10), t0 + ms(9) + std::chrono::microseconds(1), ms(1)));
}

#ifdef __linux__
std::vector<int> own_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  EXPECT_EQ(pthread_getaffinity_np(pthread_self(), sizeof set, &set), 0);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

/// The CPUs a worker of `pool` may run on: two tasks, the first waiting until
/// the second has started, so one of them runs on a worker whatever the order.
std::vector<int> a_workers_cpus(detail::ThreadPool& pool) {
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> second_started{false};
  std::vector<int> worker_cpus;
  pool.parallel_for(2, [&](std::int64_t i) {
    if (i == 1) second_started.store(true);
    if (std::this_thread::get_id() != caller) worker_cpus = own_cpus();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (i == 0 && !second_started.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  });
  return worker_cpus;
}

TEST(ThreadPoolTest, PinnedWorkersAreBoundToOneCpuEach) {
  const std::vector<int> allowed = own_cpus();
  ASSERT_FALSE(allowed.empty());

  detail::ThreadPool unpinned(2);
  EXPECT_FALSE(unpinned.pins_workers());
  EXPECT_EQ(a_workers_cpus(unpinned), allowed); // inherits the caller's set

  detail::ThreadPool pinned(2, /*pin_workers=*/true);
  EXPECT_TRUE(pinned.pins_workers());
  const std::vector<int> cpus = a_workers_cpus(pinned);
  ASSERT_EQ(cpus.size(), 1u);
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), cpus[0]), allowed.end());
  // The caller itself stays free.
  EXPECT_EQ(own_cpus(), allowed);

  // Through the Store option, and the results stay bit-identical.
  const ForwardCase c;
  Store store({.intra_op_parallelism_threads = 2, .pin_intra_op_threads = true});
  ASSERT_NE(detail::intra_op_pool(store), nullptr);
  EXPECT_TRUE(detail::intra_op_pool(store)->pins_workers());
  Scope root = store.root_scope();
  EXPECT_TRUE(same_bits(c.run(root), c.expected));
  EXPECT_EQ(own_cpus(), allowed);
}

/// Binds the calling thread to `cpus`.
void bind_self(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof set, &set), 0);
}

TEST(ThreadPoolTest, StepOffCpuMovesTheThreadAndKeepsItsAffinity) {
  const std::vector<int> allowed = own_cpus();
  ASSERT_FALSE(allowed.empty());
  EXPECT_EQ(detail::step_off_cpu(-1), -1);
  EXPECT_EQ(detail::step_off_cpu(CPU_SETSIZE), -1);
  // A CPU the thread may not use: nothing to step off.
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (std::find(allowed.begin(), allowed.end(), cpu) == allowed.end()) {
      EXPECT_EQ(detail::step_off_cpu(cpu), -1);
      break;
    }
  EXPECT_EQ(own_cpus(), allowed);
  if (allowed.size() < 2) GTEST_SKIP() << "one CPU allowed: nowhere to step to";

  // Onto the first allowed CPU, then off it: another allowed CPU, and the
  // affinity is the whole set again.
  bind_self({allowed[0]});
  ASSERT_EQ(sched_getcpu(), allowed[0]);
  // Bound to it alone, the thread cannot leave it.
  EXPECT_EQ(detail::step_off_cpu(allowed[0]), -1);
  EXPECT_EQ(own_cpus(), std::vector<int>{allowed[0]});
  bind_self(allowed);
  const int landed = detail::step_off_cpu(allowed[0]);
  EXPECT_NE(landed, allowed[0]);
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), landed), allowed.end());
  EXPECT_EQ(own_cpus(), allowed);
}
#endif

} // namespace
} // namespace varscope
