// bench/ops/models_eigen.h - the models of models.h written directly in
// Eigen, as a hand-written C++ inference path would be: the same weights
// (the Store's variable buffers, mapped in place), preallocated activations,
// elementwise steps done in place and fused where a hand-written path
// would fuse them, attention on strided blocks instead of transposes. The
// kernels are the runtime's own algorithms, compiled for the same
// instruction set as the runtime's (Eigen's GEMM via raw_gemm.h; per-row
// softmax and layer norm, Eigen's vectorised erf for the exact GELU and the
// LSTM's gate math via raw_math.h), so the difference to the runtime path is
// the op machinery (naming, dispatch, checks, a fresh output per op) and the
// extra memory passes of running op by op.
//
// Not thread-safe: a model object owns its activation buffers.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "models.h"
#include "raw_gemm.h"
#include "raw_math.h"
#include "varscope/eigen.h"
#include "varscope/varscope.h"

namespace varscope::bench {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

/// A weight of the store, viewed in place (the Tensor keeps the buffer).
struct Weight {
  Tensor keep;
  Weight() = default;
  Weight(Store& store, const std::string& name) : keep(variable_value(store, name)) {}
  const float* data() const { return keep.data<float>(); }
};

/// c[m, n] = a[m, k] * b[k, n] (b^T when tb: b is [n, k]) on row-major
/// blocks with row strides lda, ldb, ldc: Eigen's GEMM compiled for the
/// instruction set the runtime's matmul uses (raw_gemm.h).
inline void gemm(const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float* c, std::int64_t ldc,
                 std::int64_t m, std::int64_t k, std::int64_t n, bool tb = false) {
  raw_gemm().eigen_f32(a, lda, b, ldb, c, ldc, m, k, n, false, tb, nullptr);
}

/// c = a * w for a dense activation and a weight.
inline void gemm(const float* a, std::int64_t rows, const Weight& w, RowMatrix& c) {
  const std::int64_t k = w.keep.dim(0), n = w.keep.dim(1);
  gemm(a, k, w.keep.data<float>(), n, c.data(), n, rows, k, n);
}

class MlpEigen {
public:
  MlpEigen(Store& store, const MlpConfig& config) {
    for (std::size_t l = 0; l + 1 < config.widths.size(); ++l) {
      const std::string prefix = "mlp/dense_" + std::to_string(l) + "/";
      kernels_.emplace_back(store, prefix + "kernel");
      biases_.emplace_back(store, prefix + "bias");
      activations_.emplace_back(config.batch, config.widths[l + 1]);
    }
  }

  const RowMatrix& forward(const Tensor& x) {
    const float* in = x.data<float>();
    for (std::size_t l = 0; l < kernels_.size(); ++l) {
      RowMatrix& h = activations_[l];
      gemm(l == 0 ? in : activations_[l - 1].data(), h.rows(), kernels_[l], h);
      raw_math().add_bias(h.data(), biases_[l].data(), h.rows(), h.cols(), /*relu=*/l + 1 < kernels_.size());
    }
    return activations_.back();
  }

private:
  std::vector<Weight> kernels_;
  std::vector<Weight> biases_;
  std::vector<RowMatrix> activations_;
};

class LstmEigen {
public:
  LstmEigen(Store& store, const LstmConfig& config)
      : config_(config), kernel_(store, "rnn/basic_lstm_cell/kernel"), bias_(store, "rnn/basic_lstm_cell/bias"),
        xh_(config.batch, config.input + config.hidden), gates_(config.batch, 4 * config.hidden),
        c_(config.batch, config.hidden), h_(config.batch, config.hidden) {}

  /// Returns (c, h) after the last step.
  std::pair<const RowMatrix&, const RowMatrix&> forward(const Tensor& x) {
    const std::int64_t batch = config_.batch, input = config_.input, hidden = config_.hidden;
    const float* xp = x.data<float>();
    c_.setZero();
    h_.setZero();
    for (std::int64_t t = 0; t < config_.seq; ++t) {
      xh_.leftCols(input) = ConstMatrixMap(xp + t * batch * input, batch, input);
      xh_.rightCols(hidden) = h_;
      gemm(xh_.data(), batch, kernel_, gates_);
      raw_math().add_bias(gates_.data(), bias_.data(), batch, 4 * hidden, /*relu=*/false);
      raw_math().lstm_update(gates_.data(), c_.data(), h_.data(), batch, hidden, config_.forget_bias);
    }
    return {c_, h_};
  }

private:
  LstmConfig config_;
  Weight kernel_;
  Weight bias_;
  RowMatrix xh_, gates_, c_, h_;
};

class TransformerEigen {
public:
  TransformerEigen(Store& store, const TransformerConfig& config) : config_(config) {
    const std::int64_t rows = config.batch * config.seq;
    for (int l = 0; l < config.layers; ++l) {
      const std::string p = "encoder/layer_" + std::to_string(l) + "/";
      Layer layer;
      for (const char* name : {"query", "key", "value"}) {
        layer.proj_w.emplace_back(store, p + "attention/" + name + "/kernel");
        layer.proj_b.emplace_back(store, p + "attention/" + name + "/bias");
      }
      layer.wo = Weight(store, p + "attention/output/kernel");
      layer.bo = Weight(store, p + "attention/output/bias");
      layer.g1 = Weight(store, p + "attention_norm/gamma");
      layer.beta1 = Weight(store, p + "attention_norm/beta");
      layer.w1 = Weight(store, p + "ffn/intermediate/kernel");
      layer.b1 = Weight(store, p + "ffn/intermediate/bias");
      layer.w2 = Weight(store, p + "ffn/output/kernel");
      layer.b2 = Weight(store, p + "ffn/output/bias");
      layer.g2 = Weight(store, p + "ffn_norm/gamma");
      layer.beta2 = Weight(store, p + "ffn_norm/beta");
      layers_.push_back(std::move(layer));
    }
    h_.resize(rows, config.d_model);
    for (RowMatrix& m : qkv_) m.resize(rows, config.d_model);
    context_.resize(rows, config.d_model);
    projected_.resize(rows, config.d_model);
    inner_.resize(rows, config.ffn);
    scores_.resize(config.seq, config.seq);
  }

  const RowMatrix& forward(const Tensor& x) {
    const std::int64_t s = config_.seq, d = config_.d_model, dh = d / config_.heads;
    const float scale = 1.0F / std::sqrt(static_cast<float>(dh));
    h_ = as_matrix<const float>(x);
    for (Layer& layer : layers_) {
      for (int p = 0; p < 3; ++p) {
        gemm(h_.data(), h_.rows(), layer.proj_w[p], qkv_[p]);
        raw_math().add_bias(qkv_[p].data(), layer.proj_b[p].data(), qkv_[p].rows(), d, /*relu=*/false);
      }
      for (std::int64_t b = 0; b < config_.batch; ++b)
        for (std::int64_t head = 0; head < config_.heads; ++head) {
          // q, k, v and the context are [s, dh] blocks with row stride d.
          const std::int64_t at = b * s * d + head * dh;
          gemm(qkv_[0].data() + at, d, qkv_[1].data() + at, d, scores_.data(), s, s, dh, s, /*tb=*/true);
          raw_math().scaled_softmax_rows(scores_.data(), s, s, scale);
          gemm(scores_.data(), s, qkv_[2].data() + at, d, context_.data() + at, d, s, s, dh);
        }
      gemm(context_.data(), context_.rows(), layer.wo, projected_);
      const RawMath& math = raw_math();
      const std::int64_t rows = h_.rows(), ffn = inner_.cols();
      const auto epsilon = static_cast<float>(config_.epsilon);
      math.add_residual_bias(h_.data(), projected_.data(), layer.bo.data(), rows, d);
      math.layer_norm_rows(h_.data(), layer.g1.data(), layer.beta1.data(), rows, d, epsilon);
      gemm(h_.data(), rows, layer.w1, inner_);
      math.add_bias(inner_.data(), layer.b1.data(), rows, ffn, /*relu=*/false);
      math.gelu(inner_.data(), rows * ffn); // the runtime's exact GELU (Eigen's vectorised erf)
      gemm(inner_.data(), rows, layer.w2, projected_);
      math.add_residual_bias(h_.data(), projected_.data(), layer.b2.data(), rows, d);
      math.layer_norm_rows(h_.data(), layer.g2.data(), layer.beta2.data(), rows, d, epsilon);
    }
    return h_;
  }

private:
  struct Layer {
    std::vector<Weight> proj_w, proj_b;
    Weight wo, bo, g1, beta1, w1, b1, w2, b2, g2, beta2;
  };
  TransformerConfig config_;
  std::vector<Layer> layers_;
  RowMatrix h_, qkv_[3], context_, projected_, inner_, scores_;
};

/// max |a - b| over two equally sized float buffers.
inline double max_abs_diff(const float* a, const float* b, std::int64_t n) {
  double m = 0;
  for (std::int64_t i = 0; i < n; ++i) m = std::max(m, static_cast<double>(std::abs(a[i] - b[i])));
  return m;
}

} // namespace varscope::bench
