// examples/seq2seq/seq2seq.cpp - README: an encoder-decoder with Luong
// attention. One embedding matrix serves both sides: its scope is captured
// once and re-entered with reuse by the encoder and by the decoder from
// inside their own scopes; each GRU shares its weights across time steps
// through AUTO_REUSE.
//
// Python original (TF 1.15):
//   with tf.variable_scope("embedding") as embedding_scope:
//     tf.get_variable("shared_embedding", [vocab, dim])
//   def embed(ids):
//     with tf.variable_scope(embedding_scope, reuse=True):
//       return tf.nn.embedding_lookup(tf.get_variable("shared_embedding"), ids)
#include <cstdint>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::DType;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kBatch = 2;
constexpr int kSourceLength = 4;
constexpr int kTargetLength = 3;
constexpr int kVocab = 10;
constexpr int kEmbedding = 6;
constexpr int kUnits = 8;
constexpr std::int32_t kGo = 1;

Tensor embed(const v1::VariableScope& embedding_scope, const Tensor& ids) {
  v1::variable_scope scope(embedding_scope, {.reuse = true});
  Variable embedding = v1::get_variable("shared_embedding");
  return v1::embedding_lookup(embedding, ids);
}

Tensor linear(const Tensor& x, int units, const char* name, bool bias = true) {
  v1::variable_scope scope(name);
  Variable kernel = v1::get_variable("kernel", {x.dim(-1), units});
  Tensor y = v1::matmul(x, kernel);
  if (!bias) return y;
  return v1::bias_add(y, v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()}));
}

/// tf.nn.rnn_cell.GRUCell(num_units) for one step (gates r, u; candidate).
Tensor gru_cell(const Tensor& x, const Tensor& h) {
  v1::variable_scope scope("gru_cell");
  std::vector<Tensor> ru;
  {
    v1::variable_scope gates("gates");
    Variable kernel = v1::get_variable("kernel", {x.dim(1) + kUnits, 2 * kUnits});
    Variable bias = v1::get_variable("bias", {2 * kUnits}, {.initializer = v1::constant_initializer(1.0)});
    ru = v1::split(v1::sigmoid(v1::bias_add(v1::matmul(v1::concat({x, h}, 1), kernel), bias)), 2, {.axis = 1});
  }
  Tensor candidate;
  {
    v1::variable_scope cand("candidate");
    Variable kernel = v1::get_variable("kernel", {x.dim(1) + kUnits, kUnits});
    Variable bias = v1::get_variable("bias", {kUnits}, {.initializer = v1::zeros_initializer()});
    candidate = v1::tanh(v1::bias_add(v1::matmul(v1::concat({x, v1::mul(ru[0], h)}, 1), kernel), bias));
  }
  // new_h = u * h + (1 - u) * c
  return v1::add(v1::mul(ru[1], h), v1::mul(v1::sub(Tensor::scalar_f32(1.0), ru[1]), candidate));
}

Tensor time_step(const Tensor& sequence, int t, int depth) {
  return v1::reshape(v1::slice(sequence, {0, t, 0}, {-1, 1, -1}), {kBatch, depth});
}

struct EncoderOutput {
  Tensor outputs; // [batch, source_length, units]
  Tensor state;   // [batch, units]
};

EncoderOutput encoder(const v1::VariableScope& embedding_scope, const Tensor& source_ids) {
  v1::variable_scope scope("encoder");
  Tensor inputs = embed(embedding_scope, source_ids);
  Tensor h(DType::Float32, {kBatch, kUnits});
  std::vector<Tensor> outputs;
  v1::variable_scope rnn("rnn", {.reuse = v1::AUTO_REUSE});
  for (int t = 0; t < kSourceLength; ++t) {
    h = gru_cell(time_step(inputs, t, kEmbedding), h);
    outputs.push_back(v1::reshape(h, {kBatch, 1, kUnits}));
  }
  return {v1::concat(outputs, 1), h};
}

/// Luong attention (tf.contrib.seq2seq.LuongAttention + AttentionWrapper's
/// attention layer) for one decoder step.
Tensor attend(const Tensor& query, const Tensor& keys, const Tensor& values) {
  v1::variable_scope scope("attention");
  Tensor scores = v1::matmul(v1::reshape(query, {kBatch, 1, kUnits}), keys, {.transpose_b = true}); // [b, 1, s]
  Tensor alignments = v1::softmax(scores);
  Tensor context = v1::reshape(v1::matmul(alignments, values), {kBatch, kUnits});
  return v1::tanh(linear(v1::concat({query, context}, 1), kUnits, "attention_layer", /*bias=*/false));
}

Tensor decoder(const v1::VariableScope& embedding_scope, const EncoderOutput& encoded, const Tensor& target_in) {
  v1::variable_scope scope("decoder", {.reuse = v1::AUTO_REUSE});
  Tensor keys;
  {
    v1::variable_scope attention("attention");
    keys = linear(encoded.outputs, kUnits, "memory_layer", /*bias=*/false);
  }
  Tensor inputs = embed(embedding_scope, target_in);
  Tensor h = encoded.state;
  std::vector<Tensor> logits;
  for (int t = 0; t < kTargetLength; ++t) {
    {
      v1::variable_scope rnn("rnn");
      h = gru_cell(time_step(inputs, t, kEmbedding), h);
    }
    Tensor attentional = attend(h, keys, encoded.outputs);
    logits.push_back(v1::reshape(linear(attentional, kVocab, "output_projection"), {kBatch, 1, kVocab}));
  }
  return v1::concat(logits, 1); // [batch, target_length, vocab]
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor source = Tensor::from_vector<std::int32_t>({2, 5, 7, 3, 9, 4, 4, 6}, {kBatch, kSourceLength});
    Tensor target_in = Tensor::from_vector<std::int32_t>({kGo, 7, 5, kGo, 6, 4}, {kBatch, kTargetLength});
    Tensor target_out = Tensor::from_vector<std::int32_t>({7, 5, 2, 6, 4, 9}, {kBatch * kTargetLength});

    Tensor logits;
    {
      v1::variable_scope model("seq2seq");
      v1::VariableScope embedding_scope;
      {
        v1::variable_scope scope("embedding");
        embedding_scope = *scope;
        v1::get_variable("shared_embedding", {kVocab, kEmbedding},
                         {.initializer = v1::random_uniform_initializer({.minval = -1.0, .maxval = 1.0})});
      }
      EncoderOutput encoded = encoder(embedding_scope, source);
      logits = decoder(embedding_scope, encoded, target_in);
    }
    Tensor loss = v1::reduce_mean(v1::sparse_softmax_cross_entropy_with_logits(
        target_out, v1::reshape(logits, {kBatch * kTargetLength, kVocab})));

    examples::print_summary("seq2seq");
    examples::print_tensor("decoder logits", logits);
    examples::print_tensor("predicted ids", v1::argmax(logits, {.axis = 2}));
    examples::print_scalar("loss", loss.item<float>());
    return examples::finish(args);
  });
}
