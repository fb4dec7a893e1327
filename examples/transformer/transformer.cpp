// examples/transformer/transformer.cpp - README: a BERT-style Transformer
// encoder: layers built in a loop, each in its own
// `variable_scope("layer_" + std::to_string(i))`, with multi-head
// self-attention, layer norm and a GELU feed-forward block; the named
// sub-scopes (attention/self/query, output/layer_norm, ...) repeat in every
// layer without clashing.
//
// Python original (TF 1.15, after google-research/bert modeling.py):
//   for layer_idx in range(num_hidden_layers):
//     with tf.variable_scope("layer_%d" % layer_idx):
//       with tf.variable_scope("attention"):
//         with tf.variable_scope("self"):
//           attention_head = attention_layer(...)
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kBatch = 2;
constexpr int kSequence = 4;
constexpr int kVocab = 16;
constexpr int kHidden = 8;
constexpr int kHeads = 2;
constexpr int kHeadSize = kHidden / kHeads;
constexpr int kIntermediate = 16;
constexpr int kLayers = 2;

Tensor dense(const Tensor& x, int units, const std::string& name) {
  v1::variable_scope scope(name);
  Variable kernel = v1::get_variable("kernel", {x.dim(-1), units},
                                     {.initializer = v1::truncated_normal_initializer({.stddev = 0.02})});
  Variable bias = v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(x, kernel), bias);
}

Tensor layer_norm(const Tensor& x) {
  v1::variable_scope scope("layer_norm");
  Variable gamma = v1::get_variable("gamma", {x.dim(-1)}, {.initializer = v1::ones_initializer()});
  Variable beta = v1::get_variable("beta", {x.dim(-1)}, {.initializer = v1::zeros_initializer()});
  return v1::layer_norm(x, gamma, beta, {.epsilon = 1e-6});
}

/// [batch * seq, hidden] -> [batch, heads, seq, head_size]
Tensor split_heads(const Tensor& x) {
  return v1::transpose(v1::reshape(x, {kBatch, kSequence, kHeads, kHeadSize}), {0, 2, 1, 3});
}

Tensor self_attention(const Tensor& x) {
  v1::variable_scope scope("self");
  Tensor q = split_heads(dense(x, kHidden, "query"));
  Tensor k = split_heads(dense(x, kHidden, "key"));
  Tensor v = split_heads(dense(x, kHidden, "value"));
  Tensor scores =
      v1::mul(v1::matmul(q, k, {.transpose_b = true}), Tensor::scalar_f32(1.0 / std::sqrt(double(kHeadSize))));
  Tensor context = v1::matmul(v1::softmax(scores), v); // [batch, heads, seq, head_size]
  return v1::reshape(v1::transpose(context, {0, 2, 1, 3}), {kBatch * kSequence, kHidden});
}

Tensor encoder_layer(const Tensor& x) {
  Tensor attention_output;
  {
    v1::variable_scope scope("attention");
    Tensor heads = self_attention(x);
    v1::variable_scope output("output");
    attention_output = layer_norm(v1::add(dense(heads, kHidden, "dense"), x));
  }
  Tensor intermediate;
  {
    v1::variable_scope scope("intermediate");
    intermediate = v1::gelu(dense(attention_output, kIntermediate, "dense"), {.approximate = true});
  }
  v1::variable_scope scope("output");
  return layer_norm(v1::add(dense(intermediate, kHidden, "dense"), attention_output));
}

Tensor embeddings(const Tensor& input_ids) {
  v1::variable_scope scope("embeddings");
  Variable word = v1::get_variable("word_embeddings", {kVocab, kHidden},
                                   {.initializer = v1::truncated_normal_initializer({.stddev = 0.5})});
  Variable position = v1::get_variable("position_embeddings", {kSequence, kHidden},
                                       {.initializer = v1::truncated_normal_initializer({.stddev = 0.5})});
  Tensor x = v1::add(v1::embedding_lookup(word, input_ids), position); // [batch, seq, hidden]
  return layer_norm(v1::reshape(x, {kBatch * kSequence, kHidden}));
}

struct BertOutput {
  Tensor sequence_output; // [batch * seq, hidden]
  Tensor pooled_output;   // [batch, hidden]
};

BertOutput bert(const Tensor& input_ids) {
  v1::variable_scope model("bert");
  Tensor x = embeddings(input_ids);
  {
    v1::variable_scope encoder("encoder");
    for (int i = 0; i < kLayers; ++i) {
      v1::variable_scope layer("layer_" + std::to_string(i));
      x = encoder_layer(x);
    }
  }
  v1::variable_scope pooler("pooler");
  Tensor first_token =
      v1::reshape(v1::slice(v1::reshape(x, {kBatch, kSequence, kHidden}), {0, 0, 0}, {-1, 1, -1}), {kBatch, kHidden});
  return {x, v1::tanh(dense(first_token, kHidden, "dense"))};
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor input_ids = Tensor::from_vector<std::int32_t>({2, 7, 11, 3, 4, 5, 9, 14}, {kBatch, kSequence});
    BertOutput out = bert(input_ids);

    examples::print_summary("transformer");
    examples::print_tensor("sequence output", out.sequence_output);
    examples::print_tensor("pooled output", out.pooled_output);
    return examples::finish(args);
  });
}
