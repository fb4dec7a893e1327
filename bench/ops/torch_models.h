// bench/ops/torch_models.h - the libtorch side of torch_compare, behind an
// interface of plain C++ types: libtorch 1.13's headers do not compile as
// C++20 (c10::IValue in constexpr std::vector), so torch_models.cpp is built
// as C++17 and the varscope side (C++20) never sees a torch type.
//
// Not thread-safe: one object runs one forward at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace torch_bench {

/// A dense row-major float32 array.
struct HostTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> data;
};

/// Shapes of the three models (the same numbers as models.h's configs).
struct Shapes {
  std::int64_t mlp_batch;
  std::vector<std::int64_t> mlp_widths;
  std::int64_t lstm_batch, lstm_seq, lstm_input, lstm_hidden;
  float lstm_forget_bias;
  std::int64_t encoder_batch, encoder_seq, encoder_d_model, encoder_heads, encoder_ffn;
  int encoder_layers;
  double encoder_epsilon;
};

/// The varscope variable of a store name ("mlp/dense_0/kernel").
using WeightLookup = std::function<HostTensor(const std::string& name)>;

/// torch::nn::Sequential of Linear/ReLU, torch::nn::LSTM and
/// torch::nn::TransformerEncoderLayer x layers, with weights copied from the
/// varscope variables (transposed and reordered to torch's layouts).
class TorchModels {
public:
  TorchModels(const Shapes& shapes, const WeightLookup& weights);
  ~TorchModels();
  TorchModels(const TorchModels&) = delete;
  TorchModels& operator=(const TorchModels&) = delete;

  /// Inputs in varscope's layouts: MLP [batch, in], LSTM [seq, batch, input],
  /// encoder [batch, seq, d_model].
  void set_inputs(const HostTensor& mlp, const HostTensor& lstm, const HostTensor& encoder);
  /// torch::set_num_threads(n).
  static void set_threads(int threads);
  static int threads();
  /// Once, before any forward: at::set_num_interop_threads(1); returns the
  /// libtorch version and at::get_parallel_info().
  static std::string init();

  /// One forward each; the result is kept for the accessors below.
  void run_mlp();
  void run_lstm();
  void run_encoder();
  HostTensor mlp_output() const;
  /// The final cell state and hidden state ([batch, hidden]).
  HostTensor lstm_c() const;
  HostTensor lstm_h() const;
  /// [batch, seq, d_model].
  HostTensor encoder_output() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace torch_bench
