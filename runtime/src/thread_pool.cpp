// runtime/src/thread_pool.cpp - the Store's intra-op thread pool.
#include "thread_pool.h"

#include <algorithm>
#include <string>
#include <system_error>
#include <utility>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

#include "internal.h"
#include "varscope/errors.h"
#include "varscope/store.h"

namespace varscope::detail {

ThreadPool::ThreadPool(int num_threads, bool pin_workers)
    : num_threads_(num_threads < 1 ? 1 : num_threads), pin_workers_(pin_workers) {}

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

std::vector<int> worker_cpus(const std::vector<int>& allowed, int current, int workers) {
  std::vector<int> out;
  if (allowed.empty()) return out;
  const auto at = std::find(allowed.begin(), allowed.end(), current);
  const std::size_t start = at == allowed.end() ? allowed.size() - 1 : static_cast<std::size_t>(at - allowed.begin());
  for (int i = 1; i <= workers; ++i) out.push_back(allowed[(start + static_cast<std::size_t>(i)) % allowed.size()]);
  return out;
}

namespace {

/// The CPUs for the workers, ascending: those the calling thread may run
/// on, or every CPU of the machine when those are fewer than `threads` (a
/// caller bound to one CPU, as OpenMP's OMP_PROC_BIND binds its initial
/// thread); and the CPU the caller is on now (-1 if unknown). None where
/// the system cannot tell.
std::pair<std::vector<int>, int> allowed_cpus(int threads) {
  std::vector<int> cpus;
  int current = -1;
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) == 0)
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  if (static_cast<int>(cpus.size()) < threads) {
    cpus.clear();
    const int online = static_cast<int>(std::thread::hardware_concurrency());
    for (int cpu = 0; cpu < online && cpu < CPU_SETSIZE; ++cpu) cpus.push_back(cpu);
  }
  current = sched_getcpu();
#else
  (void)threads;
#endif
  return {cpus, current};
}

/// Binds the calling thread to `cpu`; false where the system refuses.
bool bind_to_cpu(int cpu) {
#ifdef __linux__
  if (cpu < 0 || cpu >= CPU_SETSIZE) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
#else
  (void)cpu;
  return false;
#endif
}

} // namespace

int step_off_cpu(int cpu) noexcept {
#ifdef __linux__
  if (cpu < 0 || cpu >= CPU_SETSIZE) return -1;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (pthread_getaffinity_np(pthread_self(), sizeof allowed, &allowed) != 0) return -1;
  if (!CPU_ISSET(cpu, &allowed) || CPU_COUNT(&allowed) < 2) return -1;
  cpu_set_t others = allowed;
  CPU_CLR(cpu, &others);
  // A running thread whose affinity no longer holds its CPU is migrated
  // before the call returns.
  if (pthread_setaffinity_np(pthread_self(), sizeof others, &others) != 0) return -1;
  const int landed = sched_getcpu();
  // Restoring the affinity does not move it back: its CPU is allowed.
  (void)pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
  return landed;
#else
  (void)cpu;
  return -1;
#endif
}

bool should_step_off(int poster, int current, std::chrono::steady_clock::time_point now,
                     std::chrono::steady_clock::time_point last_step, std::chrono::steady_clock::duration interval) {
  return poster >= 0 && current == poster && now - last_step >= interval;
}

void ThreadPool::leave_poster_cpu(std::chrono::steady_clock::time_point& last_step) noexcept {
#ifdef __linux__
  const int poster = poster_cpu_.load(std::memory_order_relaxed);
  const int current = sched_getcpu();
  if (poster < 0 || current != poster) return; // the common case, without reading the clock
  const auto now = std::chrono::steady_clock::now();
  if (!should_step_off(poster, current, now, last_step, kStepOffInterval)) return;
  last_step = now;
  (void)step_off_cpu(poster); // -1 (stays) where it may use no other CPU
#else
  (void)last_step;
#endif
}

void ThreadPool::start_workers() {
  if (!workers_.empty()) return;
  std::uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = generation_;
  }
  std::vector<int> cpus;
  if (pin_workers_) {
    const auto [allowed, current] = allowed_cpus(num_threads_);
    cpus = worker_cpus(allowed, current, num_threads_ - 1);
  }
  workers_.reserve(static_cast<std::size_t>(num_threads_ - 1));
  for (int i = 1; i < num_threads_; ++i) {
    const int cpu = cpus.empty() ? -1 : cpus[static_cast<std::size_t>(i - 1)];
    workers_.emplace_back([this, generation, cpu] { worker_loop(generation, cpu); });
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

void ThreadPool::worker_loop(std::uint64_t seen_generation, int cpu) {
  // Unbound if the system refuses: the worker is only slower, not wrong.
  if (cpu >= 0) (void)bind_to_cpu(cpu);
  std::chrono::steady_clock::time_point last_step_off{};
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
    if (cpu < 0) leave_poster_cpu(last_step_off);
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
#ifdef __linux__
  if (!pin_workers_) poster_cpu_.store(sched_getcpu(), std::memory_order_relaxed);
#endif
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
