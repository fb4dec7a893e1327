// bench/ops/paired.h - paired timing for the ops benchmarks: two
// implementations of the same work run alternately inside one benchmark,
// each timed with the thread's CPU clock, and compared by their median
// times.
//
// On a shared machine the load changes between two separately registered
// benchmarks (seconds apart), so their ratio mixes the code's difference
// with the load's. Alternating A and B in short rounds exposes both to the
// same load; the thread CPU clock leaves out the time the thread is
// descheduled; and the median drops the rounds disturbed by a cache-hungry
// neighbour. The order alternates (AB, BA, ...).
//
// Each side first runs `warmup` untimed calls per round, so the timed call
// finds the caches the way that side leaves them in a loop of its own, not
// the way the other side left them (without warm-up, the LSTM reference ran
// 3 ms slower per 71 ms forward in one measurement, and so did the runtime).
//
// Not thread-safe: one PairedTimer per benchmark thread.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

namespace varscope::bench {

/// Seconds of CPU time used by the calling thread.
inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double mean_of(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

inline double median_of(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2 == 1) return *mid;
  return (*mid + *std::max_element(values.begin(), mid)) / 2.0;
}

/// Per-round times of the two sides ("a" is the runtime, "b" the reference).
class PairedTimer {
public:
  explicit PairedTimer(int warmup = 0) : warmup_(warmup) {}

  /// Runs one round: per side, `warmup` untimed calls and one timed call,
  /// the sides in alternating order.
  template <class A, class B> void round(A&& a, B&& b) {
    if (rounds_++ % 2 == 0) {
      time(a, a_);
      time(b, b_);
    } else {
      time(b, b_);
      time(a, a_);
    }
  }

  double median_a() const { return median_of(a_); }
  double median_b() const { return median_of(b_); }
  double mean_a() const { return mean_of(a_); }
  double mean_b() const { return mean_of(b_); }

  /// Counters "<a_name>_ms", "<b_name>_ms" (medians per round, divided by
  /// `calls_per_round`), "ratio" (of the medians, a over b) and "ratio_mean"
  /// (of the means: it keeps the slow rounds the median drops, whether they
  /// come from the code or from the machine).
  void report(benchmark::State& state, const std::string& a_name, const std::string& b_name,
              int calls_per_round = 1) const {
    const double a = median_a() / calls_per_round;
    const double b = median_b() / calls_per_round;
    state.counters[a_name + "_ms"] = a * 1e3;
    state.counters[b_name + "_ms"] = b * 1e3;
    state.counters["ratio"] = b > 0 ? a / b : 0.0;
    state.counters["ratio_mean"] = mean_b() > 0 ? mean_a() / mean_b() : 0.0;
    state.counters["rounds"] = static_cast<double>(a_.size());
  }

private:
  template <class F> void time(F& f, std::vector<double>& out) const {
    for (int i = 0; i < warmup_; ++i) f();
    const double start = thread_cpu_seconds();
    f();
    out.push_back(thread_cpu_seconds() - start);
  }

  int warmup_;
  std::vector<double> a_;
  std::vector<double> b_;
  long rounds_ = 0;
};

} // namespace varscope::bench
