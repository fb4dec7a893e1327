// runtime/src/thread_pool.h - the Store's intra-op thread pool (TF's
// intra_op_parallelism_threads): the worker threads that ops split their
// work over, created on the first parallel op and joined by ~Store.
//
// Never included from outside runtime/src (the public store.h only carries
// the option, so user code does not parse <thread>).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace varscope {
class Store;
struct StoreOptions;
} // namespace varscope

namespace varscope::detail {

/// A fixed number of threads, the caller included, that run the tasks of
/// one loop at a time (parallel_for). Workers are started by the first loop
/// with more than one task, never before, and joined by the destructor.
///
/// Which thread runs a task is not deterministic, so a task's result must
/// depend on its index alone; ops guarantee bit-identical results for any
/// thread count by splitting work at boundaries that do not depend on it
/// (docs/ops.md, "Intra-op parallelism").
///
/// Between loops a worker spins for kSpin before it sleeps, and so does the
/// caller waiting for the last task: ops come back to back, and waking a
/// sleeping thread takes from microseconds to a scheduler slice on a busy
/// machine, longer than many ops (libtorch's OpenMP threads spin likewise).
///
/// An unbound worker that finds itself on the CPU of the thread that posted
/// the loop steps off it (step_off_cpu) before it runs tasks, at most once
/// per kStepOffInterval: on a virtual machine Linux may wake a worker that
/// has slept on the poster's CPU, and the two then share one CPU until the
/// load balancer separates them (docs/ops.md, "Binding the workers to
/// CPUs"). Pinned workers never move.
///
/// Thread-safe: any thread may call parallel_for. While one loop runs,
/// another call (from another thread, or from inside a task) runs its
/// tasks on its own calling thread rather than waiting, so nothing can
/// deadlock and a busy pool degrades to the single-threaded speed.
class ThreadPool {
public:
  /// `num_threads` counts the calling thread: 1 means no workers, ever.
  /// `pin_workers` binds each worker to one CPU when it starts
  /// (StoreOptions::pin_intra_op_threads).
  explicit ThreadPool(int num_threads, bool pin_workers = false);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_threads_; }
  bool pins_workers() const { return pin_workers_; }
  /// Worker threads started so far (0 until the first parallel loop).
  int num_started() const { return started_.load(std::memory_order_acquire); }

  /// Calls task(i) for every i in [0, n), spread over the calling thread and
  /// the workers; returns when all have returned. Tasks must not throw (an
  /// exception escaping a task terminates the program): ops validate first
  /// and then run kernels that cannot fail.
  template <class F> void parallel_for(std::int64_t n, F&& task) {
    if (n <= 0) return;
    using Fn = std::remove_reference_t<F>;
    if (n == 1 || num_threads_ <= 1) {
      for (std::int64_t i = 0; i < n; ++i) task(i);
      return;
    }
    run(n, [](void* context, std::int64_t i) { (*static_cast<Fn*>(context))(i); },
        const_cast<void*>(static_cast<const void*>(&task)));
  }

private:
  using TaskFn = void (*)(void*, std::int64_t);
  /// One loop: tasks are claimed by incrementing `next`.
  struct Job {
    TaskFn fn;
    void* context;
    std::int64_t n;
    std::atomic<std::int64_t> next{0};
  };

  /// How long a worker polls for the next loop, and the caller for the
  /// workers to finish, before blocking on a condition variable.
  static constexpr std::chrono::microseconds kSpin{200};
  /// At most one step off the poster's CPU per worker this often (two
  /// system calls each; where the system keeps putting the worker back,
  /// this bounds what trying costs).
  static constexpr std::chrono::milliseconds kStepOffInterval{1};

  void run(std::int64_t n, TaskFn fn, void* context) noexcept;
  /// Polls `posted_` until it differs from `seen` or kSpin has passed.
  void spin_for_job(std::uint64_t seen) const noexcept;
  static void execute(Job& job) noexcept;
  void start_workers();
  /// `cpu` < 0: leave the worker unbound.
  void worker_loop(std::uint64_t seen_generation, int cpu);
  /// An unbound worker's check before it runs a job's tasks: step off the
  /// poster's CPU when it is on it and its last step is kStepOffInterval
  /// old.
  void leave_poster_cpu(std::chrono::steady_clock::time_point& last_step) noexcept;

  const int num_threads_;
  const bool pin_workers_;
  /// Set while a loop uses the workers; a second caller runs inline.
  std::atomic<bool> busy_{false};
  std::atomic<int> started_{0};
  std::vector<std::thread> workers_; // changed only by the busy_ holder and ~ThreadPool

  std::mutex mu_;
  std::condition_variable wake_; // workers: a new job or stop
  std::condition_variable idle_; // the caller: every worker left the job
  Job* job_ = nullptr;           // guarded by mu_
  std::uint64_t generation_ = 0; // guarded by mu_; one per posted job
  int in_job_ = 0;               // guarded by mu_; workers inside job_
  bool stop_ = false;            // guarded by mu_
  /// Copies of generation_ and in_job_ (written under mu_) for spinning
  /// without the lock; the lock-guarded values decide.
  std::atomic<std::uint64_t> posted_{0};
  std::atomic<int> working_{0};
  /// The CPU the posting thread was on when it posted the current job (-1:
  /// unknown, or the workers are pinned).
  std::atomic<int> poster_cpu_{-1};
};

/// Moves the calling thread off `cpu` without binding it: narrows its
/// affinity to its allowed CPUs but `cpu` (Linux migrates it there and
/// then), then restores the affinity it had. Returns the CPU it ran on in
/// between, or -1 (nothing changed) when `cpu` is not among its allowed
/// CPUs, they are all it has, or the system refuses (not Linux).
int step_off_cpu(int cpu) noexcept;

/// Whether an unbound worker on CPU `current` steps off the CPU `poster` of
/// the thread that posted its job (-1: unknown), its last step having been
/// at `last_step`: when they are the same CPU and that step is at least
/// `interval` old.
bool should_step_off(int poster, int current, std::chrono::steady_clock::time_point now,
                     std::chrono::steady_clock::time_point last_step, std::chrono::steady_clock::duration interval);

/// The CPUs for `workers` pinned workers: the i-th CPU after `current`
/// among `allowed` (ascending CPU numbers the process may use), wrapping
/// around; when `current` is not in `allowed`, counting from its first.
/// Empty when `allowed` is.
std::vector<int> worker_cpus(const std::vector<int>& allowed, int current, int workers);

/// The thread count StoreOptions::intra_op_parallelism_threads asks for: the
/// value itself, or std::thread::hardware_concurrency() for 0 (TF: "the
/// system picks"). ValueError when negative.
int resolve_intra_op_threads(const StoreOptions& options);

/// The store's pool, or null when the store runs ops on one thread (so the
/// single-threaded path costs one branch).
ThreadPool* intra_op_pool(const Store& store);

} // namespace varscope::detail
