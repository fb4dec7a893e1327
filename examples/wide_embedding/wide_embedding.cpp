// examples/wide_embedding/wide_embedding.cpp - README: a wide-and-deep
// model over large embedding tables that are split into shards by
// partitioners: the wide weights with `fixed_size_partitioner(4)` (looked up
// with the "div" strategy), the deep tower through a scope-level
// `min_max_variable_partitioner`, which every variable in the scope inherits
// (a small kernel becomes a one-shard partitioned variable, ".../part_0").
//
// Python original (TF 1.15):
//   with tf.variable_scope("wide"):
//     w = tf.get_variable("weights", [buckets, 1], partitioner=tf.fixed_size_partitioner(4))
//     wide = tf.reduce_sum(tf.nn.embedding_lookup(w, ids, partition_strategy="div"), 1)
//   with tf.variable_scope("deep", partitioner=tf.min_max_variable_partitioner(3, min_slice_size=16 << 10)):
//     table = tf.get_variable("embedding", [vocab, dim])
#include <cmath>
#include <cstdint>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kBatch = 2;
constexpr int kIdsPerExample = 3;
constexpr int kHashBuckets = 1000;
constexpr int kVocab = 600;
constexpr int kDim = 16;
constexpr int kHidden = 8;

Tensor wide_part(const Tensor& cross_ids) {
  v1::variable_scope scope("wide");
  Variable weights = v1::get_variable(
      "weights", {kHashBuckets, 1},
      {.initializer = v1::random_normal_initializer({.stddev = 0.1}), .partitioner = v1::fixed_size_partitioner(4)});
  Tensor looked_up = v1::embedding_lookup(weights, cross_ids, {.partition_strategy = "div"}); // [b, ids, 1]
  return v1::reduce_sum(looked_up, {.axis = 1});                                              // [b, 1]
}

Tensor deep_part(const Tensor& ids) {
  v1::variable_scope scope("deep", {.partitioner = v1::min_max_variable_partitioner(3, 0, 16 << 10)});
  Variable table =
      v1::get_variable("embedding", {kVocab, kDim},
                       {.initializer = v1::truncated_normal_initializer({.stddev = 1.0 / std::sqrt(double(kDim))})});
  Tensor features = v1::reduce_mean(v1::embedding_lookup(table, ids), {.axis = 1}); // [b, dim]

  Tensor hidden;
  {
    v1::variable_scope layer("hidden");
    Variable kernel = v1::get_variable("kernel", {kDim, kHidden});
    Variable bias = v1::get_variable("bias", {kHidden}, {.initializer = v1::zeros_initializer()});
    hidden = v1::relu(v1::bias_add(v1::matmul(features, kernel), bias));
  }
  v1::variable_scope layer("logits");
  Variable kernel = v1::get_variable("kernel", {kHidden, 1});
  return v1::matmul(hidden, kernel);
}

void print_partitions() {
  std::cout << "partitioned variables:\n";
  for (const varscope::PartitionedVariable& p : v1::get_default_graph().partitioned_variables()) {
    std::cout << "  " << p.name() << " " << p.shape().to_string() << " -> " << p.size() << " shard(s):";
    for (const Variable& shard : p.shards()) std::cout << " " << shard.shape().to_string();
    std::cout << "\n";
  }
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor cross_ids = Tensor::from_vector<std::int64_t>({3, 997, 250, 42, 500, 751}, {kBatch, kIdsPerExample});
    Tensor ids = Tensor::from_vector<std::int64_t>({0, 199, 200, 599, 401, 17}, {kBatch, kIdsPerExample});

    Tensor wide = wide_part(cross_ids);
    Tensor deep = deep_part(ids);
    Variable bias = v1::get_variable("global_bias", {1}, {.initializer = v1::constant_initializer(-0.5)});
    Tensor logits = v1::bias_add(v1::add(wide, deep), bias);

    examples::print_summary("wide_embedding");
    print_partitions();
    examples::print_tensor("wide logits", wide);
    examples::print_tensor("deep logits", deep);
    examples::print_tensor("probabilities", v1::sigmoid(logits));
    return examples::finish(args);
  });
}
