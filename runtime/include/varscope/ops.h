// varscope/ops.h - named ops with Eigen kernels (the explicit face).
//
//   Tensor logits = matmul(scope, x, w, {.transpose_b = true, .name = "logits"});
//   Tensor y = relu(scope, bias_add(scope, logits, b));
//
// Every op takes the Scope it runs in first and names itself as TF's Python
// wrapper does: `scope.unique_name(options.name or the op's default name)`,
// so under name scope "foo" two add() calls are "foo/Add" and "foo/Add_1";
// the returned tensor is named "<op name>:0". A name ending in "/" is used
// as-is without the slash (TF's absolute op name). Ops run eagerly on the
// CPU; when the store traces (Store::set_tracing) each op records an
// OpRecord. docs/ops.md lists every op with its default name and TF type.
//
// Errors carry TensorFlow's message text: shape errors are ValueError
// ("Dimensions must be equal, but are 3 and 4 for 'MatMul' (op: 'MatMul')
// with input shapes: [2,3], [4,5]."), dtype errors TypeError naming the op,
// out-of-range indices ValueError ("indices[1] = 7 is not in [0, 5)").
//
// This header does not include Eigen (see varscope/eigen.h).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "varscope/dtype.h"
#include "varscope/scope.h"
#include "varscope/tensor.h"
#include "varscope/variable.h"

namespace varscope {

// -- Options ---------------------------------------------------------------

/// The keyword arguments of ops that have nothing but a name.
struct OpOptions {
  /// The op name (default: the op's default name, see docs/ops.md).
  std::string name = {};
};

/// tf.matmul's keyword arguments.
struct MatMulOptions {
  bool transpose_a = false;
  bool transpose_b = false;
  std::string name = {};
};

/// tf.nn.gelu's keyword arguments.
struct GeluOptions {
  /// The tanh approximation 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))
  /// instead of the exact 0.5x(1 + erf(x/sqrt(2))).
  bool approximate = false;
  std::string name = {};
};

/// tf.nn.softmax / log_softmax keyword arguments.
struct SoftmaxOptions {
  int axis = -1;
  std::string name = {};
};

/// The `axis` argument of reductions: all axes (TF's None, the default), one
/// axis or a list (`.axis = 1`, `.axis = {0, 2}`); negative axes count from
/// the end. `Axes::none()` is TF's `axis=[]` (reduce nothing).
class Axes {
public:
  Axes() = default;
  Axes(int axis) : all_(false), scalar_(true), axes_{axis} {}
  Axes(std::initializer_list<int> axes) : all_(axes.size() == 0), axes_(axes) {}
  explicit Axes(std::vector<int> axes) : all_(false), axes_(std::move(axes)) {}
  static Axes none() { return Axes(std::vector<int>{}); }

  bool all() const { return all_; }
  /// True for a single axis given as an int (TF's scalar `axis`).
  bool is_scalar() const { return scalar_; }
  const std::vector<int>& axes() const { return axes_; }

private:
  bool all_ = true;
  bool scalar_ = false;
  std::vector<int> axes_;
};

/// tf.reduce_sum / reduce_mean / reduce_max keyword arguments.
struct ReduceOptions {
  Axes axis = {};
  bool keepdims = false;
  std::string name = {};
};

/// tf.split's keyword arguments.
struct SplitOptions {
  int axis = 0;
  std::string name = {};
};

/// tf.gather's keyword arguments.
struct GatherOptions {
  int axis = 0;
  std::string name = {};
};

/// tf.nn.embedding_lookup's keyword arguments.
struct EmbeddingLookupOptions {
  /// "mod" or "div", as in TF; only matters for more than one shard.
  std::string partition_strategy = "mod";
  std::string name = {};
};

/// tf.one_hot's keyword arguments.
struct OneHotOptions {
  double on_value = 1.0;
  double off_value = 0.0;
  int axis = -1;
  DType dtype = DType::Float32;
  std::string name = {};
};

/// layer_norm's keyword arguments (tf.contrib.layers.layer_norm's epsilon).
struct LayerNormOptions {
  double epsilon = 1e-12;
  std::string name = {};
};

/// tf.nn.dropout's keyword arguments (besides the rate).
struct DropoutOptions {
  /// The op seed: the mask is a hash of (seed, op name, element index), so
  /// the same program produces the same masks.
  std::uint64_t seed = 0;
  std::string name = {};
};

/// tf.nn.conv2d's keyword arguments (data_format NHWC, filter HWIO).
struct Conv2DOptions {
  /// 1, 2 or 4 values, as tf.nn.conv2d accepts ({2} or {2, 2} mean
  /// {1, 2, 2, 1}); the batch and channel strides must be 1.
  std::vector<std::int64_t> strides = {1};
  /// "SAME" or "VALID".
  std::string padding = "VALID";
  std::string name = {};
};

/// tf.nn.max_pool / avg_pool keyword arguments (NHWC).
struct PoolOptions {
  /// 1, 2 or 4 values as for Conv2DOptions::strides.
  std::vector<std::int64_t> ksize = {2};
  std::vector<std::int64_t> strides = {2};
  std::string padding = "VALID";
  std::string name = {};
};

/// tf.argmax's keyword arguments.
struct ArgMaxOptions {
  int axis = 0;
  /// int64 (TF's default) or int32.
  DType output_type = DType::Int64;
  std::string name = {};
};

// -- Math (NumPy broadcasting for the binary ops) ---------------------------

/// a @ b. Rank 2: MatMul. Rank > 2 on either side: BatchMatMulV2 with the
/// batch dimensions broadcast. float32, float64, int32, int64.
Tensor matmul(Scope& scope, const Tensor& a, const Tensor& b, MatMulOptions options = {});
/// float32, float64, int32, int64.
Tensor add(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options = {});
Tensor sub(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options = {});
Tensor mul(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options = {});
/// tf.divide / truediv: a RealDiv op named "truediv". float32, float64.
Tensor div(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options = {});
Tensor maximum(Scope& scope, const Tensor& x, const Tensor& y, OpOptions options = {});

// -- In place on temporaries ---------------------------------------------------
//
// The elementwise ops below (and layer_norm) also take their first tensor as
// an rvalue, as in `gelu(scope, bias_add(scope, matmul(scope, x, w), b))`.
// When no other Tensor shares that temporary's elements (Tensor::sole_owner)
// and it has at least 64 KiB of the output's dtype and shape, the op writes
// its result there instead of allocating: one buffer and one pass over
// memory fewer. Results, names, traces and errors are the same either way.
// std::move(t) opts a named tensor in; t is then empty, as after any move
// (unless the op threw: then t is untouched).

Tensor add(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options = {});
Tensor sub(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options = {});
Tensor mul(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options = {});
Tensor div(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options = {});
Tensor maximum(Scope& scope, Tensor&& x, const Tensor& y, OpOptions options = {});
Tensor bias_add(Scope& scope, Tensor&& value, const Tensor& bias, OpOptions options = {});
Tensor relu(Scope& scope, Tensor&& features, OpOptions options = {});
Tensor relu6(Scope& scope, Tensor&& features, OpOptions options = {});
Tensor elu(Scope& scope, Tensor&& features, OpOptions options = {});
Tensor gelu(Scope& scope, Tensor&& features, GeluOptions options = {});
Tensor sigmoid(Scope& scope, Tensor&& x, OpOptions options = {});
Tensor tanh(Scope& scope, Tensor&& x, OpOptions options = {});
Tensor exp(Scope& scope, Tensor&& x, OpOptions options = {});
Tensor log(Scope& scope, Tensor&& x, OpOptions options = {});
Tensor sqrt(Scope& scope, Tensor&& x, OpOptions options = {});
Tensor square(Scope& scope, Tensor&& x, OpOptions options = {});

// -- Activations (float32, float64) ------------------------------------------

/// value + bias along the last axis; bias is 1-D.
Tensor bias_add(Scope& scope, const Tensor& value, const Tensor& bias, OpOptions options = {});
Tensor relu(Scope& scope, const Tensor& features, OpOptions options = {});
Tensor relu6(Scope& scope, const Tensor& features, OpOptions options = {});
Tensor elu(Scope& scope, const Tensor& features, OpOptions options = {});
Tensor gelu(Scope& scope, const Tensor& features, GeluOptions options = {});
Tensor sigmoid(Scope& scope, const Tensor& x, OpOptions options = {});
Tensor tanh(Scope& scope, const Tensor& x, OpOptions options = {});
/// tf.exp, tf.math.log (natural), tf.sqrt, tf.square: elementwise.
Tensor exp(Scope& scope, const Tensor& x, OpOptions options = {});
Tensor log(Scope& scope, const Tensor& x, OpOptions options = {});
Tensor sqrt(Scope& scope, const Tensor& x, OpOptions options = {});
Tensor square(Scope& scope, const Tensor& x, OpOptions options = {});
Tensor softmax(Scope& scope, const Tensor& logits, SoftmaxOptions options = {});
Tensor log_softmax(Scope& scope, const Tensor& logits, SoftmaxOptions options = {});

// -- Reductions ----------------------------------------------------------------

/// float32, float64, int32, int64 (integer means truncate, as in TF).
Tensor reduce_sum(Scope& scope, const Tensor& input, ReduceOptions options = {});
Tensor reduce_mean(Scope& scope, const Tensor& input, ReduceOptions options = {});
Tensor reduce_max(Scope& scope, const Tensor& input, ReduceOptions options = {});
/// The index of the first maximum along `axis` (int64 or int32 output).
Tensor argmax(Scope& scope, const Tensor& input, ArgMaxOptions options = {});

// -- Array ops (any dtype except string unless noted) -------------------------

Tensor concat(Scope& scope, const std::vector<Tensor>& values, int axis, OpOptions options = {});
/// `num_splits` equal pieces along `options.axis` (op Split).
std::vector<Tensor> split(Scope& scope, const Tensor& value, int num_splits, SplitOptions options = {});
/// Pieces of the given sizes; one size may be -1 (op SplitV).
std::vector<Tensor> split(Scope& scope, const Tensor& value, const std::vector<std::int64_t>& size_splits,
                          SplitOptions options = {});
/// One dimension may be -1 (inferred). The result shares the buffer.
Tensor reshape(Scope& scope, const Tensor& tensor, const std::vector<std::int64_t>& shape, OpOptions options = {});
/// `perm` empty: reverse the dimensions (TF's default).
Tensor transpose(Scope& scope, const Tensor& x, const std::vector<int>& perm = {}, OpOptions options = {});
/// A size of -1 takes the rest of the dimension.
Tensor slice(Scope& scope, const Tensor& input, const std::vector<std::int64_t>& begin,
             const std::vector<std::int64_t>& size, OpOptions options = {});
/// params gathered along `options.axis` by int32/int64 indices.
Tensor gather(Scope& scope, const Tensor& params, const Tensor& indices, GatherOptions options = {});
/// Rows of `params` (its first axis) by int32/int64 ids: output shape is
/// ids.shape + params.shape[1:].
Tensor embedding_lookup(Scope& scope, const Tensor& params, const Tensor& ids, EmbeddingLookupOptions options = {});
/// The same over a variable; a partitioned variable (sliced along axis 0) is
/// looked up shard by shard with TF's "mod" or "div" strategy.
Tensor embedding_lookup(Scope& scope, const Variable& params, const Tensor& ids,
                        EmbeddingLookupOptions options = {});
/// The same over a list of shards (TF's list-of-tensors `params`).
Tensor embedding_lookup(Scope& scope, const std::vector<Tensor>& params, const Tensor& ids,
                        EmbeddingLookupOptions options = {});
/// int32/int64/uint8 indices; out-of-range indices give all off_value.
Tensor one_hot(Scope& scope, const Tensor& indices, std::int64_t depth, OneHotOptions options = {});

// -- Neural-network ops (float32, float64) -------------------------------------

/// (x - mean) / sqrt(variance + epsilon) * gamma + beta over the last axis;
/// gamma and beta are 1-D of the last dimension, or undefined (Tensor()) to
/// skip the scale or the shift.
Tensor layer_norm(Scope& scope, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                  LayerNormOptions options = {});
/// In place on an expiring x (see "In place on temporaries" above).
Tensor layer_norm(Scope& scope, Tensor&& x, const Tensor& gamma, const Tensor& beta, LayerNormOptions options = {});
/// Zeroes elements with probability `rate` and scales the rest by
/// 1 / (1 - rate). ValueError unless 0 <= rate < 1.
Tensor dropout(Scope& scope, const Tensor& x, double rate, DropoutOptions options = {});
Tensor conv2d(Scope& scope, const Tensor& input, const Tensor& filter, Conv2DOptions options = {});
Tensor max_pool(Scope& scope, const Tensor& value, PoolOptions options = {});
/// With SAME padding, each window divides by its count of valid elements.
Tensor avg_pool(Scope& scope, const Tensor& value, PoolOptions options = {});
/// Per-example losses: labels [batch...] (int32/int64), logits
/// [batch..., classes]; a label outside [0, classes) is a ValueError.
Tensor sparse_softmax_cross_entropy_with_logits(Scope& scope, const Tensor& labels, const Tensor& logits,
                                                OpOptions options = {});

} // namespace varscope
