// bench/runtime_bench.cpp - the scope machinery's hot paths.
//
//   build/bench/runtime_bench --benchmark_min_time=0.5 --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
//
// (libbenchmark 1.7 takes --benchmark_min_time as a plain number of seconds;
// "0.5s" is the syntax of 1.8 and later.) Figures: docs/performance.md.
//
// Targets (issue 2): get_variable on an existing variable <= 150 ns with the
// explicit API, v1 within 1.2x of it; entering and leaving a variable scope
// <= 300 ns. The scope benchmarks run for millions of iterations against one
// store, so each new name scope ("model/layer_1234567") is registered in a
// large graph-wide name table, as in a big model.
#include <benchmark/benchmark.h>

#include <string>

#include "varscope/v1.h"
#include "varscope/varscope.h"

using namespace varscope;

namespace {

void BM_GetVariableReuseHit_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope layer = root.variable_scope("encoder/layer_3/attention");
  layer.get_variable("kernel", {4, 4});
  layer.reuse_variables();
  for (auto _ : state) {
    Variable v = layer.get_variable("kernel", {4, 4});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_GetVariableReuseHit_Explicit);

void BM_GetVariableReuseHit_V1(benchmark::State& state) {
  v1::reset_default_graph();
  v1::variable_scope layer("encoder/layer_3/attention");
  v1::get_variable("kernel", {4, 4});
  layer->reuse_variables();
  for (auto _ : state) {
    Variable v = v1::get_variable("kernel", {4, 4});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_GetVariableReuseHit_V1);

void BM_GetVariableAutoReuseHit_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope layer = root.variable_scope("layer", {.reuse = AUTO_REUSE});
  layer.get_variable("bias", {4});
  for (auto _ : state) {
    Variable v = layer.get_variable("bias", {4});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_GetVariableAutoReuseHit_Explicit);

void BM_EnterExitVariableScope_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model");
  for (auto _ : state) {
    Scope s = model.variable_scope("layer");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EnterExitVariableScope_Explicit);

void BM_EnterExitVariableScope_V1(benchmark::State& state) {
  v1::reset_default_graph();
  v1::variable_scope model("model");
  for (auto _ : state) {
    v1::variable_scope s("layer");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EnterExitVariableScope_V1);

void BM_EnterExitDefaultNameScope_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model");
  for (auto _ : state) {
    Scope s = model.variable_scope(nullptr, "dense");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EnterExitDefaultNameScope_Explicit);

void BM_EnterExitNameScope_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  for (auto _ : state) {
    Scope s = root.name_scope("block");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EnterExitNameScope_Explicit);

/// A pass-through variable creator: creators run only on creation, so a
/// reuse hit costs the same as without one.
VariableCreator pass_through() {
  return [](const NextCreator& next, CreatorArgs args) { return next(std::move(args)); };
}

void BM_GetVariableReuseHit_WithCreator_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope creating = root.variable_creator_scope(pass_through());
  Scope layer = creating.variable_scope("encoder/layer_3/attention");
  layer.get_variable("kernel", {4, 4});
  layer.reuse_variables();
  for (auto _ : state) {
    Variable v = layer.get_variable("kernel", {4, 4});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_GetVariableReuseHit_WithCreator_Explicit);

void BM_CreateVariable_WithCreator_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  Scope creating = root.variable_creator_scope(pass_through());
  std::int64_t i = 0;
  for (auto _ : state) {
    Variable v = creating.get_variable("v" + std::to_string(i++), {4}, {.initializer = zeros_initializer()});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_CreateVariable_WithCreator_Explicit);

void BM_CreateVariable_Explicit(benchmark::State& state) {
  Store store;
  Scope root = store.root_scope();
  std::int64_t i = 0;
  for (auto _ : state) {
    Variable v = root.get_variable("v" + std::to_string(i++), {4}, {.initializer = zeros_initializer()});
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_CreateVariable_Explicit);

} // namespace
