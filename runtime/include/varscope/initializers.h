// varscope/initializers.h - variable initializers, mirroring tf.compat.v1's.
//
// Random initializers draw from a counter-based generator (Philox4x32-10)
// keyed by the store's graph seed, the initializer's op seed and the full
// store name of the variable. Element i of a variable always gets the same
// value, whatever the creation order, the thread or the partitioning (a shard
// holds exactly the slice of the unpartitioned values), so a program and its
// migrated form produce bit-identical weights.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "varscope/detail/function.h"
#include "varscope/dtype.h"
#include "varscope/shape.h"
#include "varscope/tensor.h"

namespace varscope {

/// TF's PartitionInfo: where a shard sits inside the full variable.
/// Immutable value type; thread-safe.
class PartitionInfo {
public:
  /// Throws ValueError like TF when lengths differ or an offset is out of
  /// [0, shape) (tf-semantics.md §6.3).
  PartitionInfo(Shape full_shape, std::vector<std::int64_t> var_offset);

  const Shape& full_shape() const { return full_shape_; }
  const std::vector<std::int64_t>& var_offset() const { return var_offset_; }
  /// The unique dimension in which `shape` differs from full_shape(), or -1
  /// when none does; ValueError when several do or the slice overflows.
  int single_slice_dim(const Shape& shape) const;
  /// var_offset()[single_slice_dim(shape)], or 0 when not partitioned.
  std::int64_t single_offset(const Shape& shape) const;

private:
  Shape full_shape_;
  std::vector<std::int64_t> var_offset_;
};

/// What an initializer is told besides shape and dtype.
struct InitContext {
  /// Full store name of the variable ("foo/bar/w"); for a shard, the name of
  /// the partitioned variable it belongs to ("foo/emb", not "foo/emb/part_0").
  std::string_view name = {};
  /// The store's graph seed.
  std::uint64_t graph_seed = 0;
  /// Set when initializing one shard of a partitioned variable.
  const PartitionInfo* partition_info = nullptr;
};

/// An initializer callable: returns a tensor of exactly `shape` and `dtype`.
using InitializerFn = Function<Tensor(const Shape& shape, DType dtype, const InitContext& ctx)>;

/// The `initializer` keyword argument: nothing (TF's None), a callable
/// initializer, or a constant value to initialize from (TF's "initializing
/// from value": the variable takes the value's shape and, unless a dtype is
/// given explicitly, its dtype). Cheap to copy. Immutable: the built-in
/// initializers may be called from several threads at once.
class Initializer {
public:
  Initializer() = default;
  /// A callable initializer; `description` is what `varscope names` and the
  /// store dump show ("glorot_uniform_initializer()").
  Initializer(InitializerFn fn, std::string description = "custom_initializer");
  /// Any callable with InitializerFn's signature.
  template <class F>
    requires(std::is_invocable_r_v<Tensor, const F&, const Shape&, DType, const InitContext&> &&
             !std::is_same_v<std::decay_t<F>, Initializer> && !std::is_same_v<std::decay_t<F>, Tensor>)
  Initializer(F fn) : Initializer(InitializerFn(std::move(fn))) {}
  /// Initialize from a constant value.
  Initializer(Tensor value);

  bool has_value() const { return kind_ != Kind::None; }
  explicit operator bool() const { return has_value(); }
  bool is_callable() const { return kind_ == Kind::Callable; }
  bool is_constant() const { return kind_ == Kind::Constant; }
  const Tensor& constant() const { return constant_; }
  const std::string& description() const { return description_; }

  /// Runs a callable initializer and checks the result's shape and dtype.
  Tensor operator()(const Shape& shape, DType dtype, const InitContext& ctx) const;

private:
  enum class Kind : std::uint8_t { None, Callable, Constant };
  Kind kind_ = Kind::None;
  InitializerFn fn_;
  Tensor constant_;
  std::string description_;
};

Initializer zeros_initializer();
Initializer ones_initializer();
/// Fills with `value` converted to the requested dtype.
Initializer constant_initializer(double value);
/// Fills with `values` in row-major order; the count must equal the shape's
/// element count (TF's verify_shape behaviour), else ValueError.
Initializer constant_initializer(std::vector<double> values);

struct RandomUniformOptions {
  double minval = 0.0;
  double maxval = 1.0;
  std::optional<std::int64_t> seed = {};
};
Initializer random_uniform_initializer(RandomUniformOptions options = {});

struct RandomNormalOptions {
  double mean = 0.0;
  double stddev = 1.0;
  std::optional<std::int64_t> seed = {};
};
Initializer random_normal_initializer(RandomNormalOptions options = {});
/// Normal samples more than two standard deviations from the mean are redrawn.
Initializer truncated_normal_initializer(RandomNormalOptions options = {});

enum class FanMode : std::uint8_t { FanIn, FanOut, FanAvg };
enum class Distribution : std::uint8_t { TruncatedNormal, UntruncatedNormal, Uniform };
struct VarianceScalingOptions {
  double scale = 1.0;
  FanMode mode = FanMode::FanIn;
  Distribution distribution = Distribution::TruncatedNormal;
  std::optional<std::int64_t> seed = {};
};
/// TF 1.15's VarianceScaling; ValueError for scale <= 0.
Initializer variance_scaling_initializer(VarianceScalingOptions options = {});

Initializer glorot_uniform_initializer(std::optional<std::int64_t> seed = std::nullopt);
Initializer glorot_normal_initializer(std::optional<std::int64_t> seed = std::nullopt);
inline Initializer xavier_initializer(std::optional<std::int64_t> seed = std::nullopt) {
  return glorot_uniform_initializer(seed);
}
Initializer he_uniform_initializer(std::optional<std::int64_t> seed = std::nullopt);
Initializer he_normal_initializer(std::optional<std::int64_t> seed = std::nullopt);
Initializer lecun_uniform_initializer(std::optional<std::int64_t> seed = std::nullopt);
Initializer lecun_normal_initializer(std::optional<std::int64_t> seed = std::nullopt);
/// Orthogonal matrix (QR of a normal matrix, sign-corrected) times `gain`;
/// shapes of rank >= 2 are flattened to (prod(d[:-1]), d[-1]).
Initializer orthogonal_initializer(double gain = 1.0, std::optional<std::int64_t> seed = std::nullopt);
/// Identity matrix times `gain`; rank-2 shapes only (ValueError otherwise).
Initializer identity_initializer(double gain = 1.0);

/// TF's default when no initializer is given anywhere: glorot_uniform for
/// floating dtypes, zeros for integers, bool and string. (Every DType the
/// runtime has falls in one of those groups.)
Initializer default_initializer(DType dtype);

/// TF's fan computation (init_ops._compute_fans): (fan_in, fan_out).
std::pair<double, double> compute_fans(const Shape& shape);

} // namespace varscope
