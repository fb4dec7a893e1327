// bench/ops/gemm_bench.cpp - varscope's matmul against raw Eigen GEMM on the
// same buffers (docs/performance-ops.md, "GEMM").
//
//   build-bench-ops/bench/gemm_bench --benchmark_format=json --benchmark_out=gemm.json
//   python3 bench/ops/report.py gemm gemm.json
//   build-bench-ops/bench/gemm_bench --benchmark_filter=Paired --benchmark_format=json --benchmark_out=paired.json
//   python3 bench/ops/report.py paired paired.json
//
// Target: matmul >= 0.95x raw Eigen's GFLOP/s at every shape.
//
// Both sides run the same Eigen GEMM code for the same instruction set. The
// runtime picks its GEMM kernels by CPU (runtime/src/ops/gemm.h: SSE2, AVX2
// or AVX-512); the raw side is the same Eigen expression compiled into this
// program for that instruction set (raw_gemm.h). VARSCOPE_ISA=sse2 runs both
// sides on the baseline build, as every figure before the dispatch did. The
// rest of this file is compiled with the runtime's flags (no -march, no
// OpenMP) and must stay that way: Eigen's GEMM templates are inline, so an
// object compiled with other flags would hand its instantiations to the
// runtime at link time and the comparison would measure the wrong code.
//
// Arguments: M, K, N, transpose_b (0/1), threads. The threads argument is
// passed to Eigen::setNbThreads; the "eigen_threads" counter shows what Eigen
// actually uses (1 without OpenMP: setNbThreads is then a no-op).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "paired.h"
#include "raw_gemm.h"
#include "raw_math.h"
#include "varscope/eigen.h"
#include "varscope/varscope.h"

using namespace varscope;

namespace {

struct Operands {
  Store store{StoreOptions{.seed = 7}};
  Tensor a;
  Tensor b;
  Tensor c;
};

/// a [m, k] and b [k, n] (or [n, k] for transpose_b) from the initializers,
/// c [m, n] for the raw side's output.
void make_operands(Operands& ops, std::int64_t m, std::int64_t k, std::int64_t n, bool transpose_b) {
  Scope root = ops.store.root_scope();
  const Initializer init = random_uniform_initializer({.minval = -1.0, .maxval = 1.0});
  ops.a = root.get_variable("a", {m, k}, {.initializer = init}).value();
  ops.b = root.get_variable("b", transpose_b ? Shape{n, k} : Shape{k, n}, {.initializer = init}).value();
  ops.c = Tensor(DType::Float32, {m, n});
}

void set_counters(benchmark::State& state, std::int64_t m, std::int64_t k, std::int64_t n) {
  state.counters["GFLOPS"] =
      benchmark::Counter(2.0 * static_cast<double>(m * k * n) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["eigen_threads"] = Eigen::nbThreads();
  state.SetLabel(std::string(ops_internal::isa_name(ops_internal::gemm_kernels().isa)));
}

void BM_Gemm_Varscope(benchmark::State& state) {
  const std::int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const bool transpose_b = state.range(3) != 0;
  Eigen::setNbThreads(static_cast<int>(state.range(4)));
  Operands ops;
  make_operands(ops, m, k, n, transpose_b);
  Scope root = ops.store.root_scope();
  for (auto _ : state) {
    Tensor c = matmul(root, ops.a, ops.b, {.transpose_b = transpose_b});
    benchmark::DoNotOptimize(c.raw_data());
    benchmark::ClobberMemory();
  }
  set_counters(state, m, k, n);
}

/// Raw Eigen on the same buffers: `c.noalias() = a * b` (or `a *
/// b.transpose()`) on maps of ops.a, ops.b and ops.c, compiled for the
/// instruction set the runtime's matmul uses (raw_gemm.h). It reads a and b
/// through const pointers: a writable pointer would unseal b's buffer
/// (buffer_state.h) and so switch off matmul's kept packing of b for the
/// rest of the run, which a program that only reads its weights keeps.
/// VARSCOPE_KEEP_PACKED=0 times matmul packing afresh, as Eigen does.
void raw_product(Operands& ops, std::int64_t m, std::int64_t k, std::int64_t n, bool transpose_b) {
  bench::raw_gemm().eigen_f32(std::as_const(ops.a).data<float>(), k, std::as_const(ops.b).data<float>(),
                              transpose_b ? k : n, ops.c.data<float>(), n, m, k, n, false, transpose_b, nullptr);
}

void BM_Gemm_Eigen(benchmark::State& state) {
  const std::int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const bool transpose_b = state.range(3) != 0;
  Eigen::setNbThreads(static_cast<int>(state.range(4)));
  Operands ops;
  make_operands(ops, m, k, n, transpose_b);
  for (auto _ : state) {
    raw_product(ops, m, k, n, transpose_b);
    benchmark::DoNotOptimize(ops.c.raw_data());
    benchmark::ClobberMemory();
  }
  set_counters(state, m, k, n);
}

/// The machine's multiply-add peak in GFLOP/s for the instruction set the
/// kernels use, measured rather than computed from a nominal clock (this
/// guest reports 2.45 GHz and runs faster): the GFLOP/s of `runs` timings
/// of about 0.5 ms of raw_math().madd_chains each, on this thread's CPU
/// time like the GEMMs; the caller takes their median.
std::vector<double> peak_samples(int runs) {
  const bench::RawMath& math = bench::raw_math();
  constexpr std::int64_t kIterations = 250000; // 48 Mflop with AVX2: about 0.5 ms
  std::vector<double> gflops;
  for (int r = 0; r < runs; ++r) {
    const double start = bench::thread_cpu_seconds();
    benchmark::DoNotOptimize(math.madd_chains(kIterations));
    const double seconds = bench::thread_cpu_seconds() - start;
    gflops.push_back(static_cast<double>(kIterations) * math.madd_flops_per_iteration / seconds * 1e-9);
  }
  return gflops;
}

/// matmul and raw Eigen alternating within one benchmark (paired.h): each
/// round runs, per side, `calls` untimed products and then `calls` timed
/// ones (about 0.5 ms of work at 35 GFLOP/s, so the CPU clock's resolution
/// and the call to read it do not matter), and the counters give each
/// side's median GFLOP/s and their ratio, the measured multiply-add peak
/// (peak_GFLOPS) and matmul's fraction of it (of_peak). This is the figure to trust on a loaded machine; the separate
/// benchmarks above are kept for comparison with earlier runs.
void BM_Gemm_Paired(benchmark::State& state) {
  const std::int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const bool transpose_b = state.range(3) != 0;
  Eigen::setNbThreads(1);
  Operands ops;
  make_operands(ops, m, k, n, transpose_b);
  Scope root = ops.store.root_scope();
  const double flop = 2.0 * static_cast<double>(m * k * n);
  const int calls = std::max(1, static_cast<int>(0.5e-3 * 35e9 / flop));
  std::vector<double> peak = peak_samples(15);
  bench::PairedTimer timer(/*warmup=*/1);
  for (auto _ : state)
    timer.round(
        [&] {
          for (int i = 0; i < calls; ++i) {
            Tensor out = matmul(root, ops.a, ops.b, {.transpose_b = transpose_b});
            benchmark::DoNotOptimize(out.raw_data());
            benchmark::ClobberMemory();
          }
        },
        [&] {
          for (int i = 0; i < calls; ++i) {
            raw_product(ops, m, k, n, transpose_b);
            benchmark::DoNotOptimize(ops.c.raw_data());
            benchmark::ClobberMemory();
          }
        });
  timer.report(state, "varscope", "eigen", calls);
  state.SetLabel(std::string(ops_internal::isa_name(ops_internal::gemm_kernels().isa)));
  state.counters["varscope_GFLOPS"] = flop / timer.median_a() * calls * 1e-9;
  state.counters["eigen_GFLOPS"] = flop / timer.median_b() * calls * 1e-9;
  // The peak before and after the rounds, as the clock may have moved.
  for (double g : peak_samples(15)) peak.push_back(g);
  const double peak_gflops = bench::median_of(peak);
  state.counters["peak_GFLOPS"] = peak_gflops;
  state.counters["of_peak"] = flop / timer.median_a() * calls * 1e-9 / peak_gflops;
  // Of GFLOP/s (>= 0.95 is the target), not of times.
  state.counters["ratio"] = timer.median_b() / timer.median_a();
  state.counters["ratio_mean"] = timer.mean_b() / timer.mean_a();
}

/// Square sizes 64..1024, then the models' shapes: BERT-base FFN (128x768 by
/// 768x3072 and back, and with transpose_b as `matmul(x, w, {.transpose_b =
/// true})`), the encoder benchmark's FFN and projections (batch 8 x seq 128 =
/// 1024 rows, d_model 256, ffn 1024), the MLP's first layer (64x784 by
/// 784x1024), the LSTM's gate GEMM (32x1024 by 1024x2048) and one attention
/// score block (128x64 by (128x64)^T). Each shape registers the varscope and
/// the Eigen run next to each other, so a change of machine load hits both.
struct GemmShape {
  std::int64_t m, k, n, transpose_b;
};
constexpr GemmShape kShapes[] = {
    {64, 64, 64, 0},       {128, 128, 128, 0},   {256, 256, 256, 0},    {512, 512, 512, 0},
    {1024, 1024, 1024, 0}, {128, 768, 3072, 0},  {128, 3072, 768, 0},   {128, 768, 3072, 1},
    {1024, 256, 1024, 0},  {1024, 256, 256, 0},  {64, 784, 1024, 0},    {32, 1024, 2048, 0},
    {128, 64, 128, 1},
};

} // namespace

int main(int argc, char** argv) {
  for (std::int64_t threads : {1, 2})
    for (const GemmShape& s : kShapes)
      for (auto [name, fn] : {std::pair{"BM_Gemm_Varscope", &BM_Gemm_Varscope}, std::pair{"BM_Gemm_Eigen", &BM_Gemm_Eigen}})
        benchmark::RegisterBenchmark(name, fn)
            ->ArgNames({"M", "K", "N", "tB", "thr"})
            ->Args({s.m, s.k, s.n, s.transpose_b, threads})
            ->Unit(benchmark::kMicrosecond);
  for (const GemmShape& s : kShapes)
    benchmark::RegisterBenchmark("BM_Gemm_Paired", &BM_Gemm_Paired)
        ->ArgNames({"M", "K", "N", "tB"})
        ->Args({s.m, s.k, s.n, s.transpose_b})
        ->Unit(benchmark::kMillisecond)
        ->MinTime(2.0);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
