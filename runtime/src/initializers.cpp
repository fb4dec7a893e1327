// runtime/src/initializers.cpp - TF 1.15's variable initializers.
//
// Determinism. A random initializer draws element values from Philox4x32-10
// (philox.h):
//   key     = derive_initializer_key(ctx.graph_seed, op seed or "none",
//                                    ctx.name)   (FNV-1a + SplitMix64)
//   counter = {g low 32, g high 32, attempt, 0}
// where g is the element's flat row-major index in the *full* variable
// (ctx.partition_info's full_shape/var_offset for a shard), so a shard holds
// exactly the slice of the unpartitioned values, whatever the order, thread
// or partitioning. `attempt` is 0 except for truncated-normal redraws.
//
// Mapping of the 128 output bits {w0, w1, w2, w3}:
//   uniform:   u = w0 * 2^-32 in [0, 1); value = minval + u * (maxval - minval)
//              in double. For float32/float64 a value that rounds to maxval
//              is replaced by the largest value below maxval, so the range is
//              [minval, maxval); 16-bit types may round up to maxval. Integer
//              dtypes take floor(value), capped at maxval - 1.
//   normal:    z = first Box-Muller output of (w0, w1); value = mean + stddev*z.
//   truncated: the Box-Muller pairs (w0, w1) and (w2, w3) give candidates
//              z0, z1, z2, z3; the first with |z| < 2 is used (TF redraws
//              samples 2 or more standard deviations out); if none is,
//              `attempt` is incremented and the element redrawn.
// Values are computed in double and then converted to the dtype (float16 and
// bfloat16 via float32; integers by saturating truncation; bool as != 0).
// Random initializers reject string variables with TypeError.
//
// Descriptions (shown by `varscope names` and the store dump) are stable:
// numbers are printed in their shortest round-trip form ("0", "1", "0.1",
// "1e-05"), ", seed=N" is appended only when a seed was given:
//   zeros_initializer()            ones_initializer()
//   constant_initializer(0.1)      constant_initializer([1, 2, 3, 4, 5, 6, ...])
//   random_uniform_initializer(minval=0, maxval=1)
//   random_normal_initializer(mean=0, stddev=1, seed=3)
//   truncated_normal_initializer(mean=0, stddev=1)
//   variance_scaling_initializer(scale=2, mode='fan_in', distribution='uniform')
//   glorot_uniform_initializer()   glorot_normal_initializer(seed=7)
//   he_uniform_initializer()  he_normal_initializer()
//   lecun_uniform_initializer()  lecun_normal_initializer()
//   orthogonal_initializer(gain=1)  identity_initializer(gain=1)
// (the vector form lists at most six values).
//
// Every initializer built here is immutable and may be called from several
// threads at once.

#include "varscope/initializers.h"

#include <memory>
#include <Eigen/Dense>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>

#include "buffer_state.h"
#include "philox.h"
#include "varscope/errors.h"

namespace varscope {

namespace {

using detail::PhiloxKey;

//===----------------------------------------------------------------------===//
// Formatting
//===----------------------------------------------------------------------===//

/// Shortest round-trip text of a double, without a trailing ".0".
std::string num(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

/// Python's repr() of a float: "0.1", "1.0", "1e-05", "1e+16".
std::string pyFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string text(buf, sci.ptr);
  int exponent = std::stoi(text.substr(text.find('e') + 1));
  if (exponent < -4 || exponent >= 16) return text;
  auto fixed = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  text.assign(buf, fixed.ptr);
  if (text.find('.') == std::string::npos) text += ".0";
  return text;
}

std::string seedSuffix(const std::optional<std::int64_t>& seed) {
  return seed ? ", seed=" + std::to_string(*seed) : "";
}

std::string seedOnly(const std::optional<std::int64_t>& seed) {
  return seed ? "seed=" + std::to_string(*seed) : "";
}

//===----------------------------------------------------------------------===//
// Element indexing and filling
//===----------------------------------------------------------------------===//

const Shape& fullShape(const Shape& shape, const InitContext& ctx) {
  return ctx.partition_info ? ctx.partition_info->full_shape() : shape;
}

std::string intList(const std::vector<std::int64_t>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

/// Calls fn(local, global) for each element of `shape` in row-major order:
/// `local` indexes the tensor being filled, `global` the same element in the
/// full variable (equal to `local` when ctx has no partition_info).
template <class Fn> void forEachGlobalIndex(const Shape& shape, const InitContext& ctx, Fn&& fn) {
  std::int64_t n = shape.num_elements();
  if (!ctx.partition_info) {
    for (std::int64_t i = 0; i < n; ++i) fn(i, static_cast<std::uint64_t>(i));
    return;
  }
  const std::vector<std::int64_t>& full = ctx.partition_info->full_shape().dims();
  const std::vector<std::int64_t>& offset = ctx.partition_info->var_offset();
  const std::vector<std::int64_t>& dims = shape.dims();
  bool fits = full.size() == dims.size();
  for (std::size_t k = 0; fits && k < dims.size(); ++k) fits = offset[k] + dims[k] <= full[k];
  if (!fits)
    throw ValueError("A shard of shape " + shape.to_string() + " at offset " + intList(offset) +
                     " does not fit in the full shape " + ctx.partition_info->full_shape().to_string());
  if (n == 0) return;
  std::size_t rank = dims.size();
  if (rank == 0) {
    fn(0, 0);
    return;
  }
  std::vector<std::int64_t> stride(rank, 1);
  for (std::size_t k = rank - 1; k > 0; --k) stride[k - 1] = stride[k] * full[k];

  // Walk the shard row by row; each innermost row is contiguous in the full
  // variable.
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t local = 0;
  std::int64_t row = dims[rank - 1];
  while (true) {
    std::int64_t base = 0;
    for (std::size_t k = 0; k < rank; ++k) base += (offset[k] + index[k]) * stride[k];
    for (std::int64_t j = 0; j < row; ++j) fn(local++, static_cast<std::uint64_t>(base + j));
    std::size_t k = rank - 1;
    while (k > 0) {
      --k;
      if (++index[k] < dims[k]) break;
      index[k] = 0;
      if (k == 0) return;
    }
    if (rank == 1) return;
  }
}

void rejectString(DType dtype, const std::string& description) {
  if (dtype == DType::String)
    throw TypeError("Cannot initialize a variable of dtype string with " + description);
}

/// A tensor of `shape` and `dtype` whose element with global index g is
/// gen(g), computed in double and converted.
template <class Gen> Tensor generate(const Shape& shape, DType dtype, const InitContext& ctx, Gen&& gen) {
  Tensor values(DType::Float64, shape);
  detail::mark_op_owned(values); // operator() seals it (buffer_state.h)
  double* out = values.data<double>();
  forEachGlobalIndex(shape, ctx, [&](std::int64_t local, std::uint64_t global) { out[local] = gen(global); });
  if (dtype == DType::Float64) return values;
  return values.cast(dtype);
}

//===----------------------------------------------------------------------===//
// Random draws
//===----------------------------------------------------------------------===//

PhiloxKey keyFor(const InitContext& ctx, const std::optional<std::int64_t>& seed) {
  return detail::derive_initializer_key(ctx.graph_seed, seed, ctx.name);
}

double uniformAt(const PhiloxKey& key, std::uint64_t g) {
  return detail::unit_from_bits(detail::philox4x32_10(detail::element_counter(g), key)[0]);
}

double normalAt(const PhiloxKey& key, std::uint64_t g) {
  detail::PhiloxBlock bits = detail::philox4x32_10(detail::element_counter(g), key);
  return detail::box_muller(bits[0], bits[1]).first;
}

double truncatedNormalAt(const PhiloxKey& key, std::uint64_t g) {
  constexpr double kTruncateValue = 2.0; // TF's TruncatedNormal kernel
  for (std::uint32_t attempt = 0;; ++attempt) {
    assert(attempt != std::numeric_limits<std::uint32_t>::max() && "truncated normal never accepted a sample");
    detail::PhiloxBlock bits = detail::philox4x32_10(detail::element_counter(g, attempt), key);
    auto [z0, z1] = detail::box_muller(bits[0], bits[1]);
    if (std::abs(z0) < kTruncateValue) return z0;
    if (std::abs(z1) < kTruncateValue) return z1;
    auto [z2, z3] = detail::box_muller(bits[2], bits[3]);
    if (std::abs(z2) < kTruncateValue) return z2;
    if (std::abs(z3) < kTruncateValue) return z3;
  }
}

/// minval + u * (maxval - minval), kept inside [minval, maxval) for dtype
/// where that is representable (see the file comment).
double uniformValue(double u, double minval, double maxval, DType dtype) {
  double v = minval + u * (maxval - minval);
  if (!(minval < maxval)) return v;
  if (is_integer(dtype)) return std::min(std::floor(v), std::ceil(maxval) - 1.0);
  if (dtype == DType::Float32 && static_cast<float>(v) >= static_cast<float>(maxval))
    return std::nextafter(static_cast<float>(maxval), -std::numeric_limits<float>::infinity());
  if (v >= maxval) return std::nextafter(maxval, -std::numeric_limits<double>::infinity());
  return v;
}

Tensor randomUniform(const Shape& shape, DType dtype, const InitContext& ctx, std::optional<std::int64_t> seed,
                     double minval, double maxval) {
  PhiloxKey key = keyFor(ctx, seed);
  return generate(shape, dtype, ctx,
                  [&](std::uint64_t g) { return uniformValue(uniformAt(key, g), minval, maxval, dtype); });
}

Tensor randomNormal(const Shape& shape, DType dtype, const InitContext& ctx, std::optional<std::int64_t> seed,
                    double mean, double stddev) {
  PhiloxKey key = keyFor(ctx, seed);
  return generate(shape, dtype, ctx, [&](std::uint64_t g) { return mean + stddev * normalAt(key, g); });
}

Tensor truncatedNormal(const Shape& shape, DType dtype, const InitContext& ctx, std::optional<std::int64_t> seed,
                       double mean, double stddev) {
  PhiloxKey key = keyFor(ctx, seed);
  return generate(shape, dtype, ctx, [&](std::uint64_t g) { return mean + stddev * truncatedNormalAt(key, g); });
}

std::string_view modeName(FanMode mode) {
  switch (mode) {
  case FanMode::FanIn:
    return "fan_in";
  case FanMode::FanOut:
    return "fan_out";
  case FanMode::FanAvg:
    return "fan_avg";
  }
  return "?";
}

std::string_view distributionName(Distribution distribution) {
  switch (distribution) {
  case Distribution::TruncatedNormal:
    return "truncated_normal";
  case Distribution::UntruncatedNormal:
    return "untruncated_normal";
  case Distribution::Uniform:
    return "uniform";
  }
  return "?";
}

/// VarianceScaling with a fixed description (glorot, he and lecun reuse it).
Initializer varianceScaling(VarianceScalingOptions options, std::string description) {
  if (!(options.scale > 0.0)) throw ValueError("`scale` must be positive float.");
  auto fn = [options, description](const Shape& shape, DType dtype, const InitContext& ctx) {
    rejectString(dtype, description);
    auto [fan_in, fan_out] = compute_fans(fullShape(shape, ctx));
    double scale = options.scale;
    switch (options.mode) {
    case FanMode::FanIn:
      scale /= std::max(1.0, fan_in);
      break;
    case FanMode::FanOut:
      scale /= std::max(1.0, fan_out);
      break;
    case FanMode::FanAvg:
      scale /= std::max(1.0, (fan_in + fan_out) / 2.0);
      break;
    }
    switch (options.distribution) {
    case Distribution::TruncatedNormal:
      // scipy.stats.truncnorm.std(a=-2, b=2, loc=0., scale=1.)
      return truncatedNormal(shape, dtype, ctx, options.seed, 0.0, std::sqrt(scale) / 0.87962566103423978);
    case Distribution::UntruncatedNormal:
      return randomNormal(shape, dtype, ctx, options.seed, 0.0, std::sqrt(scale));
    case Distribution::Uniform:
      break;
    }
    double limit = std::sqrt(3.0 * scale);
    return randomUniform(shape, dtype, ctx, options.seed, -limit, limit);
  };
  return Initializer(fn, description);
}

std::string namedDescription(std::string_view name, const std::optional<std::int64_t>& seed) {
  return std::string(name) + "(" + seedOnly(seed) + ")";
}

/// The orthogonal matrix of TF's Orthogonal initializer for `full`, in
/// row-major order of (prod(full[:-1]), full[-1]), before the gain.
std::vector<double> orthogonalMatrix(const Shape& full, const PhiloxKey& key) {
  std::int64_t rows = 1;
  for (int k = 0; k + 1 < full.rank(); ++k) rows *= full[k];
  std::int64_t cols = full[full.rank() - 1];
  std::vector<double> out(static_cast<std::size_t>(rows * cols), 0.0);
  if (out.empty()) return out;

  // TF draws the normal matrix in the transposed shape when rows < cols.
  bool transposed = rows < cols;
  Eigen::Index m = transposed ? cols : rows;
  Eigen::Index n = transposed ? rows : cols;
  Eigen::MatrixXd a(m, n);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) a(i, j) = normalAt(key, static_cast<std::uint64_t>(i * n + j));

  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(m, n);
  const Eigen::MatrixXd& r = qr.matrixQR();
  for (Eigen::Index j = 0; j < n; ++j) {
    double d = r(j, j);
    double sign = d > 0.0 ? 1.0 : (d < 0.0 ? -1.0 : 0.0); // TF's math_ops.sign
    q.col(j) *= sign;
  }
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j)
      out[static_cast<std::size_t>(i * cols + j)] = transposed ? q(j, i) : q(i, j);
  return out;
}

} // namespace

//===----------------------------------------------------------------------===//
// Initializer
//===----------------------------------------------------------------------===//

Initializer::Initializer(InitializerFn fn, std::string description)
    : kind_(fn ? Kind::Callable : Kind::None),
      fn_(std::move(fn)),
      description_(std::move(description)) {}

Initializer::Initializer(Tensor value)
    : kind_(value.defined() ? Kind::Constant : Kind::None), constant_(std::move(value)) {
  if (constant_.defined()) description_ = constant_.debug_string();
}

Tensor Initializer::operator()(const Shape& shape, DType dtype, const InitContext& ctx) const {
  if (kind_ == Kind::None) throw ValueError("Cannot call an initializer that is None");
  Tensor result = kind_ == Kind::Constant ? constant_ : fn_(shape, dtype, ctx);
  if (!result.defined())
    throw ValueError("Initializer " + description_ + " returned an undefined tensor, but shape " +
                     shape.to_string() + " and dtype " + std::string(dtype_name(dtype)) + " were requested");
  if (result.shape() != shape || result.dtype() != dtype)
    throw ValueError("Initializer " + description_ + " returned a tensor of shape " + result.shape().to_string() +
                     " and dtype " + std::string(dtype_name(result.dtype())) + ", but shape " + shape.to_string() +
                     " and dtype " + std::string(dtype_name(dtype)) + " were requested");
  // A built-in initializer's fresh result (generate) is written: seal it, so
  // the variable's value may have derived data kept (buffer_state.h).
  detail::seal_op_owned(result);
  return result;
}

//===----------------------------------------------------------------------===//
// Constant initializers
//===----------------------------------------------------------------------===//

Initializer zeros_initializer() {
  return Initializer([](const Shape& shape, DType dtype, const InitContext&) { return Tensor(dtype, shape); },
                     "zeros_initializer()");
}

Initializer ones_initializer() {
  auto fn = [](const Shape& shape, DType dtype, const InitContext& ctx) {
    if (dtype == DType::String) throw TypeError("Expected string, got 1 of type 'int' instead.");
    return generate(shape, dtype, ctx, [](std::uint64_t) { return 1.0; });
  };
  return Initializer(fn, "ones_initializer()");
}

Initializer constant_initializer(double value) {
  auto fn = [value](const Shape& shape, DType dtype, const InitContext& ctx) {
    if (dtype == DType::String)
      throw TypeError("Expected string, got " + pyFloatRepr(value) + " of type 'float' instead.");
    return generate(shape, dtype, ctx, [value](std::uint64_t) { return value; });
  };
  return Initializer(fn, "constant_initializer(" + num(value) + ")");
}

Initializer constant_initializer(std::vector<double> values) {
  std::string description = "constant_initializer([";
  constexpr std::size_t kShown = 6;
  for (std::size_t i = 0; i < values.size() && i < kShown; ++i) description += (i > 0 ? ", " : "") + num(values[i]);
  if (values.size() > kShown) description += ", ...";
  description += "])";

  auto shared = std::make_shared<const std::vector<double>>(std::move(values));
  auto fn = [shared](const Shape& shape, DType dtype, const InitContext& ctx) {
    const std::vector<double>& v = *shared;
    if (dtype == DType::String) throw TypeError("Expected string, got a list of floats instead.");
    const Shape& full = fullShape(shape, ctx);
    std::int64_t expected = full.num_elements();
    if (static_cast<std::int64_t>(v.size()) != expected)
      throw ValueError("constant_initializer got " + std::to_string(v.size()) + " values, but shape " +
                       full.to_string() + " has " + std::to_string(expected) + " elements");
    return generate(shape, dtype, ctx, [&v](std::uint64_t g) { return v[static_cast<std::size_t>(g)]; });
  };
  return Initializer(fn, description);
}

Initializer identity_initializer(double gain) {
  auto fn = [gain](const Shape& shape, DType dtype, const InitContext& ctx) {
    const Shape& full = fullShape(shape, ctx);
    if (full.rank() != 2) throw ValueError("Identity matrix initializer can only be used for 2D matrices.");
    if (dtype == DType::String)
      throw TypeError("Cannot initialize a variable of dtype string with identity_initializer");
    auto cols = static_cast<std::uint64_t>(full[1]);
    return generate(shape, dtype, ctx, [gain, cols](std::uint64_t g) { return g / cols == g % cols ? gain : 0.0; });
  };
  return Initializer(fn, "identity_initializer(gain=" + num(gain) + ")");
}

//===----------------------------------------------------------------------===//
// Random initializers
//===----------------------------------------------------------------------===//

Initializer random_uniform_initializer(RandomUniformOptions options) {
  std::string description = "random_uniform_initializer(minval=" + num(options.minval) +
                            ", maxval=" + num(options.maxval) + seedSuffix(options.seed) + ")";
  auto fn = [options, description](const Shape& shape, DType dtype, const InitContext& ctx) {
    rejectString(dtype, description);
    return randomUniform(shape, dtype, ctx, options.seed, options.minval, options.maxval);
  };
  return Initializer(fn, description);
}

Initializer random_normal_initializer(RandomNormalOptions options) {
  std::string description = "random_normal_initializer(mean=" + num(options.mean) +
                            ", stddev=" + num(options.stddev) + seedSuffix(options.seed) + ")";
  auto fn = [options, description](const Shape& shape, DType dtype, const InitContext& ctx) {
    rejectString(dtype, description);
    return randomNormal(shape, dtype, ctx, options.seed, options.mean, options.stddev);
  };
  return Initializer(fn, description);
}

Initializer truncated_normal_initializer(RandomNormalOptions options) {
  std::string description = "truncated_normal_initializer(mean=" + num(options.mean) +
                            ", stddev=" + num(options.stddev) + seedSuffix(options.seed) + ")";
  auto fn = [options, description](const Shape& shape, DType dtype, const InitContext& ctx) {
    rejectString(dtype, description);
    return truncatedNormal(shape, dtype, ctx, options.seed, options.mean, options.stddev);
  };
  return Initializer(fn, description);
}

Initializer variance_scaling_initializer(VarianceScalingOptions options) {
  std::string description = "variance_scaling_initializer(scale=" + num(options.scale) + ", mode='" +
                            std::string(modeName(options.mode)) + "', distribution='" +
                            std::string(distributionName(options.distribution)) + "'" +
                            seedSuffix(options.seed) + ")";
  return varianceScaling(options, description);
}

Initializer glorot_uniform_initializer(std::optional<std::int64_t> seed) {
  return varianceScaling({.scale = 1.0, .mode = FanMode::FanAvg, .distribution = Distribution::Uniform, .seed = seed},
                         namedDescription("glorot_uniform_initializer", seed));
}

Initializer glorot_normal_initializer(std::optional<std::int64_t> seed) {
  return varianceScaling(
      {.scale = 1.0, .mode = FanMode::FanAvg, .distribution = Distribution::TruncatedNormal, .seed = seed},
      namedDescription("glorot_normal_initializer", seed));
}

Initializer he_uniform_initializer(std::optional<std::int64_t> seed) {
  return varianceScaling({.scale = 2.0, .mode = FanMode::FanIn, .distribution = Distribution::Uniform, .seed = seed},
                         namedDescription("he_uniform_initializer", seed));
}

Initializer he_normal_initializer(std::optional<std::int64_t> seed) {
  return varianceScaling(
      {.scale = 2.0, .mode = FanMode::FanIn, .distribution = Distribution::TruncatedNormal, .seed = seed},
      namedDescription("he_normal_initializer", seed));
}

Initializer lecun_uniform_initializer(std::optional<std::int64_t> seed) {
  return varianceScaling({.scale = 1.0, .mode = FanMode::FanIn, .distribution = Distribution::Uniform, .seed = seed},
                         namedDescription("lecun_uniform_initializer", seed));
}

Initializer lecun_normal_initializer(std::optional<std::int64_t> seed) {
  return varianceScaling(
      {.scale = 1.0, .mode = FanMode::FanIn, .distribution = Distribution::TruncatedNormal, .seed = seed},
      namedDescription("lecun_normal_initializer", seed));
}

Initializer orthogonal_initializer(double gain, std::optional<std::int64_t> seed) {
  std::string description = "orthogonal_initializer(gain=" + num(gain) + seedSuffix(seed) + ")";
  auto fn = [gain, seed, description](const Shape& shape, DType dtype, const InitContext& ctx) {
    if (shape.rank() < 2) throw ValueError("The tensor to initialize must be at least two-dimensional");
    rejectString(dtype, description);
    // Always the full matrix, then this shard's slice of it.
    std::vector<double> full = orthogonalMatrix(fullShape(shape, ctx), keyFor(ctx, seed));
    return generate(shape, dtype, ctx,
                    [&full, gain](std::uint64_t g) { return gain * full[static_cast<std::size_t>(g)]; });
  };
  return Initializer(fn, description);
}

Initializer default_initializer(DType dtype) {
  if (is_floating(dtype)) return glorot_uniform_initializer();
  return zeros_initializer();
}

std::pair<double, double> compute_fans(const Shape& shape) {
  int rank = shape.rank();
  if (rank < 1) return {1.0, 1.0};
  if (rank == 1) return {static_cast<double>(shape[0]), static_cast<double>(shape[0])};
  if (rank == 2) return {static_cast<double>(shape[0]), static_cast<double>(shape[1])};
  double receptive_field_size = 1.0;
  for (int k = 0; k < rank - 2; ++k) receptive_field_size *= static_cast<double>(shape[k]);
  return {static_cast<double>(shape[rank - 2]) * receptive_field_size,
          static_cast<double>(shape[rank - 1]) * receptive_field_size};
}

} // namespace varscope
