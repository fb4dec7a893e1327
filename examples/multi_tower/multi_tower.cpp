// examples/multi_tower/multi_tower.cpp - README: data-parallel towers that
// share one set of weights, three ways:
//   1. the CIFAR-10 multi-GPU idiom: towers built in a loop inside
//      `variable_scope(get_variable_scope())`, one name scope per tower, and
//      `get_variable_scope().reuse_variables()` after the first;
//   2. towers built in std::threads that re-enter the main thread's captured
//      scope: the first thread creates the variables, later ones pass
//      `{.reuse = true}`. Each thread is joined before the next starts, so
//      variables are created in a fixed order and runs are reproducible;
//   3. concurrent threads that only reuse (every variable already exists),
//      so running them at the same time cannot change what is created.
// A new thread starts at the root scope with its own default-name counters,
// so `tower()`'s default-named layers get the same names in every thread.
//
// Python original (TF 1.15, after cifar10_multi_gpu_train.py):
//   with tf.variable_scope(tf.get_variable_scope()):
//     for i in range(num_gpus):
//       with tf.name_scope("tower_%d" % i):
//         logits = tower(images[i])
//         tf.get_variable_scope().reuse_variables()
#include <string>
#include <thread>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kTowers = 3;
constexpr int kPerTower = 2;
constexpr int kFeatures = 4;
constexpr int kHidden = 6;
constexpr int kClasses = 2;

Tensor dense(const Tensor& x, int units, const char* name = nullptr) {
  v1::variable_scope scope(name, "dense");
  Variable w = v1::get_variable("kernel", {x.dim(1), units});
  Variable b = v1::get_variable("bias", {units}, {.initializer = v1::constant_initializer(0.05)});
  return v1::bias_add(v1::matmul(x, w), b);
}

/// One replica: "tower/dense" and "tower/logits" below the current scope.
Tensor tower(const Tensor& x) {
  v1::variable_scope scope("tower");
  return dense(v1::relu(dense(x, kHidden)), kClasses, "logits");
}

Tensor batch() {
  std::vector<float> values;
  for (int i = 0; i < kTowers * kPerTower; ++i)
    for (int j = 0; j < kFeatures; ++j) values.push_back(static_cast<float>((5 * i + 3 * j) % 8) / 4.0f - 1.0f);
  return Tensor::from_vector(values, {kTowers * kPerTower, kFeatures});
}

void print_towers(const char* label, const std::vector<Tensor>& logits) {
  for (int i = 0; i < kTowers; ++i)
    examples::print_tensor(std::string(label) + " tower " + std::to_string(i), logits[i]);
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});
    std::vector<Tensor> shards = v1::split(batch(), kTowers);

    // 1. Loop with reuse_variables() after the first tower.
    std::vector<Tensor> loop_logits;
    {
      v1::variable_scope outer(v1::get_variable_scope());
      for (int i = 0; i < kTowers; ++i) {
        v1::name_scope ns("tower_" + std::to_string(i));
        loop_logits.push_back(tower(shards[i]));
        v1::get_variable_scope().reuse_variables();
      }
    }
    const std::size_t after_loop = v1::global_variables().size();

    // 2. One thread per tower, re-entering the main thread's captured scope.
    std::vector<Tensor> thread_logits(kTowers);
    v1::VariableScope replicas;
    {
      v1::variable_scope scope("replicas");
      replicas = *scope;
    }
    for (int i = 0; i < kTowers; ++i) {
      std::thread worker([&, i] {
        v1::variable_scope scope(replicas, {.reuse = i > 0});
        thread_logits[i] = tower(shards[i]);
      });
      worker.join(); // before the next starts: thread 0 creates, threads 1.. reuse
    }
    const std::size_t after_threads = v1::global_variables().size();

    // 3. Concurrent threads that only reuse.
    std::vector<Tensor> concurrent_logits(kTowers);
    {
      std::vector<std::thread> workers;
      for (int i = 0; i < kTowers; ++i)
        workers.emplace_back([&, i] {
          v1::variable_scope scope(replicas, {.reuse = true});
          concurrent_logits[i] = tower(shards[i]);
        });
      for (std::thread& worker : workers) worker.join();
    }
    bool same = v1::global_variables().size() == after_threads;
    for (int i = 0; i < kTowers; ++i) same = same && concurrent_logits[i].equals(thread_logits[i]);

    examples::print_summary("multi_tower");
    std::cout << "variables after the tower loop: " << after_loop << "  after the threaded towers: " << after_threads
              << "\n";
    std::cout << "concurrent reuse created nothing and matches the threaded towers: " << (same ? "yes" : "NO") << "\n";
    print_towers("loop", loop_logits);
    print_towers("threaded", thread_logits);
    return examples::finish(args);
  });
}
