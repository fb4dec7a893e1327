// examples/lstm_lm/lstm_lm.cpp - README: an LSTM language model unrolled over
// time: one cell's weights are shared by every step (reuse_variables() after
// step 0 in training, AUTO_REUSE when the generator re-enters the model), and
// the softmax layer is tied to the embedding matrix.
//
// Python original (TF 1.15, after the PTB tutorial):
//   with tf.variable_scope("rnn"):
//     for t in range(num_steps):
//       if t > 0: tf.get_variable_scope().reuse_variables()
//       (output, state) = cell(inputs[:, t, :], state)
//   logits = tf.matmul(output, embedding, transpose_b=True) + softmax_b
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
constexpr int kSteps = 5;
constexpr int kVocab = 12;
constexpr int kUnits = 8;
constexpr float kForgetBias = 1.0f;

struct LSTMState {
  Tensor c;
  Tensor h;
};

/// tf.nn.rnn_cell.LSTMCell(num_units) for one step: gates i, j, f, o.
LSTMState lstm_cell(const Tensor& x, const LSTMState& state) {
  v1::variable_scope scope("lstm_cell");
  Variable kernel = v1::get_variable("kernel", {x.dim(1) + kUnits, 4 * kUnits});
  Variable bias = v1::get_variable("bias", {4 * kUnits}, {.initializer = v1::zeros_initializer()});
  Tensor gates = v1::bias_add(v1::matmul(v1::concat({x, state.h}, 1), kernel), bias);
  std::vector<Tensor> ijfo = v1::split(gates, 4, {.axis = 1});
  Tensor forget = v1::sigmoid(v1::add(ijfo[2], Tensor::scalar_f32(kForgetBias)));
  Tensor c = v1::add(v1::mul(state.c, forget), v1::mul(v1::sigmoid(ijfo[0]), v1::tanh(ijfo[1])));
  Tensor h = v1::mul(v1::tanh(c), v1::sigmoid(ijfo[3]));
  return {c, h};
}

LSTMState zero_state(int batch) {
  return {Tensor(DType::Float32, {batch, kUnits}), Tensor(DType::Float32, {batch, kUnits})};
}

Variable embedding_matrix() {
  return v1::get_variable("embedding", {kVocab, kUnits},
                          {.initializer = v1::random_uniform_initializer({.minval = -0.5, .maxval = 0.5})});
}

/// The tied output layer: logits = h @ embedding^T + softmax_b.
Tensor tied_logits(const Tensor& h, const Variable& embedding) {
  Variable softmax_b = v1::get_variable("softmax_b", {kVocab}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(h, embedding, {.transpose_b = true}), softmax_b);
}

/// Training graph: logits for every position, [batch * steps, vocab].
Tensor language_model(const Tensor& ids) {
  v1::variable_scope scope("lm");
  Variable embedding = embedding_matrix();
  Tensor inputs = v1::embedding_lookup(embedding, ids); // [batch, steps, units]

  LSTMState state = zero_state(kBatch);
  std::vector<Tensor> outputs;
  {
    v1::variable_scope rnn("rnn");
    for (int t = 0; t < kSteps; ++t) {
      if (t > 0) v1::get_variable_scope().reuse_variables();
      Tensor x_t = v1::reshape(v1::slice(inputs, {0, t, 0}, {-1, 1, -1}), {kBatch, kUnits});
      state = lstm_cell(x_t, state);
      outputs.push_back(state.h);
    }
  }
  Tensor output = v1::reshape(v1::concat(outputs, 1), {kBatch * kSteps, kUnits});
  return tied_logits(output, embedding);
}

/// Greedy generation re-enters the model with AUTO_REUSE: every variable it
/// asks for already exists, so nothing new is created.
std::vector<std::int64_t> generate(std::int64_t start, int length) {
  v1::variable_scope scope("lm", {.reuse = v1::AUTO_REUSE});
  Variable embedding = embedding_matrix();
  LSTMState state = zero_state(1);
  std::vector<std::int64_t> tokens{start};
  for (int t = 0; t < length; ++t) {
    Tensor x = v1::embedding_lookup(embedding, Tensor::from_vector<std::int64_t>({tokens.back()}, {1}));
    {
      v1::variable_scope rnn("rnn");
      state = lstm_cell(x, state);
    }
    Tensor next = v1::argmax(tied_logits(state.h, embedding), {.axis = 1});
    tokens.push_back(next.item<std::int64_t>());
  }
  return tokens;
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    // Two sequences of token ids; targets are the inputs shifted by one.
    std::vector<std::int32_t> tokens, next_tokens;
    for (int b = 0; b < kBatch; ++b)
      for (int t = 0; t < kSteps; ++t) {
        tokens.push_back((3 * b + 5 * t + 1) % kVocab);
        next_tokens.push_back((3 * b + 5 * (t + 1) + 1) % kVocab);
      }
    Tensor ids = Tensor::from_vector(tokens, {kBatch, kSteps});
    Tensor targets = Tensor::from_vector(next_tokens, {kBatch * kSteps});

    Tensor logits = language_model(ids);
    Tensor loss = v1::reduce_mean(v1::sparse_softmax_cross_entropy_with_logits(targets, logits));
    std::vector<std::int64_t> sample = generate(/*start=*/1, /*length=*/6);

    examples::print_summary("lstm_lm");
    examples::print_tensor("input ids", ids);
    examples::print_tensor("logits of the last step",
                           v1::slice(v1::reshape(logits, {kBatch, kSteps, kVocab}), {0, kSteps - 1, 0}, {-1, 1, -1}));
    examples::print_scalar("loss", loss.item<float>());
    std::cout << "generated:";
    for (std::int64_t token : sample) std::cout << " " << token;
    std::cout << "\n";
    return examples::finish(args);
  });
}
