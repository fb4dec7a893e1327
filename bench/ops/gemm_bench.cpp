// bench/ops/gemm_bench.cpp - varscope's matmul against raw Eigen GEMM on the
// same buffers (docs/performance-ops.md, "GEMM").
//
//   build-bench-ops/bench/gemm_bench --benchmark_format=json --benchmark_out=gemm.json
//   python3 bench/ops/report.py gemm gemm.json
//
// Target: matmul >= 0.95x raw Eigen's GFLOP/s at every shape.
//
// Both sides run the same Eigen GEMM code: this file is compiled with the
// runtime's flags (no -march, no OpenMP). It must stay that way: Eigen's GEMM
// templates are inline, so an object compiled with other flags would hand
// its instantiations to the runtime's matmul at link time and the comparison
// would measure the wrong code. The runtime's speed with other flags is
// measured by gemm_isa_bench (a separate program that does not link the
// runtime).
//
// Arguments: M, K, N, transpose_b (0/1), threads. The threads argument is
// passed to Eigen::setNbThreads; the "eigen_threads" counter shows what Eigen
// actually uses (1 without OpenMP: setNbThreads is then a no-op).
#include <benchmark/benchmark.h>

#include <cstdint>

#include <Eigen/Core>

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

void BM_Gemm_Eigen(benchmark::State& state) {
  const std::int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const bool transpose_b = state.range(3) != 0;
  Eigen::setNbThreads(static_cast<int>(state.range(4)));
  Operands ops;
  make_operands(ops, m, k, n, transpose_b);
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const Matrix> a(ops.a.data<float>(), m, k);
  Eigen::Map<const Matrix> b(ops.b.data<float>(), ops.b.dim(0), ops.b.dim(1));
  Eigen::Map<Matrix> c(ops.c.data<float>(), m, n);
  for (auto _ : state) {
    if (transpose_b)
      c.noalias() = a * b.transpose();
    else
      c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, m, k, n);
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
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
