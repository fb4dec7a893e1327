// bench/ops/torch_models.cpp - the libtorch side of torch_compare (C++17;
// see torch_models.h). Weights come from the varscope Store: dense kernels
// [in, out] become Linear weights [out, in]; BasicLSTMCell's kernel
// [input + hidden, 4 * hidden] with gate columns i, j, f, o becomes
// weight_ih/weight_hh with rows i, f, g(=j), o, and TF's forget_bias moves
// into bias_ih; the encoder's q/k/v kernels stack into in_proj_weight.
#include "torch_models.h"

#include <torch/torch.h>

namespace torch_bench {

namespace {

torch::Tensor to_torch(const HostTensor& t) {
  return torch::from_blob(const_cast<float*>(t.data.data()), t.shape, torch::kFloat32).clone();
}

HostTensor to_host(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  HostTensor out;
  out.shape.assign(c.sizes().begin(), c.sizes().end());
  out.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  return out;
}

} // namespace

struct TorchModels::Impl {
  Shapes shapes;
  torch::nn::Sequential mlp;
  torch::nn::LSTM lstm{nullptr};
  std::vector<torch::nn::TransformerEncoderLayer> encoder;
  torch::Tensor mlp_x, lstm_x, encoder_x; // encoder_x is [seq, batch, d]
  torch::Tensor mlp_y, lstm_c, lstm_h, encoder_y;
};

TorchModels::TorchModels(const Shapes& shapes, const WeightLookup& lookup) : impl_(std::make_unique<Impl>()) {
  torch::NoGradGuard no_grad;
  Impl& m = *impl_;
  m.shapes = shapes;
  auto weight = [&](const std::string& name) { return to_torch(lookup(name)); };

  const std::size_t layers = shapes.mlp_widths.size() - 1;
  for (std::size_t l = 0; l < layers; ++l) {
    torch::nn::Linear linear(shapes.mlp_widths[l], shapes.mlp_widths[l + 1]);
    const std::string prefix = "mlp/dense_" + std::to_string(l) + "/";
    linear->weight.copy_(weight(prefix + "kernel").t());
    linear->bias.copy_(weight(prefix + "bias"));
    m.mlp->push_back(linear);
    if (l + 1 < layers) m.mlp->push_back(torch::nn::ReLU());
  }
  m.mlp->eval();

  m.lstm = torch::nn::LSTM(torch::nn::LSTMOptions(shapes.lstm_input, shapes.lstm_hidden));
  const torch::Tensor kernel = weight("rnn/basic_lstm_cell/kernel").t(); // [4H, I+H]
  const torch::Tensor bias = weight("rnn/basic_lstm_cell/bias");
  const std::int64_t h = shapes.lstm_hidden;
  auto gate = [&](const torch::Tensor& t, int g) { return t.slice(0, g * h, (g + 1) * h); };
  const torch::Tensor w = torch::cat({gate(kernel, 0), gate(kernel, 2), gate(kernel, 1), gate(kernel, 3)}, 0);
  const torch::Tensor b =
      torch::cat({gate(bias, 0), gate(bias, 2) + shapes.lstm_forget_bias, gate(bias, 1), gate(bias, 3)}, 0);
  for (auto& p : m.lstm->named_parameters()) {
    if (p.key() == "weight_ih_l0") p.value().copy_(w.slice(1, 0, shapes.lstm_input));
    if (p.key() == "weight_hh_l0") p.value().copy_(w.slice(1, shapes.lstm_input, shapes.lstm_input + h));
    if (p.key() == "bias_ih_l0") p.value().copy_(b);
    if (p.key() == "bias_hh_l0") p.value().zero_();
  }
  m.lstm->eval();

  for (int l = 0; l < shapes.encoder_layers; ++l) {
    torch::nn::TransformerEncoderLayer layer(
        torch::nn::TransformerEncoderLayerOptions(shapes.encoder_d_model, shapes.encoder_heads)
            .dim_feedforward(shapes.encoder_ffn)
            .dropout(0.0)
            .activation(torch::kGELU));
    const std::string p = "encoder/layer_" + std::to_string(l) + "/";
    auto& attention = layer->self_attn;
    attention->in_proj_weight.copy_(torch::cat({weight(p + "attention/query/kernel").t(),
                                                weight(p + "attention/key/kernel").t(),
                                                weight(p + "attention/value/kernel").t()},
                                               0));
    attention->in_proj_bias.copy_(torch::cat(
        {weight(p + "attention/query/bias"), weight(p + "attention/key/bias"), weight(p + "attention/value/bias")}));
    attention->out_proj->weight.copy_(weight(p + "attention/output/kernel").t());
    attention->out_proj->bias.copy_(weight(p + "attention/output/bias"));
    layer->norm1->weight.copy_(weight(p + "attention_norm/gamma"));
    layer->norm1->bias.copy_(weight(p + "attention_norm/beta"));
    layer->norm1->options.eps(shapes.encoder_epsilon);
    layer->linear1->weight.copy_(weight(p + "ffn/intermediate/kernel").t());
    layer->linear1->bias.copy_(weight(p + "ffn/intermediate/bias"));
    layer->linear2->weight.copy_(weight(p + "ffn/output/kernel").t());
    layer->linear2->bias.copy_(weight(p + "ffn/output/bias"));
    layer->norm2->weight.copy_(weight(p + "ffn_norm/gamma"));
    layer->norm2->bias.copy_(weight(p + "ffn_norm/beta"));
    layer->norm2->options.eps(shapes.encoder_epsilon);
    layer->eval();
    m.encoder.push_back(layer);
  }
}

TorchModels::~TorchModels() = default;

void TorchModels::set_inputs(const HostTensor& mlp, const HostTensor& lstm, const HostTensor& encoder) {
  impl_->mlp_x = to_torch(mlp);
  impl_->lstm_x = to_torch(lstm);
  impl_->encoder_x = to_torch(encoder).transpose(0, 1).contiguous();
}

void TorchModels::set_threads(int threads) { torch::set_num_threads(threads); }
int TorchModels::threads() { return torch::get_num_threads(); }

std::string TorchModels::init() {
  at::set_num_interop_threads(1);
  return std::string("libtorch ") + TORCH_VERSION + "\n" + at::get_parallel_info();
}

void TorchModels::run_mlp() {
  torch::NoGradGuard no_grad;
  impl_->mlp_y = impl_->mlp->forward(impl_->mlp_x);
}

void TorchModels::run_lstm() {
  torch::NoGradGuard no_grad;
  auto out = impl_->lstm->forward(impl_->lstm_x);
  impl_->lstm_h = std::get<0>(std::get<1>(out))[0];
  impl_->lstm_c = std::get<1>(std::get<1>(out))[0];
}

void TorchModels::run_encoder() {
  torch::NoGradGuard no_grad;
  torch::Tensor h = impl_->encoder_x;
  for (auto& layer : impl_->encoder) h = layer->forward(h);
  impl_->encoder_y = h.transpose(0, 1); // [batch, seq, d]
}

HostTensor TorchModels::mlp_output() const { return to_host(impl_->mlp_y); }
HostTensor TorchModels::lstm_c() const { return to_host(impl_->lstm_c); }
HostTensor TorchModels::lstm_h() const { return to_host(impl_->lstm_h); }
HostTensor TorchModels::encoder_output() const { return to_host(impl_->encoder_y); }

} // namespace torch_bench
