// runtime/src/thread_pool.cpp - the Store's intra-op thread pool.
#include "thread_pool.h"

#include <string>
#include <system_error>

#include "internal.h"
#include "varscope/errors.h"
#include "varscope/store.h"

namespace varscope::detail {

ThreadPool::ThreadPool(int num_threads) : num_threads_(num_threads < 1 ? 1 : num_threads) {}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::execute(Job& job) noexcept {
  for (std::int64_t i = job.next.fetch_add(1, std::memory_order_relaxed); i < job.n;
       i = job.next.fetch_add(1, std::memory_order_relaxed))
    job.fn(job.context, i);
}

void ThreadPool::start_workers() {
  if (!workers_.empty()) return;
  std::uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = generation_;
  }
  workers_.reserve(static_cast<std::size_t>(num_threads_ - 1));
  for (int i = 1; i < num_threads_; ++i) {
    workers_.emplace_back([this, generation] { worker_loop(generation); });
    started_.fetch_add(1, std::memory_order_release);
  }
}

namespace {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

} // namespace

void ThreadPool::spin_for_job(std::uint64_t seen) const noexcept {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 1; posted_.load(std::memory_order_acquire) == seen; ++i) {
    cpu_relax();
    if (i % 64 == 0 && std::chrono::steady_clock::now() >= deadline) return;
  }
}

void ThreadPool::worker_loop(std::uint64_t seen_generation) {
  for (;;) {
    spin_for_job(seen_generation);
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait(lock, [&] { return stop_ || (job_ != nullptr && generation_ != seen_generation); });
    if (stop_) return;
    seen_generation = generation_;
    Job* job = job_;
    ++in_job_;
    working_.store(in_job_, std::memory_order_release);
    lock.unlock();
    execute(*job);
    lock.lock();
    working_.store(--in_job_, std::memory_order_release);
    if (in_job_ == 0) idle_.notify_one();
  }
}

void ThreadPool::run(std::int64_t n, TaskFn fn, void* context) noexcept {
  Job job{fn, context, n};
  if (busy_.exchange(true, std::memory_order_acquire)) {
    // Another loop (another thread's op, or the task we are inside of) has
    // the workers: waiting for them could deadlock, so run inline.
    execute(job);
    return;
  }
  try {
    start_workers();
  } catch (const std::system_error&) {
    // No more threads to be had: the workers started so far (maybe none)
    // and the caller share the loop; results do not depend on how many.
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &job;
    ++generation_;
    posted_.store(generation_, std::memory_order_release);
  }
  wake_.notify_all();
  execute(job);
  {
    // Every task is claimed; wait until the workers that joined are done
    // with `job` (a worker waking later sees job_ == nullptr and sleeps on).
    const auto deadline = std::chrono::steady_clock::now() + kSpin;
    for (unsigned i = 1; working_.load(std::memory_order_acquire) != 0; ++i) {
      cpu_relax();
      if (i % 64 == 0 && std::chrono::steady_clock::now() >= deadline) break;
    }
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [&] { return in_job_ == 0; });
    job_ = nullptr;
  }
  busy_.store(false, std::memory_order_release);
}

int resolve_intra_op_threads(const StoreOptions& options) {
  const int requested = options.intra_op_parallelism_threads;
  if (requested < 0)
    throw ValueError("intra_op_parallelism_threads must be >= 0 (0 picks the number of cores), got " +
                     std::to_string(requested));
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

ThreadPool* intra_op_pool(const Store& store) {
  ThreadPool& pool = Access::impl(store).intra_op_pool;
  return pool.num_threads() > 1 ? &pool : nullptr;
}

} // namespace varscope::detail
