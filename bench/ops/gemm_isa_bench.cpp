// bench/ops/gemm_isa_bench.cpp - the same Eigen GEMM as the runtime's
// matmul kernel (row-major maps, `.noalias() =`), built three times with
// different instruction sets, and the two-thread GEMM through Eigen's
// TensorContraction on a ThreadPoolDevice (Eigen's threaded GEMM without
// OpenMP). It answers "what would matmul reach if runtime/ were compiled
// with -march=x86-64-v3 / x86-64-v4, and threaded?" (docs/performance-ops.md).
//
//   build-bench-ops/bench/gemm_isa_bench_sse2   # the runtime's current flags
//   build-bench-ops/bench/gemm_isa_bench_avx2   # -march=x86-64-v3 (AVX2 + FMA)
//   build-bench-ops/bench/gemm_isa_bench_avx512 # -march=x86-64-v4 (AVX-512)
//
// Does not link the runtime: Eigen's templates are inline, and objects built
// with different -march flags must not share them (see gemm_bench.cpp).
#define EIGEN_USE_THREADS

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include <Eigen/Core>
#include <unsupported/Eigen/CXX11/Tensor>

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<float> random_buffer(std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0F, 1.0F);
  std::vector<float> out(static_cast<std::size_t>(n));
  for (float& v : out) v = dist(rng);
  return out;
}

void set_counters(benchmark::State& state, std::int64_t m, std::int64_t k, std::int64_t n) {
  state.counters["GFLOPS"] =
      benchmark::Counter(2.0 * static_cast<double>(m * k * n) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// Eigen's GEMM as runtime/src/ops/matmul.cpp calls it (one thread).
void BM_Gemm_EigenMatrix(benchmark::State& state) {
  const std::int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const std::vector<float> a = random_buffer(m * k, 1), b = random_buffer(k * n, 2);
  std::vector<float> c(static_cast<std::size_t>(m * n));
  Eigen::Map<const Matrix> A(a.data(), m, k), B(b.data(), k, n);
  Eigen::Map<Matrix> C(c.data(), m, n);
  for (auto _ : state) {
    C.noalias() = A * B;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, m, k, n);
}

/// The same product as a TensorContraction on a ThreadPoolDevice.
void BM_Gemm_EigenThreadPool(benchmark::State& state) {
  const std::int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  const int threads = static_cast<int>(state.range(3));
  const std::vector<float> a = random_buffer(m * k, 1), b = random_buffer(k * n, 2);
  std::vector<float> c(static_cast<std::size_t>(m * n));
  Eigen::TensorMap<Eigen::Tensor<const float, 2, Eigen::RowMajor, Eigen::DenseIndex>> A(a.data(), m, k), B(b.data(), k, n);
  Eigen::TensorMap<Eigen::Tensor<float, 2, Eigen::RowMajor, Eigen::DenseIndex>> C(c.data(), m, n);
  const Eigen::array<Eigen::IndexPair<Eigen::DenseIndex>, 1> dims = {Eigen::IndexPair<Eigen::DenseIndex>(1, 0)};
  Eigen::ThreadPool pool(threads);
  Eigen::ThreadPoolDevice device(&pool, threads);
  for (auto _ : state) {
    C.device(device) = A.contract(B, dims);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, m, k, n);
}

struct GemmShape {
  std::int64_t m, k, n;
};
constexpr GemmShape kShapes[] = {{64, 64, 64},     {128, 128, 128}, {256, 256, 256},  {512, 512, 512},
                                 {1024, 1024, 1024}, {128, 768, 3072}, {1024, 256, 1024}, {64, 784, 1024},
                                 {32, 1024, 2048}};

} // namespace

int main(int argc, char** argv) {
  for (const GemmShape& s : kShapes) {
    benchmark::RegisterBenchmark("BM_Gemm_EigenMatrix", BM_Gemm_EigenMatrix)
        ->ArgNames({"M", "K", "N"})
        ->Args({s.m, s.k, s.n})
        ->Unit(benchmark::kMicrosecond);
    for (std::int64_t threads : {1, 2})
      benchmark::RegisterBenchmark("BM_Gemm_EigenThreadPool", BM_Gemm_EigenThreadPool)
          ->ArgNames({"M", "K", "N", "thr"})
          ->Args({s.m, s.k, s.n, threads})
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
