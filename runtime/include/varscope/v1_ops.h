// varscope/v1_ops.h - the ops of varscope/ops.h in the implicit face.
//
//   v1::name_scope ns("foo");
//   Tensor y = v1::add(a, b);   // "foo/Add:0"
//
// The same functions without the Scope argument: each forwards to the
// calling thread's current scope (v1::detail::current_scope()), so ops are
// named under the thread's current name scope, exactly as the explicit ops
// are under their handle's. Included at the end of varscope/v1.h.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "varscope/ops.h"
#include "varscope/scope.h"
#include "varscope/tensor.h"
#include "varscope/variable.h"

namespace varscope::v1 {

namespace detail {
/// The calling thread's current scope handle (declared in varscope/v1.h).
Scope& current_scope();
} // namespace detail

using varscope::ArgMaxOptions;
using varscope::Axes;
using varscope::Conv2DOptions;
using varscope::DropoutOptions;
using varscope::EmbeddingLookupOptions;
using varscope::GatherOptions;
using varscope::GeluOptions;
using varscope::LayerNormOptions;
using varscope::MatMulOptions;
using varscope::OneHotOptions;
using varscope::OpOptions;
using varscope::PoolOptions;
using varscope::ReduceOptions;
using varscope::SoftmaxOptions;
using varscope::SplitOptions;

// -- Math

inline Tensor matmul(const Tensor& a, const Tensor& b, MatMulOptions options = {}) {
  return varscope::matmul(detail::current_scope(), a, b, std::move(options));
}
inline Tensor add(const Tensor& x, const Tensor& y, OpOptions options = {}) {
  return varscope::add(detail::current_scope(), x, y, std::move(options));
}
inline Tensor sub(const Tensor& x, const Tensor& y, OpOptions options = {}) {
  return varscope::sub(detail::current_scope(), x, y, std::move(options));
}
inline Tensor mul(const Tensor& x, const Tensor& y, OpOptions options = {}) {
  return varscope::mul(detail::current_scope(), x, y, std::move(options));
}
inline Tensor div(const Tensor& x, const Tensor& y, OpOptions options = {}) {
  return varscope::div(detail::current_scope(), x, y, std::move(options));
}
inline Tensor maximum(const Tensor& x, const Tensor& y, OpOptions options = {}) {
  return varscope::maximum(detail::current_scope(), x, y, std::move(options));
}

// -- Activations

inline Tensor bias_add(const Tensor& value, const Tensor& bias, OpOptions options = {}) {
  return varscope::bias_add(detail::current_scope(), value, bias, std::move(options));
}
inline Tensor relu(const Tensor& features, OpOptions options = {}) {
  return varscope::relu(detail::current_scope(), features, std::move(options));
}
inline Tensor relu6(const Tensor& features, OpOptions options = {}) {
  return varscope::relu6(detail::current_scope(), features, std::move(options));
}
inline Tensor elu(const Tensor& features, OpOptions options = {}) {
  return varscope::elu(detail::current_scope(), features, std::move(options));
}
inline Tensor gelu(const Tensor& features, GeluOptions options = {}) {
  return varscope::gelu(detail::current_scope(), features, std::move(options));
}
inline Tensor sigmoid(const Tensor& x, OpOptions options = {}) {
  return varscope::sigmoid(detail::current_scope(), x, std::move(options));
}
inline Tensor tanh(const Tensor& x, OpOptions options = {}) {
  return varscope::tanh(detail::current_scope(), x, std::move(options));
}
inline Tensor exp(const Tensor& x, OpOptions options = {}) {
  return varscope::exp(detail::current_scope(), x, std::move(options));
}
inline Tensor log(const Tensor& x, OpOptions options = {}) {
  return varscope::log(detail::current_scope(), x, std::move(options));
}
inline Tensor sqrt(const Tensor& x, OpOptions options = {}) {
  return varscope::sqrt(detail::current_scope(), x, std::move(options));
}
inline Tensor square(const Tensor& x, OpOptions options = {}) {
  return varscope::square(detail::current_scope(), x, std::move(options));
}
inline Tensor softmax(const Tensor& logits, SoftmaxOptions options = {}) {
  return varscope::softmax(detail::current_scope(), logits, std::move(options));
}
inline Tensor log_softmax(const Tensor& logits, SoftmaxOptions options = {}) {
  return varscope::log_softmax(detail::current_scope(), logits, std::move(options));
}

// -- Reductions

inline Tensor reduce_sum(const Tensor& input, ReduceOptions options = {}) {
  return varscope::reduce_sum(detail::current_scope(), input, std::move(options));
}
inline Tensor reduce_mean(const Tensor& input, ReduceOptions options = {}) {
  return varscope::reduce_mean(detail::current_scope(), input, std::move(options));
}
inline Tensor reduce_max(const Tensor& input, ReduceOptions options = {}) {
  return varscope::reduce_max(detail::current_scope(), input, std::move(options));
}
inline Tensor argmax(const Tensor& input, ArgMaxOptions options = {}) {
  return varscope::argmax(detail::current_scope(), input, std::move(options));
}

// -- Array ops

inline Tensor concat(const std::vector<Tensor>& values, int axis, OpOptions options = {}) {
  return varscope::concat(detail::current_scope(), values, axis, std::move(options));
}
inline std::vector<Tensor> split(const Tensor& value, int num_splits, SplitOptions options = {}) {
  return varscope::split(detail::current_scope(), value, num_splits, std::move(options));
}
inline std::vector<Tensor> split(const Tensor& value, const std::vector<std::int64_t>& size_splits,
                                 SplitOptions options = {}) {
  return varscope::split(detail::current_scope(), value, size_splits, std::move(options));
}
inline Tensor reshape(const Tensor& tensor, const std::vector<std::int64_t>& shape, OpOptions options = {}) {
  return varscope::reshape(detail::current_scope(), tensor, shape, std::move(options));
}
inline Tensor transpose(const Tensor& x, const std::vector<int>& perm = {}, OpOptions options = {}) {
  return varscope::transpose(detail::current_scope(), x, perm, std::move(options));
}
inline Tensor slice(const Tensor& input, const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size,
                    OpOptions options = {}) {
  return varscope::slice(detail::current_scope(), input, begin, size, std::move(options));
}
inline Tensor gather(const Tensor& params, const Tensor& indices, GatherOptions options = {}) {
  return varscope::gather(detail::current_scope(), params, indices, std::move(options));
}
inline Tensor embedding_lookup(const Tensor& params, const Tensor& ids, EmbeddingLookupOptions options = {}) {
  return varscope::embedding_lookup(detail::current_scope(), params, ids, std::move(options));
}
inline Tensor embedding_lookup(const Variable& params, const Tensor& ids, EmbeddingLookupOptions options = {}) {
  return varscope::embedding_lookup(detail::current_scope(), params, ids, std::move(options));
}
inline Tensor embedding_lookup(const std::vector<Tensor>& params, const Tensor& ids,
                               EmbeddingLookupOptions options = {}) {
  return varscope::embedding_lookup(detail::current_scope(), params, ids, std::move(options));
}
inline Tensor one_hot(const Tensor& indices, std::int64_t depth, OneHotOptions options = {}) {
  return varscope::one_hot(detail::current_scope(), indices, depth, std::move(options));
}

// -- Neural-network ops

inline Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, LayerNormOptions options = {}) {
  return varscope::layer_norm(detail::current_scope(), x, gamma, beta, std::move(options));
}
inline Tensor dropout(const Tensor& x, double rate, DropoutOptions options = {}) {
  return varscope::dropout(detail::current_scope(), x, rate, std::move(options));
}
inline Tensor conv2d(const Tensor& input, const Tensor& filter, Conv2DOptions options = {}) {
  return varscope::conv2d(detail::current_scope(), input, filter, std::move(options));
}
inline Tensor max_pool(const Tensor& value, PoolOptions options = {}) {
  return varscope::max_pool(detail::current_scope(), value, std::move(options));
}
inline Tensor avg_pool(const Tensor& value, PoolOptions options = {}) {
  return varscope::avg_pool(detail::current_scope(), value, std::move(options));
}
inline Tensor sparse_softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits,
                                                       OpOptions options = {}) {
  return varscope::sparse_softmax_cross_entropy_with_logits(detail::current_scope(), labels, logits,
                                                            std::move(options));
}


// -- In place on temporaries (varscope/ops.h): the same ops given their first
// tensor as an rvalue may write their result into it.

inline Tensor add(Tensor&& x, const Tensor& y, OpOptions options = {}) {
  return varscope::add(detail::current_scope(), std::move(x), y, std::move(options));
}
inline Tensor sub(Tensor&& x, const Tensor& y, OpOptions options = {}) {
  return varscope::sub(detail::current_scope(), std::move(x), y, std::move(options));
}
inline Tensor mul(Tensor&& x, const Tensor& y, OpOptions options = {}) {
  return varscope::mul(detail::current_scope(), std::move(x), y, std::move(options));
}
inline Tensor div(Tensor&& x, const Tensor& y, OpOptions options = {}) {
  return varscope::div(detail::current_scope(), std::move(x), y, std::move(options));
}
inline Tensor maximum(Tensor&& x, const Tensor& y, OpOptions options = {}) {
  return varscope::maximum(detail::current_scope(), std::move(x), y, std::move(options));
}
inline Tensor bias_add(Tensor&& value, const Tensor& bias, OpOptions options = {}) {
  return varscope::bias_add(detail::current_scope(), std::move(value), bias, std::move(options));
}
inline Tensor relu(Tensor&& features, OpOptions options = {}) {
  return varscope::relu(detail::current_scope(), std::move(features), std::move(options));
}
inline Tensor relu6(Tensor&& features, OpOptions options = {}) {
  return varscope::relu6(detail::current_scope(), std::move(features), std::move(options));
}
inline Tensor elu(Tensor&& features, OpOptions options = {}) {
  return varscope::elu(detail::current_scope(), std::move(features), std::move(options));
}
inline Tensor gelu(Tensor&& features, GeluOptions options = {}) {
  return varscope::gelu(detail::current_scope(), std::move(features), std::move(options));
}
inline Tensor sigmoid(Tensor&& x, OpOptions options = {}) {
  return varscope::sigmoid(detail::current_scope(), std::move(x), std::move(options));
}
inline Tensor tanh(Tensor&& x, OpOptions options = {}) {
  return varscope::tanh(detail::current_scope(), std::move(x), std::move(options));
}
inline Tensor exp(Tensor&& x, OpOptions options = {}) {
  return varscope::exp(detail::current_scope(), std::move(x), std::move(options));
}
inline Tensor log(Tensor&& x, OpOptions options = {}) {
  return varscope::log(detail::current_scope(), std::move(x), std::move(options));
}
inline Tensor sqrt(Tensor&& x, OpOptions options = {}) {
  return varscope::sqrt(detail::current_scope(), std::move(x), std::move(options));
}
inline Tensor square(Tensor&& x, OpOptions options = {}) {
  return varscope::square(detail::current_scope(), std::move(x), std::move(options));
}
inline Tensor layer_norm(Tensor&& x, const Tensor& gamma, const Tensor& beta, LayerNormOptions options = {}) {
  return varscope::layer_norm(detail::current_scope(), std::move(x), gamma, beta, std::move(options));
}

} // namespace varscope::v1
