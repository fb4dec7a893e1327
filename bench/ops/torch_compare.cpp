// bench/ops/torch_compare.cpp - forward passes of an MLP, an LSTM and a
// transformer encoder written with varscope's explicit API (models.h) and
// with libtorch's C++ API, in one process, with the same shapes, the same
// weights (copied from the varscope Store into the torch modules) and the
// same thread count (docs/performance-ops.md, "Against libtorch"): n threads
// are torch::set_num_threads(n) for libtorch and a Store with
// StoreOptions::intra_op_parallelism_threads = n for varscope.
//
//   build-bench-ops/bench/torch_compare [--rounds N] [--threads 1,2] [--samples] [--unbound]
//
// By default both sides bind their worker threads to CPUs: varscope's with
// StoreOptions::pin_intra_op_threads, libtorch's OpenMP threads with
// OMP_PROC_BIND=true (the program sets it and executes itself again, since
// libgomp reads it at load time; an OMP_PROC_BIND already set is kept).
// --unbound binds neither.
//
// Built only when CMake finds libtorch (bench/ops_bench.cmake). Target:
// varscope time / libtorch time <= 1.0 for every model and thread count.
//
// Each round times one varscope forward and then one torch forward, so a
// change of machine load hits both; the table gives medians (and minima) of
// the rounds after three warm-up forwards each, and the median of the
// rounds' paired ratios. --samples prints every forward's time, round by
// round. The outputs are compared once per model (max |varscope - torch|),
// and varscope's outputs with n threads are checked to be bit-identical to
// its one-thread outputs.
//
// The libtorch side lives in torch_models.cpp (C++17, see torch_models.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "models.h"
#include "ops/gemm.h"
#include "torch_models.h"

using namespace varscope;
using namespace varscope::bench;
using torch_bench::HostTensor;

namespace {

bool g_print_samples = false; // --samples: print every forward's time

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.data<float>(), b.data<float>(), static_cast<std::size_t>(a.num_elements()) * sizeof(float)) == 0;
}

HostTensor to_host(const Tensor& t) {
  const float* p = t.data<float>();
  return {t.shape().dims(), std::vector<float>(p, p + t.num_elements())};
}

double max_abs_diff(const Tensor& ours, const HostTensor& theirs) {
  if (static_cast<std::size_t>(ours.num_elements()) != theirs.data.size()) return INFINITY;
  const float* p = ours.data<float>();
  double m = 0;
  for (std::size_t i = 0; i < theirs.data.size(); ++i) m = std::max(m, static_cast<double>(std::abs(p[i] - theirs.data[i])));
  return m;
}

// -- Timing ------------------------------------------------------------------------------

double time_ms(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

struct Stats {
  double median = 0;
  double min = 0;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front()};
}

struct Row {
  std::string model;
  int threads;
  Stats ours;
  Stats torch;
  /// Median over the rounds of (our sample / libtorch's sample of the same
  /// round): the two samples of a round are taken back to back, so a
  /// change of the machine's speed that lasts several rounds (a busy host
  /// under this virtual machine) divides out.
  double paired_ratio;
  double diff;
};

Row compare(const std::string& model, int threads, int rounds, double diff, const std::function<void()>& ours,
            const std::function<void()>& theirs) {
  for (int i = 0; i < 3; ++i) {
    ours();
    theirs();
  }
  // With two threads, each side's idle workers keep spinning for a while
  // after a forward (libgomp's OpenMP threads about a millisecond by
  // default, varscope's pool 200 us) and take the core the other side's
  // next forward needs: the MLP measured 2.03x with the two sides
  // alternating forward by forward, 0.91x with OMP_WAIT_POLICY=passive. So
  // with threads each round times a block of forwards per side (its workers
  // stay warm within the block) after a pause that lets the other side's
  // workers go idle; a sample is the block's mean. Blocks still alternate,
  // so drifts of the machine's speed hit both sides alike.
  const int block = threads > 1 ? 4 : 1;
  const auto timed_block = [&](const std::function<void()>& f, std::string& trace) {
    if (threads > 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    double total = 0;
    for (int i = 0; i < block; ++i) {
      const double ms = time_ms(f);
      total += ms;
      if (g_print_samples) trace += " " + std::to_string(ms).substr(0, 5);
    }
    return total / block;
  };
  std::vector<double> a, b;
  for (int r = 0; r < rounds; ++r) {
    std::string ours_trace, theirs_trace;
    a.push_back(timed_block(ours, ours_trace));
    b.push_back(timed_block(theirs, theirs_trace));
    if (g_print_samples)
      std::printf("  %s, %d threads, round %d: varscope%s | libtorch%s\n", model.c_str(), threads, r,
                  ours_trace.c_str(), theirs_trace.c_str());
  }
  std::vector<double> ratios;
  for (std::size_t r = 0; r < a.size(); ++r) ratios.push_back(a[r] / b[r]);
  return {model, threads, stats(a), stats(b), stats(ratios).median, diff};
}

std::vector<int> parse_threads(const char* text) {
  std::vector<int> out;
  for (const char* p = text; *p;) {
    out.push_back(std::atoi(p));
    p = std::strchr(p, ',');
    if (!p) break;
    ++p;
  }
  return out;
}

} // namespace

int main(int argc, char** argv) {
  int rounds = 15;
  std::vector<int> thread_counts = {1, 2};
  bool bind = true;
  // One pass, so the flags may come in any order (two passes, one over
  // pairs, lost "--rounds N" after a lone flag).
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--rounds") == 0 && has_value) {
      rounds = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--threads") == 0 && has_value) {
      thread_counts = parse_threads(argv[++i]);
    } else if (std::strcmp(argv[i], "--samples") == 0) {
      g_print_samples = true;
    } else if (std::strcmp(argv[i], "--unbound") == 0) {
      bind = false;
    } else {
      std::fprintf(stderr, "torch_compare: unknown or incomplete argument '%s'\n"
                           "usage: torch_compare [--rounds N] [--threads 1,2] [--samples] [--unbound]\n",
                   argv[i]);
      return 2;
    }
  }
  // Both sides bind their worker threads to CPUs, or neither does. libgomp
  // reads OMP_PROC_BIND when it is loaded, before main: so set it and start
  // again.
  if (bind && std::getenv("OMP_PROC_BIND") == nullptr) {
    setenv("OMP_PROC_BIND", "true", 1);
    execv("/proc/self/exe", argv);
    std::perror("torch_compare: execv /proc/self/exe");
    return 1;
  }
  const char* omp_bind = std::getenv("OMP_PROC_BIND");
  std::printf("%s\nthreads bound to CPUs: varscope's workers %s (StoreOptions::pin_intra_op_threads), libtorch's "
              "OpenMP threads by OMP_PROC_BIND=%s\n",
              torch_bench::TorchModels::init().c_str(), bind ? "yes" : "no", omp_bind ? omp_bind : "(unset)");

  const MlpConfig mlp_config;
  const LstmConfig lstm_config;
  const TransformerConfig encoder_config;

  // The varscope models create their variables on the first forward; the
  // torch models copy them.
  Store store(StoreOptions{.seed = 42});
  Scope root = store.root_scope();
  const Tensor mlp_x = random_input(store, {mlp_config.batch, mlp_config.widths.front()}, 1);
  const Tensor lstm_x = random_input(store, {lstm_config.seq, lstm_config.batch, lstm_config.input}, 2);
  const Tensor encoder_x =
      random_input(store, {encoder_config.batch, encoder_config.seq, encoder_config.d_model}, 3);
  const Tensor mlp_y = mlp_forward(root, mlp_x, mlp_config);
  const LstmState lstm_y = lstm_forward(root, lstm_x, lstm_config);
  const LstmState lstm_fused_y = lstm_fused_forward(root, lstm_x, lstm_config);
  const Tensor encoder_y = transformer_forward(root, encoder_x, encoder_config);

  const torch_bench::Shapes shapes{mlp_config.batch,    mlp_config.widths,         lstm_config.batch,
                                   lstm_config.seq,     lstm_config.input,         lstm_config.hidden,
                                   lstm_config.forget_bias, encoder_config.batch,  encoder_config.seq,
                                   encoder_config.d_model, encoder_config.heads,   encoder_config.ffn,
                                   encoder_config.layers, encoder_config.epsilon};
  torch_bench::TorchModels torch_models(shapes, [&](const std::string& name) { return to_host(variable_value(store, name)); });
  torch_models.set_inputs(to_host(mlp_x), to_host(lstm_x), to_host(encoder_x));

  torch_models.run_mlp();
  torch_models.run_lstm();
  torch_models.run_encoder();
  const double mlp_diff = max_abs_diff(mlp_y, torch_models.mlp_output());
  const double lstm_diff =
      std::max(max_abs_diff(lstm_y.h, torch_models.lstm_h()), max_abs_diff(lstm_y.c, torch_models.lstm_c()));
  const double lstm_fused_diff = std::max(max_abs_diff(lstm_fused_y.h, torch_models.lstm_h()),
                                          max_abs_diff(lstm_fused_y.c, torch_models.lstm_c()));
  const double encoder_diff = max_abs_diff(encoder_y, torch_models.encoder_output());
  std::printf("max abs diff varscope vs libtorch: MLP %.3g, LSTM (h and c) %.3g, fused LSTM %.3g, encoder %.3g\n",
              mlp_diff, lstm_diff, lstm_fused_diff, encoder_diff);

  std::vector<Row> rows;
  for (int threads : thread_counts) {
    torch_bench::TorchModels::set_threads(threads);
    // varscope's thread count is a Store option: a Store per count, with
    // the same seed, so the same variable values (keyed by seed and name).
    Store threaded_store(
        StoreOptions{.seed = 42, .intra_op_parallelism_threads = threads, .pin_intra_op_threads = bind});
    Scope threaded_root = threaded_store.root_scope();
    const Tensor mlp_n = mlp_forward(threaded_root, mlp_x, mlp_config);
    const LstmState lstm_n = lstm_forward(threaded_root, lstm_x, lstm_config);
    const LstmState lstm_fused_n = lstm_fused_forward(threaded_root, lstm_x, lstm_config);
    const Tensor encoder_n = transformer_forward(threaded_root, encoder_x, encoder_config);
    const bool identical = same_bits(mlp_n, mlp_y) && same_bits(lstm_n.h, lstm_y.h) &&
                           same_bits(lstm_n.c, lstm_y.c) && same_bits(lstm_fused_n.h, lstm_fused_y.h) &&
                           same_bits(lstm_fused_n.c, lstm_fused_y.c) && same_bits(encoder_n, encoder_y);
    std::printf("threads %d: torch::get_num_threads() = %d, varscope intra_op_parallelism_threads = %d "
                "(outputs bit-identical to 1 thread: %s), varscope GEMM kernels: %s\n",
                threads, torch_bench::TorchModels::threads(), threaded_store.options().intra_op_parallelism_threads,
                identical ? "yes" : "NO", std::string(ops_internal::isa_name(ops_internal::gemm_kernels().isa)).c_str());
    std::fflush(stdout);
    rows.push_back(compare(
        "MLP 784-1024-1024-10, batch 64", threads, rounds * 4, mlp_diff,
        [&] { mlp_forward(threaded_root, mlp_x, mlp_config); }, [&] { torch_models.run_mlp(); }));
    rows.push_back(compare(
        "LSTM in 512, hidden 512, seq 32, batch 32", threads, rounds, lstm_diff,
        [&] { lstm_forward(threaded_root, lstm_x, lstm_config); }, [&] { torch_models.run_lstm(); }));
    // torch::nn::LSTM projects the inputs of all steps at once; so does
    // this form of the same model (models.h).
    rows.push_back(compare(
        "LSTM, inputs projected once (fused form)", threads, rounds, lstm_fused_diff,
        [&] { lstm_fused_forward(threaded_root, lstm_x, lstm_config); }, [&] { torch_models.run_lstm(); }));
    rows.push_back(compare(
        "Encoder 2 x (d 256, 4 heads, ffn 1024), seq 128, batch 8", threads, rounds, encoder_diff,
        [&] { transformer_forward(threaded_root, encoder_x, encoder_config); }, [&] { torch_models.run_encoder(); }));
  }

  std::printf("\n| model | threads | varscope ms (median / min) | libtorch ms (median / min) | ratio of medians | "
              "median of paired ratios | max abs diff |\n| --- | --- | --- | --- | --- | --- | --- |\n");
  for (const Row& r : rows)
    std::printf("| %s | %d | %.3f / %.3f | %.3f / %.3f | %.2fx | %.2fx | %.2e |\n", r.model.c_str(), r.threads,
                r.ours.median, r.ours.min, r.torch.median, r.torch.min, r.ours.median / r.torch.median,
                r.paired_ratio, r.diff);
  return 0;
}
