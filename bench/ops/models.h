// bench/ops/models.h - three models written with varscope's explicit API
// (variables through get_variable under scopes, ops from varscope/ops.h),
// shared by ops_overhead_bench and torch_compare.
//
// Every forward enters its variable scope with AUTO_REUSE, so the first call
// creates the variables and every later call reuses them, as a TF1 model
// function called once per step does. Layouts follow TF1: dense kernels are
// [in, out], the LSTM is BasicLSTMCell (kernel [input + hidden, 4 * hidden],
// gates i, j, f, o, forget_bias 1), the encoder is BERT's post-LN layer.
//
// Header-only on purpose: the benchmarks compile it with the runtime's own
// flags. Not thread-safe beyond what Scope allows (one thread per context).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "varscope/varscope.h"

namespace varscope::bench {

struct MlpConfig {
  std::int64_t batch = 64;
  std::vector<std::int64_t> widths = {784, 1024, 1024, 10};
};

struct LstmConfig {
  std::int64_t batch = 32;
  std::int64_t seq = 32;
  std::int64_t input = 512;
  std::int64_t hidden = 512;
  float forget_bias = 1.0F;
};

struct TransformerConfig {
  std::int64_t batch = 8;
  std::int64_t seq = 128;
  std::int64_t d_model = 256;
  std::int64_t heads = 4;
  std::int64_t ffn = 1024;
  int layers = 2;
  /// torch::nn::LayerNorm's default, so both sides normalise alike.
  double epsilon = 1e-5;
};

/// Small non-zero biases, so the numerical comparison exercises them.
inline Initializer bias_initializer() { return random_uniform_initializer({.minval = -0.1, .maxval = 0.1}); }

/// x [batch, in] -> dense + ReLU ... -> dense (no activation on the last).
inline Tensor mlp_forward(Scope& scope, const Tensor& x, const MlpConfig& config) {
  Scope model = scope.variable_scope("mlp", {.reuse = AUTO_REUSE});
  Tensor h = x;
  const std::size_t layers = config.widths.size() - 1;
  for (std::size_t l = 0; l < layers; ++l) {
    Scope dense = model.variable_scope("dense_" + std::to_string(l));
    const Tensor w = dense.get_variable("kernel", {config.widths[l], config.widths[l + 1]});
    const Tensor b = dense.get_variable("bias", {config.widths[l + 1]}, {.initializer = bias_initializer()});
    h = bias_add(dense, matmul(dense, h, w), b);
    if (l + 1 < layers) h = relu(dense, h);
  }
  return h;
}

struct LstmState {
  Tensor c;
  Tensor h;
};

/// BasicLSTMCell's state update from the step's gates [batch, 4 * hidden]
/// (i, j, f, o).
inline void lstm_update(Scope& cell, const Tensor& gates, const Tensor& forget_bias, LstmState& state) {
  const std::vector<Tensor> ijfo = split(cell, gates, 4, {.axis = 1});
  const Tensor forget = sigmoid(cell, add(cell, ijfo[2], forget_bias));
  state.c = add(cell, mul(cell, state.c, forget), mul(cell, sigmoid(cell, ijfo[0]), tanh(cell, ijfo[1])));
  state.h = mul(cell, tanh(cell, state.c), sigmoid(cell, ijfo[3]));
}

/// x [seq, batch, input] -> the final (c, h), TF1 BasicLSTMCell unrolled
/// (static_rnn): the cell's variables are fetched with get_variable at every
/// step and shared over time through AUTO_REUSE.
inline LstmState lstm_forward(Scope& scope, const Tensor& x, const LstmConfig& config) {
  Scope rnn = scope.variable_scope("rnn", {.reuse = AUTO_REUSE});
  const Tensor forget_bias = Tensor::scalar<float>(config.forget_bias);
  LstmState state{Tensor(DType::Float32, {config.batch, config.hidden}),
                  Tensor(DType::Float32, {config.batch, config.hidden})};
  const std::vector<Tensor> steps = split(rnn, x, static_cast<int>(config.seq), {.axis = 0, .name = "unstack"});
  for (const Tensor& step : steps) {
    Scope cell = rnn.variable_scope("basic_lstm_cell");
    const Tensor kernel = cell.get_variable("kernel", {config.input + config.hidden, 4 * config.hidden});
    const Tensor bias = cell.get_variable("bias", {4 * config.hidden}, {.initializer = bias_initializer()});
    const Tensor xt = reshape(cell, step, {config.batch, config.input});
    const Tensor gates = bias_add(cell, matmul(cell, concat(cell, {xt, state.h}, 1), kernel), bias);
    lstm_update(cell, gates, forget_bias, state);
  }
  return state;
}

/// The same LSTM with the same variables, computed the way TF's
/// LSTMBlockFusedCell and torch::nn::LSTM do: the kernel's input rows are
/// applied to every step in one [seq * batch, input] GEMM before the loop,
/// so a step multiplies only h by the hidden rows ([hidden, 4 * hidden],
/// half the weight the cell form reads per step). Equal to lstm_forward up
/// to rounding (x W_x + h W_h is summed in two parts).
inline LstmState lstm_fused_forward(Scope& scope, const Tensor& x, const LstmConfig& config) {
  Scope rnn = scope.variable_scope("rnn", {.reuse = AUTO_REUSE});
  Scope cell = rnn.variable_scope("basic_lstm_cell");
  const Tensor kernel = cell.get_variable("kernel", {config.input + config.hidden, 4 * config.hidden});
  const Tensor bias = cell.get_variable("bias", {4 * config.hidden}, {.initializer = bias_initializer()});
  const std::vector<Tensor> rows = split(cell, kernel, {config.input, config.hidden}, {.axis = 0});
  const Tensor forget_bias = Tensor::scalar<float>(config.forget_bias);
  const Tensor inputs = reshape(cell, x, {config.seq * config.batch, config.input});
  const Tensor projected = bias_add(cell, matmul(cell, inputs, rows[0]), bias);
  const std::vector<Tensor> steps = split(cell, projected, static_cast<int>(config.seq), {.axis = 0});
  LstmState state{Tensor(DType::Float32, {config.batch, config.hidden}),
                  Tensor(DType::Float32, {config.batch, config.hidden})};
  for (const Tensor& step : steps) {
    const Tensor gates = add(cell, step, matmul(cell, state.h, rows[1]));
    lstm_update(cell, gates, forget_bias, state);
  }
  return state;
}

/// x [batch, seq, d_model] -> [batch, seq, d_model]: post-LN encoder layers
/// (self-attention, add & norm, GELU feed-forward, add & norm), no masks,
/// no dropout (inference).
inline Tensor transformer_forward(Scope& scope, const Tensor& x, const TransformerConfig& config) {
  const std::int64_t b = config.batch;
  const std::int64_t s = config.seq;
  const std::int64_t d = config.d_model;
  const std::int64_t heads = config.heads;
  const std::int64_t dh = d / heads;
  Scope encoder = scope.variable_scope("encoder", {.reuse = AUTO_REUSE});
  Tensor h = reshape(encoder, x, {b * s, d});
  const Tensor scale = Tensor::scalar<float>(1.0F / std::sqrt(static_cast<float>(dh)));
  for (int l = 0; l < config.layers; ++l) {
    Scope layer = encoder.variable_scope("layer_" + std::to_string(l));
    Tensor attention_out;
    {
      Scope attention = layer.variable_scope("attention");
      auto project = [&](const char* name) {
        Scope p = attention.variable_scope(name);
        const Tensor w = p.get_variable("kernel", {d, d});
        const Tensor bias = p.get_variable("bias", {d}, {.initializer = bias_initializer()});
        const Tensor y = bias_add(p, matmul(p, h, w), bias);
        return transpose(p, reshape(p, y, {b, s, heads, dh}), {0, 2, 1, 3}); // [b, heads, s, dh]
      };
      const Tensor q = project("query");
      const Tensor k = project("key");
      const Tensor v = project("value");
      const Tensor scores = mul(attention, matmul(attention, q, k, {.transpose_b = true}), scale);
      const Tensor context = matmul(attention, softmax(attention, scores), v); // [b, heads, s, dh]
      const Tensor merged = reshape(attention, transpose(attention, context, {0, 2, 1, 3}), {b * s, d});
      Scope output = attention.variable_scope("output");
      const Tensor wo = output.get_variable("kernel", {d, d});
      const Tensor bo = output.get_variable("bias", {d}, {.initializer = bias_initializer()});
      attention_out = bias_add(output, matmul(output, merged, wo), bo);
    }
    {
      Scope norm = layer.variable_scope("attention_norm");
      const Tensor gamma = norm.get_variable("gamma", {d}, {.initializer = ones_initializer()});
      const Tensor beta = norm.get_variable("beta", {d}, {.initializer = zeros_initializer()});
      h = layer_norm(norm, add(norm, h, attention_out), gamma, beta, {.epsilon = config.epsilon});
    }
    Tensor ffn_out;
    {
      Scope ffn = layer.variable_scope("ffn");
      Scope in = ffn.variable_scope("intermediate");
      const Tensor w1 = in.get_variable("kernel", {d, config.ffn});
      const Tensor b1 = in.get_variable("bias", {config.ffn}, {.initializer = bias_initializer()});
      const Tensor inner = gelu(in, bias_add(in, matmul(in, h, w1), b1));
      Scope out = ffn.variable_scope("output");
      const Tensor w2 = out.get_variable("kernel", {config.ffn, d});
      const Tensor b2 = out.get_variable("bias", {d}, {.initializer = bias_initializer()});
      ffn_out = bias_add(out, matmul(out, inner, w2), b2);
    }
    {
      Scope norm = layer.variable_scope("ffn_norm");
      const Tensor gamma = norm.get_variable("gamma", {d}, {.initializer = ones_initializer()});
      const Tensor beta = norm.get_variable("beta", {d}, {.initializer = zeros_initializer()});
      h = layer_norm(norm, add(norm, h, ffn_out), gamma, beta, {.epsilon = config.epsilon});
    }
  }
  return reshape(encoder, h, {b, s, d});
}

/// A deterministic input of `shape` (uniform in [-1, 1)).
inline Tensor random_input(Store& store, const Shape& shape, std::int64_t seed) {
  Scope root = store.root_scope();
  Scope inputs = root.variable_scope("inputs");
  return inputs.get_variable("x_" + std::to_string(seed), shape,
                             {.initializer = random_uniform_initializer({.minval = -1.0, .maxval = 1.0, .seed = seed}),
                              .trainable = false})
      .value();
}

/// The value of the variable `name` in `store` (must exist).
inline Tensor variable_value(Store& store, const std::string& name) {
  std::optional<Variable> v = store.find(name);
  if (!v) throw ValueError("bench: no variable " + name);
  return v->value();
}

} // namespace varscope::bench
