// Unit tests for varscope/initializers.h.

#include "varscope/initializers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "../../../runtime/src/philox.h"
#include "varscope/errors.h"
#include "varscope/partitioners.h"

namespace varscope {
namespace {

template <class E = std::exception, class Fn> std::string errorOf(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

InitContext ctxFor(std::string_view name, std::uint64_t graph_seed = 0, const PartitionInfo* info = nullptr) {
  return InitContext{.name = name, .graph_seed = graph_seed, .partition_info = info};
}

std::vector<double> valuesOf(const Tensor& t) { return t.to_doubles(); }

/// Row-major slice of `full` (same rank) at `slice`.
std::vector<double> sliceOf(const Tensor& full, const SliceSpec& slice) {
  std::vector<double> all = full.to_doubles();
  const std::vector<std::int64_t>& dims = full.shape().dims();
  std::vector<double> out;
  std::vector<std::int64_t> index(dims.size(), 0);
  for (std::size_t flat = 0; flat < all.size(); ++flat) {
    std::size_t rest = flat;
    for (std::size_t k = dims.size(); k-- > 0;) {
      index[k] = static_cast<std::int64_t>(rest % static_cast<std::size_t>(dims[k]));
      rest /= static_cast<std::size_t>(dims[k]);
    }
    bool inside = true;
    for (std::size_t k = 0; k < dims.size(); ++k)
      inside = inside && index[k] >= slice.offset[k] && index[k] < slice.offset[k] + slice.shape.dims()[k];
    if (inside) out.push_back(all[flat]);
  }
  return out;
}

struct Moments {
  double mean = 0;
  double stddev = 0;
  double min = 0;
  double max = 0;
};

Moments momentsOf(const std::vector<double>& v) {
  Moments m;
  m.min = *std::min_element(v.begin(), v.end());
  m.max = *std::max_element(v.begin(), v.end());
  for (double x : v) m.mean += x;
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.stddev += (x - m.mean) * (x - m.mean);
  m.stddev = std::sqrt(m.stddev / static_cast<double>(v.size()));
  return m;
}

//===--- Initializer wrapper ----------------------------------------------===//

TEST(InitializerTest, DefaultIsNone) {
  Initializer none;
  EXPECT_FALSE(none.has_value());
  EXPECT_FALSE(static_cast<bool>(none));
  EXPECT_EQ(errorOf<ValueError>([&] { none(Shape{1}, float32, ctxFor("v")); }),
            "Cannot call an initializer that is None");
}

TEST(InitializerTest, ConstantValueInitializerKeepsTheTensor) {
  Tensor value = Tensor::from_vector<std::int32_t>({1, 2});
  Initializer init(value);
  EXPECT_TRUE(init.is_constant());
  EXPECT_FALSE(init.is_callable());
  EXPECT_TRUE(init.constant().shares_buffer_with(value));
  EXPECT_EQ(init.description(), "Tensor(shape=(2,), dtype=int32, values=[1, 2])");
  EXPECT_TRUE(init(Shape{2}, int32, ctxFor("v")).equals(value));
  EXPECT_FALSE(Initializer(Tensor()).has_value());
}

TEST(InitializerTest, CallableWithoutDescriptionIsCustom) {
  Initializer init([](const Shape& s, DType d, const InitContext&) { return Tensor(d, s); });
  EXPECT_TRUE(init.is_callable());
  EXPECT_EQ(init.description(), "custom_initializer");
}

TEST(InitializerTest, WrongShapeFromCallableRaisesNamingBoth) {
  Initializer init([](const Shape&, DType d, const InitContext&) { return Tensor(d, Shape{2}); });
  EXPECT_EQ(errorOf<ValueError>([&] { init(Shape{3}, float32, ctxFor("v")); }),
            "Initializer custom_initializer returned a tensor of shape (2,) and dtype float32, but shape (3,) and "
            "dtype float32 were requested");
}

TEST(InitializerTest, WrongDtypeFromCallableRaisesNamingBoth) {
  Initializer init([](const Shape& s, DType, const InitContext&) { return Tensor(int32, s); }, "mine()");
  EXPECT_EQ(errorOf<ValueError>([&] { init(Shape{3}, float32, ctxFor("v")); }),
            "Initializer mine() returned a tensor of shape (3,) and dtype int32, but shape (3,) and dtype float32 "
            "were requested");
  Initializer undefined([](const Shape&, DType, const InitContext&) { return Tensor(); }, "bad()");
  EXPECT_EQ(errorOf<ValueError>([&] { undefined(Shape{3}, float32, ctxFor("v")); }),
            "Initializer bad() returned an undefined tensor, but shape (3,) and dtype float32 were requested");
}

//===--- Descriptions ------------------------------------------------------===//

TEST(InitializerDescriptionTest, DescriptionsAreStable) {
  EXPECT_EQ(zeros_initializer().description(), "zeros_initializer()");
  EXPECT_EQ(ones_initializer().description(), "ones_initializer()");
  EXPECT_EQ(constant_initializer(0.1).description(), "constant_initializer(0.1)");
  EXPECT_EQ(constant_initializer(-2).description(), "constant_initializer(-2)");
  EXPECT_EQ(constant_initializer(std::vector<double>{1, 2.5, 3}).description(), "constant_initializer([1, 2.5, 3])");
  EXPECT_EQ(constant_initializer(std::vector<double>{1, 2, 3, 4, 5, 6, 7}).description(),
            "constant_initializer([1, 2, 3, 4, 5, 6, ...])");
  EXPECT_EQ(random_uniform_initializer().description(), "random_uniform_initializer(minval=0, maxval=1)");
  EXPECT_EQ(random_uniform_initializer({.minval = -0.05, .maxval = 0.05, .seed = 1}).description(),
            "random_uniform_initializer(minval=-0.05, maxval=0.05, seed=1)");
  EXPECT_EQ(random_normal_initializer({.seed = 3}).description(),
            "random_normal_initializer(mean=0, stddev=1, seed=3)");
  EXPECT_EQ(truncated_normal_initializer({.stddev = 1e-5}).description(),
            "truncated_normal_initializer(mean=0, stddev=1e-05)");
  EXPECT_EQ(variance_scaling_initializer().description(),
            "variance_scaling_initializer(scale=1, mode='fan_in', distribution='truncated_normal')");
  EXPECT_EQ(variance_scaling_initializer(
                {.scale = 2, .mode = FanMode::FanAvg, .distribution = Distribution::Uniform, .seed = 9})
                .description(),
            "variance_scaling_initializer(scale=2, mode='fan_avg', distribution='uniform', seed=9)");
  EXPECT_EQ(glorot_uniform_initializer().description(), "glorot_uniform_initializer()");
  EXPECT_EQ(xavier_initializer(4).description(), "glorot_uniform_initializer(seed=4)");
  EXPECT_EQ(glorot_normal_initializer(7).description(), "glorot_normal_initializer(seed=7)");
  EXPECT_EQ(he_uniform_initializer().description(), "he_uniform_initializer()");
  EXPECT_EQ(he_normal_initializer().description(), "he_normal_initializer()");
  EXPECT_EQ(lecun_uniform_initializer().description(), "lecun_uniform_initializer()");
  EXPECT_EQ(lecun_normal_initializer().description(), "lecun_normal_initializer()");
  EXPECT_EQ(orthogonal_initializer().description(), "orthogonal_initializer(gain=1)");
  EXPECT_EQ(orthogonal_initializer(0.5, 2).description(), "orthogonal_initializer(gain=0.5, seed=2)");
  EXPECT_EQ(identity_initializer(2).description(), "identity_initializer(gain=2)");
}

TEST(InitializerDescriptionTest, DefaultInitializerPerDtype) {
  for (DType d : {float16, bfloat16, float32, float64})
    EXPECT_EQ(default_initializer(d).description(), "glorot_uniform_initializer()") << dtype_name(d);
  for (DType d : {int8, int16, int32, int64, uint8, uint16, bool_, string_})
    EXPECT_EQ(default_initializer(d).description(), "zeros_initializer()") << dtype_name(d);
}

//===--- Constant initializers ---------------------------------------------===//

TEST(ConstantInitializerTest, ZerosForEveryDtype) {
  Initializer init = zeros_initializer();
  EXPECT_EQ(valuesOf(init(Shape{2, 2}, float32, ctxFor("v"))), (std::vector<double>(4, 0.0)));
  EXPECT_EQ(valuesOf(init(Shape{3}, int64, ctxFor("v"))), (std::vector<double>(3, 0.0)));
  EXPECT_EQ(valuesOf(init(Shape{2}, bool_, ctxFor("v"))), (std::vector<double>{0.0, 0.0}));
  Tensor s = init(Shape{2}, string_, ctxFor("v"));
  EXPECT_EQ(s.data<std::string>()[0], "");
  EXPECT_EQ(s.data<std::string>()[1], "");
}

TEST(ConstantInitializerTest, OnesForNumericAndBool) {
  Initializer init = ones_initializer();
  EXPECT_EQ(valuesOf(init(Shape{3}, float64, ctxFor("v"))), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(init(Shape{1}, float16, ctxFor("v")).data<std::uint16_t>()[0], 0x3C00);
  EXPECT_EQ(init(Shape{1}, bool_, ctxFor("v")).data<bool>()[0], true);
  EXPECT_EQ(errorOf<TypeError>([&] { init(Shape{1}, string_, ctxFor("v")); }),
            "Expected string, got 1 of type 'int' instead.");
}

TEST(ConstantInitializerTest, ScalarValueConvertedToDtype) {
  Initializer init = constant_initializer(0.1);
  EXPECT_EQ(init(Shape{2}, float32, ctxFor("v")).data<float>()[1], 0.1f);
  EXPECT_EQ(init(Shape{2}, float64, ctxFor("v")).data<double>()[0], 0.1);
  EXPECT_EQ(init(Shape{1}, bfloat16, ctxFor("v")).data<std::uint16_t>()[0], 0x3DCD);
  EXPECT_EQ(constant_initializer(2.7)(Shape{1}, int32, ctxFor("v")).data<std::int32_t>()[0], 2);
  EXPECT_EQ(constant_initializer(-2.7)(Shape{1}, int32, ctxFor("v")).data<std::int32_t>()[0], -2);
  EXPECT_EQ(errorOf<TypeError>([&] { init(Shape{1}, string_, ctxFor("v")); }),
            "Expected string, got 0.1 of type 'float' instead.");
  EXPECT_EQ(errorOf<TypeError>([&] { constant_initializer(1)(Shape{1}, string_, ctxFor("v")); }),
            "Expected string, got 1.0 of type 'float' instead.");
}

TEST(ConstantInitializerTest, VectorFillsRowMajor) {
  Initializer init = constant_initializer(std::vector<double>{1, 2, 3, 4, 5, 6});
  Tensor t = init(Shape{2, 3}, int32, ctxFor("v"));
  EXPECT_EQ(valuesOf(t), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(ConstantInitializerTest, VectorCountMustMatchShape) {
  Initializer init = constant_initializer(std::vector<double>{1, 2, 3});
  EXPECT_EQ(errorOf<ValueError>([&] { init(Shape{2, 2}, float32, ctxFor("v")); }),
            "constant_initializer got 3 values, but shape (2, 2) has 4 elements");
}

TEST(ConstantInitializerTest, VectorShardGetsItsSliceOfTheFullValue) {
  Initializer init = constant_initializer(std::vector<double>{1, 2, 3, 4, 5, 6});
  PartitionInfo info(Shape{3, 2}, {1, 0});
  Tensor t = init(Shape{2, 2}, float32, ctxFor("v", 0, &info));
  EXPECT_EQ(valuesOf(t), (std::vector<double>{3, 4, 5, 6}));
}

TEST(IdentityInitializerTest, RectangularIdentityTimesGain) {
  Tensor t = identity_initializer()(Shape{2, 3}, float32, ctxFor("v"));
  EXPECT_EQ(valuesOf(t), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  Tensor g = identity_initializer(2.5)(Shape{3, 2}, float64, ctxFor("v"));
  EXPECT_EQ(valuesOf(g), (std::vector<double>{2.5, 0, 0, 2.5, 0, 0}));
}

TEST(IdentityInitializerTest, ShardAlongAxisOneIsSliceOfIdentity) {
  PartitionInfo info(Shape{3, 4}, {0, 2});
  Tensor t = identity_initializer()(Shape{3, 2}, float32, ctxFor("v", 0, &info));
  EXPECT_EQ(valuesOf(t), (std::vector<double>{0, 0, 0, 0, 1, 0}));
}

TEST(IdentityInitializerTest, OnlyRankTwo) {
  EXPECT_EQ(errorOf<ValueError>([] { identity_initializer()(Shape{2, 2, 2}, float32, ctxFor("v")); }),
            "Identity matrix initializer can only be used for 2D matrices.");
  EXPECT_EQ(errorOf<ValueError>([] { identity_initializer()(Shape{4}, float32, ctxFor("v")); }),
            "Identity matrix initializer can only be used for 2D matrices.");
}

//===--- Fans ---------------------------------------------------------------===//

TEST(ComputeFansTest, FansPerRank) {
  EXPECT_EQ(compute_fans(Shape{}), (std::pair<double, double>{1, 1}));
  EXPECT_EQ(compute_fans(Shape{5}), (std::pair<double, double>{5, 5}));
  EXPECT_EQ(compute_fans(Shape{3, 4}), (std::pair<double, double>{3, 4}));
  EXPECT_EQ(compute_fans(Shape{2, 3, 4, 5}), (std::pair<double, double>{24, 30}));
  EXPECT_EQ(compute_fans(Shape{7, 4, 5}), (std::pair<double, double>{28, 35}));
}

//===--- Random initializers -------------------------------------------------===//

TEST(RandomInitializerTest, UniformFollowsDocumentedPhiloxMapping) {
  // element g: minval + (w0 * 2^-32) * (maxval - minval), w0 the first word of
  // philox(counter={g, 0, 0, 0}, key=derive(graph_seed, seed, name)).
  Initializer init = random_uniform_initializer({.minval = -3, .maxval = 5, .seed = 11});
  Tensor t = init(Shape{4}, float64, ctxFor("scope/w", 42));
  detail::PhiloxKey key = detail::derive_initializer_key(42, 11, "scope/w");
  for (std::uint64_t g = 0; g < 4; ++g) {
    std::uint32_t w0 = detail::philox4x32_10(detail::element_counter(g), key)[0];
    EXPECT_EQ(t.data<double>()[g], -3.0 + static_cast<double>(w0) * 0x1p-32 * 8.0);
  }
}

TEST(RandomInitializerTest, NormalFollowsDocumentedPhiloxMapping) {
  Initializer init = random_normal_initializer({.mean = 1, .stddev = 2});
  Tensor t = init(Shape{3}, float64, ctxFor("w", 5));
  detail::PhiloxKey key = detail::derive_initializer_key(5, std::nullopt, "w");
  for (std::uint64_t g = 0; g < 3; ++g) {
    detail::PhiloxBlock b = detail::philox4x32_10(detail::element_counter(g), key);
    EXPECT_EQ(t.data<double>()[g], 1.0 + 2.0 * detail::box_muller(b[0], b[1]).first);
  }
}

TEST(RandomInitializerTest, UniformStatistics) {
  Initializer init = random_uniform_initializer({.minval = -1, .maxval = 3, .seed = 1});
  Tensor t = init(Shape{100, 100}, float32, ctxFor("u"));
  Moments m = momentsOf(valuesOf(t));
  EXPECT_GE(m.min, -1.0);
  EXPECT_LT(m.max, 3.0);
  EXPECT_NEAR(m.mean, 1.0, 0.05);
  EXPECT_NEAR(m.stddev, 4.0 / std::sqrt(12.0), 0.03);
}

TEST(RandomInitializerTest, UniformIntegersCoverHalfOpenRange) {
  Tensor t = random_uniform_initializer({.minval = 0, .maxval = 10, .seed = 1})(Shape{1000}, int32, ctxFor("i"));
  std::set<std::int32_t> seen(t.values<std::int32_t>().begin(), t.values<std::int32_t>().end());
  EXPECT_EQ(seen, (std::set<std::int32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(RandomInitializerTest, NormalStatistics) {
  Tensor t = random_normal_initializer({.mean = 0.5, .stddev = 2, .seed = 4})(Shape{200, 100}, float32, ctxFor("n"));
  Moments m = momentsOf(valuesOf(t));
  EXPECT_NEAR(m.mean, 0.5, 0.05);
  EXPECT_NEAR(m.stddev, 2.0, 0.05);
  EXPECT_LT(m.min, 0.5 - 2 * 3.0); // tails beyond 3 sigma exist in 20000 draws
  EXPECT_GT(m.max, 0.5 + 2 * 3.0);
}

TEST(RandomInitializerTest, TruncatedNormalStaysWithinTwoStddevs) {
  Tensor t =
      truncated_normal_initializer({.mean = 1, .stddev = 0.5, .seed = 4})(Shape{200, 100}, float64, ctxFor("t"));
  Moments m = momentsOf(valuesOf(t));
  EXPECT_GT(m.min, 0.0);
  EXPECT_LT(m.max, 2.0);
  EXPECT_NEAR(m.mean, 1.0, 0.02);
  // The standard deviation of a standard normal truncated to (-2, 2).
  EXPECT_NEAR(m.stddev, 0.5 * 0.87962566103423978, 0.01);
}

TEST(RandomInitializerTest, RandomInitializersRejectStrings) {
  EXPECT_EQ(errorOf<TypeError>([] { glorot_uniform_initializer()(Shape{2}, string_, ctxFor("s")); }),
            "Cannot initialize a variable of dtype string with glorot_uniform_initializer()");
  EXPECT_EQ(errorOf<TypeError>([] { random_normal_initializer()(Shape{2}, string_, ctxFor("s")); }),
            "Cannot initialize a variable of dtype string with random_normal_initializer(mean=0, stddev=1)");
}

TEST(RandomInitializerTest, SameInputsGiveIdenticalValues) {
  for (const Initializer& init : {glorot_uniform_initializer(), truncated_normal_initializer({.seed = 3}),
                                  orthogonal_initializer()}) {
    Tensor a = init(Shape{6, 5}, float32, ctxFor("a/w", 7));
    Tensor b = init(Shape{6, 5}, float32, ctxFor("a/w", 7));
    EXPECT_TRUE(a.equals(b)) << init.description();
  }
}

TEST(RandomInitializerTest, ValuesDependOnSeedsAndName) {
  auto values = [](std::optional<std::int64_t> seed, std::uint64_t graph_seed, std::string_view name) {
    return valuesOf(random_normal_initializer({.seed = seed})(Shape{8}, float32, ctxFor(name, graph_seed)));
  };
  std::vector<double> base = values(1, 0, "w");
  EXPECT_NE(base, values(2, 0, "w"));
  EXPECT_NE(base, values(1, 1, "w"));
  EXPECT_NE(base, values(1, 0, "v"));
  EXPECT_NE(base, values(std::nullopt, 0, "w"));
  EXPECT_EQ(base, values(1, 0, "w"));
}

TEST(RandomInitializerTest, SixteenBitAndWideDtypesRoundTheSameDoubles) {
  Initializer init = glorot_normal_initializer(5);
  Tensor f32 = init(Shape{4, 4}, float32, ctxFor("w"));
  Tensor f64 = init(Shape{4, 4}, float64, ctxFor("w"));
  Tensor f16 = init(Shape{4, 4}, float16, ctxFor("w"));
  Tensor bf16 = init(Shape{4, 4}, bfloat16, ctxFor("w"));
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(f32.data<float>()[i], static_cast<float>(f64.data<double>()[i]));
    EXPECT_EQ(f16.data<std::uint16_t>()[i], float_to_half_bits(f32.data<float>()[i]));
    EXPECT_EQ(bf16.data<std::uint16_t>()[i], float_to_bfloat16_bits(f32.data<float>()[i]));
  }
}

//===--- Variance scaling family --------------------------------------------===//

TEST(VarianceScalingTest, NonPositiveScaleRaises) {
  EXPECT_EQ(errorOf<ValueError>([] { variance_scaling_initializer({.scale = 0}); }),
            "`scale` must be positive float.");
  EXPECT_EQ(errorOf<ValueError>([] { variance_scaling_initializer({.scale = -1}); }),
            "`scale` must be positive float.");
}

TEST(VarianceScalingTest, GlorotUniformLimitUsesFanAverage) {
  // limit = sqrt(3 / ((100 + 200) / 2)) = sqrt(0.02).
  Tensor t = glorot_uniform_initializer(1)(Shape{100, 200}, float64, ctxFor("g"));
  Moments m = momentsOf(valuesOf(t));
  double limit = std::sqrt(0.02);
  EXPECT_GE(m.min, -limit);
  EXPECT_LT(m.max, limit);
  EXPECT_GT(m.max, 0.999 * limit);
  EXPECT_LT(m.min, -0.999 * limit);
  EXPECT_NEAR(m.stddev, limit / std::sqrt(3.0), 0.001);
}

TEST(VarianceScalingTest, GlorotUniformEqualsVarianceScalingFanAvgUniform) {
  Tensor a = glorot_uniform_initializer(3)(Shape{5, 7}, float32, ctxFor("w"));
  Tensor b = variance_scaling_initializer(
      {.scale = 1, .mode = FanMode::FanAvg, .distribution = Distribution::Uniform, .seed = 3})(Shape{5, 7}, float32,
                                                                                                ctxFor("w"));
  EXPECT_TRUE(a.equals(b));
}

TEST(VarianceScalingTest, HeAndLecunUseFanInWithScaleTwoAndOne) {
  auto vs = [](double scale, Distribution d) {
    return variance_scaling_initializer({.scale = scale, .mode = FanMode::FanIn, .distribution = d, .seed = 2});
  };
  Shape shape{3, 3, 8, 16}; // fan_in = 72
  InitContext ctx = ctxFor("conv/kernel");
  EXPECT_TRUE(he_uniform_initializer(2)(shape, float32, ctx).equals(vs(2, Distribution::Uniform)(shape, float32, ctx)));
  EXPECT_TRUE(
      he_normal_initializer(2)(shape, float32, ctx).equals(vs(2, Distribution::TruncatedNormal)(shape, float32, ctx)));
  EXPECT_TRUE(
      lecun_uniform_initializer(2)(shape, float32, ctx).equals(vs(1, Distribution::Uniform)(shape, float32, ctx)));
  EXPECT_TRUE(lecun_normal_initializer(2)(shape, float32, ctx)
                  .equals(vs(1, Distribution::TruncatedNormal)(shape, float32, ctx)));
  EXPECT_TRUE(glorot_normal_initializer(2)(shape, float32, ctx)
                  .equals(variance_scaling_initializer({.scale = 1,
                                                        .mode = FanMode::FanAvg,
                                                        .distribution = Distribution::TruncatedNormal,
                                                        .seed = 2})(shape, float32, ctx)));
  Moments m = momentsOf(valuesOf(he_uniform_initializer(2)(shape, float64, ctx)));
  double limit = std::sqrt(3.0 * 2.0 / 72.0);
  EXPECT_GE(m.min, -limit);
  EXPECT_LT(m.max, limit);
  EXPECT_GT(m.max, 0.98 * limit); // 1152 draws: the largest is within 2% of the limit
}

TEST(VarianceScalingTest, TruncatedNormalStddevIsCorrectedForTruncation) {
  // stddev = sqrt(2 / 400) / 0.8796...; the truncated sample stddev is sqrt(2 / 400).
  Tensor t = he_normal_initializer(1)(Shape{400, 100}, float64, ctxFor("w"));
  Moments m = momentsOf(valuesOf(t));
  double target = std::sqrt(2.0 / 400.0);
  EXPECT_NEAR(m.stddev, target, 0.01 * target);
  EXPECT_LT(m.max, 2 * target / 0.87962566103423978);
}

TEST(VarianceScalingTest, UntruncatedNormalUsesPlainStddev) {
  Tensor t = variance_scaling_initializer({.scale = 2,
                                           .mode = FanMode::FanOut,
                                           .distribution = Distribution::UntruncatedNormal,
                                           .seed = 1})(Shape{100, 50}, float64, ctxFor("w"));
  Moments m = momentsOf(valuesOf(t));
  double target = std::sqrt(2.0 / 50.0);
  EXPECT_NEAR(m.stddev, target, 0.03 * target);
  EXPECT_GT(m.max, 3 * target); // untruncated tails
}

TEST(VarianceScalingTest, FansComeFromTheFullShapeForAShard) {
  // fan_in of the full (400, 10) variable is 400; the shard alone has 100.
  PartitionInfo info(Shape{400, 10}, {100, 0});
  Tensor shard = lecun_uniform_initializer(1)(Shape{100, 10}, float64, ctxFor("w", 0, &info));
  Moments m = momentsOf(valuesOf(shard));
  EXPECT_LT(m.max, std::sqrt(3.0 / 400.0));
  EXPECT_GT(m.max, 0.95 * std::sqrt(3.0 / 400.0));
}

//===--- Orthogonal ----------------------------------------------------------===//

/// Max |(M^T M or M M^T) - gain^2 I| for a row-major rows x cols matrix.
double orthogonalityError(const std::vector<double>& v, std::int64_t rows, std::int64_t cols, double gain,
                          bool columns) {
  std::int64_t n = columns ? cols : rows;
  std::int64_t len = columns ? rows : cols;
  double worst = 0;
  for (std::int64_t a = 0; a < n; ++a) {
    for (std::int64_t b = 0; b < n; ++b) {
      double dot = 0;
      for (std::int64_t k = 0; k < len; ++k) {
        double x = columns ? v[k * cols + a] : v[a * cols + k];
        double y = columns ? v[k * cols + b] : v[b * cols + k];
        dot += x * y;
      }
      worst = std::max(worst, std::abs(dot - (a == b ? gain * gain : 0.0)));
    }
  }
  return worst;
}

TEST(OrthogonalInitializerTest, TallMatrixHasOrthonormalColumns) {
  Tensor t = orthogonal_initializer(1.0, 3)(Shape{6, 4}, float64, ctxFor("w"));
  EXPECT_LT(orthogonalityError(valuesOf(t), 6, 4, 1.0, /*columns=*/true), 1e-12);
}

TEST(OrthogonalInitializerTest, WideMatrixHasOrthonormalRows) {
  Tensor t = orthogonal_initializer(2.0, 3)(Shape{3, 7}, float64, ctxFor("w"));
  EXPECT_LT(orthogonalityError(valuesOf(t), 3, 7, 2.0, /*columns=*/false), 1e-12);
}

TEST(OrthogonalInitializerTest, ConvKernelFlattensLeadingDims) {
  Tensor t = orthogonal_initializer()(Shape{2, 2, 3, 4}, float64, ctxFor("conv"));
  EXPECT_LT(orthogonalityError(valuesOf(t), 12, 4, 1.0, /*columns=*/true), 1e-12);
}

TEST(OrthogonalInitializerTest, SignCorrectionMakesRDiagonalPositive) {
  // Q^T A must be upper triangular with a positive diagonal, A being the
  // documented normal matrix: A(i, j) = box_muller(philox({i * n + j})).first.
  const std::int64_t m = 5;
  const std::int64_t n = 3;
  Tensor q = orthogonal_initializer(1.0, 8)(Shape{m, n}, float64, ctxFor("w", 1));
  detail::PhiloxKey key = detail::derive_initializer_key(1, 8, "w");
  std::vector<double> a(static_cast<std::size_t>(m * n));
  for (std::int64_t g = 0; g < m * n; ++g) {
    detail::PhiloxBlock b = detail::philox4x32_10(detail::element_counter(static_cast<std::uint64_t>(g)), key);
    a[static_cast<std::size_t>(g)] = detail::box_muller(b[0], b[1]).first;
  }
  const double* qv = q.data<double>();
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double r = 0;
      for (std::int64_t k = 0; k < m; ++k) r += qv[k * n + i] * a[static_cast<std::size_t>(k * n + j)];
      if (i == j) EXPECT_GT(r, 1e-6) << i;
      if (i > j) EXPECT_NEAR(r, 0.0, 1e-12) << i << "," << j;
    }
  }
}

TEST(OrthogonalInitializerTest, RankBelowTwoRaises) {
  EXPECT_EQ(errorOf<ValueError>([] { orthogonal_initializer()(Shape{4}, float32, ctxFor("w")); }),
            "The tensor to initialize must be at least two-dimensional");
}

//===--- Partition independence ----------------------------------------------===//

std::vector<Initializer> partitionableInitializers() {
  std::vector<double> counting(35);
  for (std::size_t i = 0; i < counting.size(); ++i) counting[i] = static_cast<double>(i);
  return {glorot_uniform_initializer(),
          glorot_normal_initializer(5),
          he_normal_initializer(),
          lecun_uniform_initializer(1),
          variance_scaling_initializer({.distribution = Distribution::UntruncatedNormal}),
          random_uniform_initializer({.minval = -2, .maxval = 2, .seed = 9}),
          random_normal_initializer({.seed = 9}),
          truncated_normal_initializer({.stddev = 0.1}),
          orthogonal_initializer(1.5),
          identity_initializer(3),
          constant_initializer(counting),
          ones_initializer(),
          zeros_initializer()};
}

void expectShardsAreSlices(const Shape& full, const std::vector<std::int64_t>& partitions, DType dtype) {
  for (const Initializer& init : partitionableInitializers()) {
    if (init.description().starts_with("identity") && full.rank() != 2) continue;
    if (init.description().starts_with("orthogonal") && full.rank() < 2) continue;
    if (init.description().starts_with("constant_initializer") && full.num_elements() != 35) continue;
    Tensor whole = init(full, dtype, ctxFor("layer/emb", 123));
    for (const SliceSpec& slice : compute_slices(full, partitions)) {
      PartitionInfo info(full, slice.offset);
      Tensor shard = init(slice.shape, dtype, ctxFor("layer/emb", 123, &info));
      EXPECT_EQ(valuesOf(shard), sliceOf(whole, slice))
          << init.description() << " slice at " << save_slice_spec(full, slice);
    }
  }
}

TEST(PartitionIndependenceTest, ShardValuesEqualSliceOfUnpartitionedValuesAxis0) {
  expectShardsAreSlices(Shape{7, 5}, {3, 1}, float32);
}

TEST(PartitionIndependenceTest, ShardValuesEqualSliceOfUnpartitionedValuesAxis1) {
  expectShardsAreSlices(Shape{7, 5}, {1, 2}, float32);
}

TEST(PartitionIndependenceTest, ShardValuesEqualSliceOfUnpartitionedValuesRank3MiddleAxis) {
  expectShardsAreSlices(Shape{2, 9, 3}, {1, 4, 1}, float64);
}

TEST(PartitionIndependenceTest, ShardValuesEqualSliceOfUnpartitionedValuesRank1) {
  expectShardsAreSlices(Shape{35}, {4}, bfloat16);
}

TEST(PartitionIndependenceTest, ShardThatDoesNotFitRaises) {
  PartitionInfo info(Shape{4, 4}, {2, 0});
  EXPECT_EQ(errorOf<ValueError>([&] { glorot_uniform_initializer()(Shape{3, 4}, float32, ctxFor("w", 0, &info)); }),
            "A shard of shape (3, 4) at offset [2, 0] does not fit in the full shape (4, 4)");
}

} // namespace
} // namespace varscope
