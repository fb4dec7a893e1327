// bench/ops/overhead_bench.cpp - the cost of the scope machinery: each model
// of models.h through the runtime (get_variable under scopes, named ops)
// against the same math written directly in Eigen on the same buffers
// (models_eigen.h), then the cost of one small op split into its parts, then
// prototypes of kernel fixes (docs/performance-ops.md, "Overhead").
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
#include <string>

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "models.h"
#include "models_eigen.h"
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

void BM_Mlp_Runtime(benchmark::State& state) {
  const MlpConfig config;
  Store store(StoreOptions{.seed = 1});
  const Tensor x = random_input(store, {config.batch, config.widths.front()}, 11);
  Scope root = store.root_scope();
  for (auto _ : state) {
    Tensor y = mlp_forward(root, x, config);
    benchmark::DoNotOptimize(y.raw_data());
  }
}

void BM_Mlp_Eigen(benchmark::State& state) {
  const MlpConfig config;
  Store store(StoreOptions{.seed = 1});
  const Tensor x = random_input(store, {config.batch, config.widths.front()}, 11);
  Scope root = store.root_scope();
  const Tensor reference = mlp_forward(root, x, config); // creates the variables
  MlpEigen model(store, config);
  check_agree(state, reference.data<float>(), model.forward(x).data(), reference.num_elements());
  for (auto _ : state) benchmark::DoNotOptimize(model.forward(x).data());
}

void BM_Lstm_Runtime(benchmark::State& state) {
  const LstmConfig config;
  Store store(StoreOptions{.seed = 2});
  const Tensor x = random_input(store, {config.seq, config.batch, config.input}, 12);
  Scope root = store.root_scope();
  for (auto _ : state) {
    LstmState s = lstm_forward(root, x, config);
    benchmark::DoNotOptimize(s.h.raw_data());
  }
}

void BM_Lstm_Eigen(benchmark::State& state) {
  const LstmConfig config;
  Store store(StoreOptions{.seed = 2});
  const Tensor x = random_input(store, {config.seq, config.batch, config.input}, 12);
  Scope root = store.root_scope();
  const LstmState reference = lstm_forward(root, x, config);
  LstmEigen model(store, config);
  check_agree(state, reference.h.data<float>(), model.forward(x).second.data(), reference.h.num_elements());
  for (auto _ : state) benchmark::DoNotOptimize(model.forward(x).second.data());
}

void BM_Transformer_Runtime(benchmark::State& state) {
  const TransformerConfig config;
  Store store(StoreOptions{.seed = 3});
  const Tensor x = random_input(store, {config.batch, config.seq, config.d_model}, 13);
  Scope root = store.root_scope();
  for (auto _ : state) {
    Tensor y = transformer_forward(root, x, config);
    benchmark::DoNotOptimize(y.raw_data());
  }
}

void BM_Transformer_Eigen(benchmark::State& state) {
  const TransformerConfig config;
  Store store(StoreOptions{.seed = 3});
  const Tensor x = random_input(store, {config.batch, config.seq, config.d_model}, 13);
  Scope root = store.root_scope();
  const Tensor reference = transformer_forward(root, x, config);
  TransformerEigen model(store, config);
  check_agree(state, reference.data<float>(), model.forward(x).data(), reference.num_elements());
  for (auto _ : state) benchmark::DoNotOptimize(model.forward(x).data());
}

BENCHMARK(BM_Mlp_Runtime)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Mlp_Eigen)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Lstm_Runtime)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Lstm_Eigen)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Transformer_Runtime)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Transformer_Eigen)->Unit(benchmark::kMillisecond);

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

/// A fresh zero-filled output tensor, as every op allocates.
void BM_Part_TensorAlloc(benchmark::State& state) {
  for (auto _ : state) {
    Tensor t(DType::Float32, {state.range(0)});
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
BENCHMARK(BM_Part_TensorAlloc)->Arg(1)->Arg(64)->Arg(4096);
BENCHMARK(BM_Part_SetName);
BENCHMARK(BM_Part_GetVariableRead);
BENCHMARK(BM_Part_EnterVariableScope);

// -- Kernel prototypes ---------------------------------------------------------------
//
// The exact GELU: the runtime's op (a scalar std::erf loop in
// runtime/src/ops/math.cpp) against Eigen's vectorised erf
// (unsupported/Eigen/SpecialFunctions), on the encoder's FFN activation
// [1024, 1024].

void BM_Gelu_RuntimeOp(benchmark::State& state) {
  Store store(StoreOptions{.seed = 4});
  const Tensor x = random_input(store, {1024, 1024}, 14);
  Scope root = store.root_scope();
  for (auto _ : state) benchmark::DoNotOptimize(gelu(root, x).raw_data());
}

void BM_Gelu_VectorErfPrototype(benchmark::State& state) {
  Store store(StoreOptions{.seed = 4});
  const Tensor x = random_input(store, {1024, 1024}, 14);
  Scope root = store.root_scope();
  const Tensor reference = gelu(root, x);
  Tensor out(DType::Float32, x.shape());
  const auto in = as_array<const float>(x);
  auto o = as_array<float>(out);
  o = 0.5F * in * (1.0F + (in * static_cast<float>(M_SQRT1_2)).erf());
  state.counters["max_abs_diff"] = max_abs_diff(reference.data<float>(), out.data<float>(), out.num_elements());
  for (auto _ : state) {
    o = 0.5F * in * (1.0F + (in * static_cast<float>(M_SQRT1_2)).erf());
    benchmark::DoNotOptimize(out.raw_data());
    benchmark::ClobberMemory();
  }
}

/// The attention head split: transpose of [8, 128, 4, 64] with perm
/// {0, 2, 1, 3}: the runtime's op (ops_internal::permute, an element loop with
/// a runtime stride) against copying each contiguous innermost run with
/// memcpy.
void BM_Transpose_RuntimeOp(benchmark::State& state) {
  Store store(StoreOptions{.seed = 5});
  const Tensor x = random_input(store, {8, 128, 4, 64}, 15);
  Scope root = store.root_scope();
  for (auto _ : state) benchmark::DoNotOptimize(transpose(root, x, {0, 2, 1, 3}).raw_data());
}

void BM_Transpose_MemcpyRunsPrototype(benchmark::State& state) {
  Store store(StoreOptions{.seed = 5});
  const Tensor x = random_input(store, {8, 128, 4, 64}, 15);
  Tensor out(DType::Float32, {8, 4, 128, 64});
  const float* src = x.data<float>();
  float* dst = out.data<float>();
  for (auto _ : state) {
    for (std::int64_t b = 0; b < 8; ++b)
      for (std::int64_t h = 0; h < 4; ++h)
        for (std::int64_t s = 0; s < 128; ++s)
          std::memcpy(dst + ((b * 4 + h) * 128 + s) * 64, src + ((b * 128 + s) * 4 + h) * 64, 64 * sizeof(float));
    benchmark::DoNotOptimize(out.raw_data());
    benchmark::ClobberMemory();
  }
}

BENCHMARK(BM_Gelu_RuntimeOp)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Gelu_VectorErfPrototype)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Transpose_RuntimeOp)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Transpose_MemcpyRunsPrototype)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
