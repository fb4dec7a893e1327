// bench/ops/overhead_bench.cpp - the cost of the scope machinery: each model
// of models.h through the runtime (get_variable under scopes, named ops)
// against the same math written directly in Eigen on the same buffers
// (models_eigen.h), then the cost of one small op split into its parts, then
// the kernels fixed this round against their previous versions
// (docs/performance-ops.md, "Overhead").
//
//   build-bench-ops/bench/ops_overhead_bench --benchmark_format=json --benchmark_out=overhead.json
//   python3 bench/ops/report.py overhead overhead.json
//
// Target: runtime forward <= 1.05x the Eigen forward.
//
// Compiled with the runtime's flags (see gemm_bench.cpp for why).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include <Eigen/Core>

#include "models.h"
#include "models_eigen.h"
#include "paired.h"
#include "varscope/eigen.h"
#include "varscope/varscope.h"

using namespace varscope;
using namespace varscope::bench;

namespace {

// -- Whole models ----------------------------------------------------------------

/// Checks once that both paths agree, so the timings compare the same math.
void check_agree(benchmark::State& state, const float* a, const float* b, std::int64_t n) {
  const double diff = max_abs_diff(a, b, n);
  state.counters["max_abs_diff"] = diff;
  if (diff > 1e-3) state.SkipWithError("runtime and Eigen outputs differ");
}

// One case per model: its config, seeds and input, the forward through the
// runtime (models.h) and the Eigen model (models_eigen.h), each returning the
// output the two sides must agree on.

struct MlpCase {
  using Config = MlpConfig;
  using EigenModel = MlpEigen;
  static constexpr std::uint64_t kSeed = 1;
  static constexpr std::int64_t kInputSeed = 11;
  static Shape input_shape(const Config& c) { return {c.batch, c.widths.front()}; }
  static Tensor runtime(Scope& root, const Tensor& x, const Config& c) { return mlp_forward(root, x, c); }
  static auto eigen(EigenModel& model, const Tensor& x) { return model.forward(x); }
};

struct LstmCase {
  using Config = LstmConfig;
  using EigenModel = LstmEigen;
  static constexpr std::uint64_t kSeed = 2;
  static constexpr std::int64_t kInputSeed = 12;
  static Shape input_shape(const Config& c) { return {c.seq, c.batch, c.input}; }
  static Tensor runtime(Scope& root, const Tensor& x, const Config& c) { return lstm_forward(root, x, c).h; }
  static auto eigen(EigenModel& model, const Tensor& x) { return model.forward(x).second; }
};

struct TransformerCase {
  using Config = TransformerConfig;
  using EigenModel = TransformerEigen;
  static constexpr std::uint64_t kSeed = 3;
  static constexpr std::int64_t kInputSeed = 13;
  static Shape input_shape(const Config& c) { return {c.batch, c.seq, c.d_model}; }
  static Tensor runtime(Scope& root, const Tensor& x, const Config& c) { return transformer_forward(root, x, c); }
  static auto eigen(EigenModel& model, const Tensor& x) { return model.forward(x); }
};

/// A model's store, input and root scope; with `with_eigen`, also the Eigen
/// model over the variables a first runtime forward created, checked once
/// to agree with the runtime.
template <class Case> struct Fixture {
  Fixture(benchmark::State& state, bool with_eigen)
      : store(StoreOptions{.seed = Case::kSeed}), x(random_input(store, Case::input_shape(config), Case::kInputSeed)),
        root(store.root_scope()) {
    if (!with_eigen) return;
    const Tensor reference = Case::runtime(root, x, config);
    model.emplace(store, config);
    check_agree(state, reference.data<float>(), Case::eigen(*model, x).data(), reference.num_elements());
  }
  const typename Case::Config config;
  Store store;
  const Tensor x;
  Scope root;
  std::optional<typename Case::EigenModel> model;
};

template <class Case> void BM_Runtime(benchmark::State& state) {
  Fixture<Case> f(state, /*with_eigen=*/false);
  for (auto _ : state) {
    Tensor y = Case::runtime(f.root, f.x, f.config);
    benchmark::DoNotOptimize(y.raw_data());
  }
}

template <class Case> void BM_Eigen(benchmark::State& state) {
  Fixture<Case> f(state, /*with_eigen=*/true);
  for (auto _ : state) benchmark::DoNotOptimize(Case::eigen(*f.model, f.x).data());
}

// The same comparison with both paths alternating inside one benchmark
// (paired.h): each round runs three forwards per side and times the third,
// so each side is measured in its own steady state. Counters runtime_ms,
// eigen_ms (medians per forward, thread CPU time) and their ratio. The
// figures to trust on a loaded machine.
template <class Case> void BM_Paired(benchmark::State& state) {
  Fixture<Case> f(state, /*with_eigen=*/true);
  PairedTimer timer(/*warmup=*/2);
  for (auto _ : state)
    timer.round([&] { benchmark::DoNotOptimize(Case::runtime(f.root, f.x, f.config).raw_data()); },
                [&] { benchmark::DoNotOptimize(Case::eigen(*f.model, f.x).data()); });
  timer.report(state, "runtime", "eigen");
}

/// BM_<model>_Runtime, _Eigen and _Paired (the names report.py and
/// run_all.sh select).
template <class Case> void register_model(const std::string& model, benchmark::TimeUnit unit, double paired_min_time) {
  benchmark::RegisterBenchmark(("BM_" + model + "_Runtime").c_str(), BM_Runtime<Case>)->Unit(unit);
  benchmark::RegisterBenchmark(("BM_" + model + "_Eigen").c_str(), BM_Eigen<Case>)->Unit(unit);
  benchmark::RegisterBenchmark(("BM_" + model + "_Paired").c_str(), BM_Paired<Case>)
      ->Unit(benchmark::kMillisecond)
      ->MinTime(paired_min_time);
}

[[maybe_unused]] const bool kModelsRegistered = [] {
  register_model<MlpCase>("Mlp", benchmark::kMicrosecond, 6.0);
  register_model<LstmCase>("Lstm", benchmark::kMicrosecond, 20.0);
  register_model<TransformerCase>("Transformer", benchmark::kMillisecond, 15.0);
  return true;
}();

// -- One small op, split into its parts --------------------------------------------
//
// add() of two [n] float tensors: the whole op with a default name ("Add",
// "Add_1", ... through Scope::unique_name), the whole op with an absolute
// name ("sum/": no uniquifying), the Eigen kernel alone into a preallocated
// buffer, and the pieces the op adds around the kernel.

void BM_OpAdd_DefaultName(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model");
  Scope layer = model.variable_scope("layer_0");
  const Tensor x(DType::Float32, {state.range(0)});
  const Tensor y(DType::Float32, {state.range(0)});
  for (auto _ : state) benchmark::DoNotOptimize(add(layer, x, y).raw_data());
}

void BM_OpAdd_AbsoluteName(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model");
  Scope layer = model.variable_scope("layer_0");
  const Tensor x(DType::Float32, {state.range(0)});
  const Tensor y(DType::Float32, {state.range(0)});
  for (auto _ : state) benchmark::DoNotOptimize(add(layer, x, y, {.name = "model/layer_0/sum/"}).raw_data());
}

void BM_OpAdd_EigenKernel(benchmark::State& state) {
  const Tensor x(DType::Float32, {state.range(0)});
  const Tensor y(DType::Float32, {state.range(0)});
  Tensor out(DType::Float32, {state.range(0)});
  for (auto _ : state) {
    as_array<float>(out) = as_array<const float>(x) + as_array<const float>(y);
    benchmark::DoNotOptimize(out.raw_data());
    benchmark::ClobberMemory();
  }
}

/// Scope::unique_name as every default-named op calls it.
void BM_Part_UniqueName(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model");
  Scope layer = model.variable_scope("layer_0");
  for (auto _ : state) benchmark::DoNotOptimize(layer.unique_name("Add"));
}

/// A fresh zero-filled tensor, as every op allocated its output before.
void BM_Part_TensorAlloc(benchmark::State& state) {
  for (auto _ : state) {
    Tensor t(DType::Float32, {state.range(0)});
    benchmark::DoNotOptimize(t.raw_data());
  }
}

/// A fresh uninitialised tensor, as every op allocates its output now.
void BM_Part_TensorAllocUninitialized(benchmark::State& state) {
  for (auto _ : state) {
    Tensor t = Tensor::uninitialized(DType::Float32, {state.range(0)});
    benchmark::DoNotOptimize(t.raw_data());
  }
}

/// Tensor::set_name("<op>:0"), as run_op names every output.
void BM_Part_SetName(benchmark::State& state) {
  Tensor t(DType::Float32, {1});
  const std::string name = "model/layer_0/Add_123";
  for (auto _ : state) {
    t.set_name(name + ":0");
    benchmark::DoNotOptimize(t);
  }
}

/// get_variable of an existing variable under AUTO_REUSE plus the implicit
/// Variable -> Tensor read, as every layer does per forward.
void BM_Part_GetVariableRead(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope layer = root.variable_scope("model", {.reuse = AUTO_REUSE});
  layer.get_variable("kernel", {4, 4});
  for (auto _ : state) {
    const Tensor w = layer.get_variable("kernel", {4, 4});
    benchmark::DoNotOptimize(w.raw_data());
  }
}

/// Entering and leaving a variable scope (per layer per forward).
void BM_Part_EnterVariableScope(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model", {.reuse = AUTO_REUSE});
  for (auto _ : state) {
    Scope layer = model.variable_scope("dense_0");
    benchmark::DoNotOptimize(&layer);
  }
}

BENCHMARK(BM_OpAdd_DefaultName)->Arg(1)->Arg(64)->Arg(4096);
BENCHMARK(BM_OpAdd_AbsoluteName)->Arg(1)->Arg(64)->Arg(4096);
BENCHMARK(BM_OpAdd_EigenKernel)->Arg(1)->Arg(64)->Arg(4096);
// The store never forgets an op name, so the cost depends on how many ops
// ran before: 10 thousand names against 3 million.
BENCHMARK(BM_Part_UniqueName)->Iterations(10000);
BENCHMARK(BM_Part_UniqueName)->Iterations(3000000);
BENCHMARK(BM_Part_TensorAlloc)->Arg(1)->Arg(64)->Arg(4096)->Arg(1 << 20);
BENCHMARK(BM_Part_TensorAllocUninitialized)->Arg(1)->Arg(64)->Arg(4096)->Arg(1 << 20);
BENCHMARK(BM_Part_SetName);
BENCHMARK(BM_Part_GetVariableRead);
BENCHMARK(BM_Part_EnterVariableScope);

// -- Kernels that were prototypes here ----------------------------------------------
//
// The exact GELU: the runtime's op (since this round, Eigen's vectorised erf
// from unsupported/Eigen/SpecialFunctions, runtime/src/ops/math.cpp)
// against the scalar std::erf loop it used before, on the encoder's FFN
// activation [1024, 1024].

void BM_Gelu_RuntimeOp(benchmark::State& state) {
  Store store(StoreOptions{.seed = 4});
  const Tensor x = random_input(store, {1024, 1024}, 14);
  Scope root = store.root_scope();
  for (auto _ : state) benchmark::DoNotOptimize(gelu(root, x).raw_data());
}

void BM_Gelu_ScalarErfBefore(benchmark::State& state) {
  Store store(StoreOptions{.seed = 4});
  const Tensor x = random_input(store, {1024, 1024}, 14);
  Scope root = store.root_scope();
  const Tensor op = gelu(root, x);
  Tensor out(DType::Float32, x.shape());
  const float* in = x.data<float>();
  float* o = out.data<float>();
  const auto run = [&] {
    for (std::int64_t i = 0; i < x.num_elements(); ++i)
      o[i] = 0.5F * in[i] * (1.0F + std::erf(in[i] * static_cast<float>(M_SQRT1_2)));
  };
  run();
  state.counters["max_abs_diff"] = max_abs_diff(op.data<float>(), out.data<float>(), out.num_elements());
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(out.raw_data());
    benchmark::ClobberMemory();
  }
}

/// The attention head split: transpose of [8, 128, 4, 64] with perm
/// {0, 2, 1, 3}: the runtime's op (since this round, ops_internal::permute
/// copies each contiguous innermost run) against the element loop with a
/// runtime stride it used before.
void BM_Transpose_RuntimeOp(benchmark::State& state) {
  Store store(StoreOptions{.seed = 5});
  const Tensor x = random_input(store, {8, 128, 4, 64}, 15);
  Scope root = store.root_scope();
  for (auto _ : state) benchmark::DoNotOptimize(transpose(root, x, {0, 2, 1, 3}).raw_data());
}

void BM_Transpose_ElementLoopBefore(benchmark::State& state) {
  Store store(StoreOptions{.seed = 5});
  const Tensor x = random_input(store, {8, 128, 4, 64}, 15);
  Tensor out(DType::Float32, {8, 4, 128, 64});
  const float* src = x.data<float>();
  float* dst = out.data<float>();
  // Input strides of the output dims {8, 4, 128, 64}: 32768, 64, 256, 1.
  const std::int64_t strides[] = {128 * 4 * 64, 64, 4 * 64, 1};
  volatile std::int64_t inner_stride = strides[3]; // a runtime stride, as in the old loop
  for (auto _ : state) {
    std::int64_t o = 0;
    for (std::int64_t b = 0; b < 8; ++b)
      for (std::int64_t h = 0; h < 4; ++h)
        for (std::int64_t s = 0; s < 128; ++s, o += 64) {
          const std::int64_t offset = b * strides[0] + h * strides[1] + s * strides[2];
          const std::int64_t step = inner_stride;
          for (std::int64_t j = 0; j < 64; ++j) dst[o + j] = src[offset + j * step];
        }
    benchmark::DoNotOptimize(out.raw_data());
    benchmark::ClobberMemory();
  }
}

BENCHMARK(BM_Gelu_RuntimeOp)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Gelu_ScalarErfBefore)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Transpose_RuntimeOp)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Transpose_ElementLoopBefore)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
