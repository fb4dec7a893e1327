// The float elementwise kernels of every instruction set this build has
// (runtime/src/ops/elementwise.h): each wider table against the SSE2 one
// within a stated bound (ulps, or an absolute bound where the formula
// cancels), on special values (+-0, +-inf, NaN, denormals, +-FLT_MAX, the
// overflow and underflow edges of exp), lengths 0..70 and unaligned starts;
// the binary ops exactly. Kernels the CPU cannot run are skipped. Also: the
// SSE2 table is Eigen's baseline evaluation of the same expressions,
// VARSCOPE_ISA=sse2 selects it, the ops call the active table, and the
// aligned splits of parallel.h give the same bits on 1, 2 and 3 threads for
// 16-, 32- and 64-byte packets.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include "ops/elementwise.h"
#include "ops/parallel.h"
#include "ops_test_util.h"
#include "thread_pool.h"

namespace varscope {
namespace {

using ops_internal::BinaryOp;
using ops_internal::ElementwiseFns;
using ops_internal::ElementwiseKernels;
using ops_internal::Isa;
using ops_internal::Operands;
using ops_internal::UnaryOp;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

const char* unary_name(int op) {
  static const char* const kNames[] = {"Relu", "Relu6",   "Elu",  "Gelu", "GeluTanh", "Sigmoid",
                                       "Tanh", "Exp",     "Log",  "Sqrt", "Square"};
  return kNames[op];
}

/// Distance in units in the last place (0 for two NaNs, "infinite" for a
/// NaN against a number).
std::int64_t ulps(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : std::int64_t{1} << 40;
  auto ordered = [](float v) {
    std::int32_t i;
    std::memcpy(&i, &v, sizeof i);
    return i < 0 ? -static_cast<std::int64_t>(i & 0x7fffffff) : static_cast<std::int64_t>(i);
  };
  return std::llabs(ordered(a) - ordered(b));
}

/// Values that exercise the special cases of exp, tanh, erf, log, sqrt.
std::vector<float> special_values() {
  return {0.0f,      -0.0f,     kInf,       -kInf,      kNaN,       -kNaN,      1e-45f,     -1e-45f,   1e-40f,
          -1e-40f,   FLT_MIN,   -FLT_MIN,   FLT_MAX,    -FLT_MAX,   88.72f,     88.73f,     89.0f,     -87.3f,
          -88.0f,    -103.9f,   -104.0f,   -110.0f,   1e10f,      -1e10f,     9.0f,       -9.0f,     10.0f,
          -10.0f,    4.0f,      -4.0f,      3.9f,       -3.9f,      0.5f,       -0.5f,      1.0f,      -1.0f,
          6.0f,      -6.0f,     0.625f,     1e-4f,      -1e-4f,     1e-8f,      -1e-8f,     7.90531f,  -7.90531f};
}

/// A deterministic mix: the special values, uniform values in [-12, 12]
/// and values of any exponent.
std::vector<float> test_values(std::size_t n, std::uint32_t seed) {
  const std::vector<float> specials = special_values();
  std::vector<float> out;
  std::uint32_t state = seed * 2654435761u + 11;
  auto next = [&] { return state = state * 1664525u + 1013904223u; };
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = next();
    if (r % 4 == 0)
      out.push_back(specials[(r >> 8) % specials.size()]);
    else if (r % 4 == 1) {
      // One draw per statement: the order of evaluation is then fixed.
      const float mantissa = static_cast<float>(next() >> 8) / float(1 << 24) + 0.5f;
      const int exponent = static_cast<int>(next() % 60) - 40;
      const float sign = next() & 1 ? 1.0f : -1.0f;
      out.push_back(sign * std::ldexp(mantissa, exponent));
    } else
      out.push_back(static_cast<float>(next() >> 8) / float(1 << 24) * 24.0f - 12.0f);
  }
  return out;
}

/// A sweep over every exponent and [-120, 120] in small steps.
std::vector<float> sweep_values() {
  std::vector<float> out;
  for (int e = -149; e <= 127; ++e)
    for (float m : {1.0f, 1.1f, 1.25f, 1.5f, 1.7f, 1.99f}) {
      out.push_back(std::ldexp(m, e));
      out.push_back(-std::ldexp(m, e));
    }
  for (float x = -120.0f; x <= 120.0f; x += 0.0123f) out.push_back(x);
  for (float v : special_values()) out.push_back(v);
  return out;
}

/// Whether got is within the bound of the SSE2 result `base` for input x.
struct Bound {
  std::int64_t max_ulps;
  /// Alternatively |got - base| <= abs_per_x * |x| + abs (formulas that
  /// cancel: 1 + erf, exp - 1).
  double abs_per_x = 0;
  double abs = 0;
};

Bound unary_bound(UnaryOp op) {
  switch (op) {
  case UnaryOp::Relu:
  case UnaryOp::Relu6:
  case UnaryOp::Square:
    return {0}; // exact (one comparison or product)
  case UnaryOp::Sqrt: // Eigen's packet sqrt: an rsqrt estimate and one Newton step (FMA in the wider builds)
    return {6}; // (4 measured with AVX2)
  case UnaryOp::Exp:
  case UnaryOp::Log:
  case UnaryOp::Sigmoid:
    return {2};
  case UnaryOp::Tanh: // up to 5 ulps near -1 (x in [-8, -4]): 4 FLT_EPSILON absolute
    return {4, 0, 4 * FLT_EPSILON};
  case UnaryOp::Elu: // exp(x) - 1: absolute error of exp's
    return {2, 0, 2 * FLT_EPSILON};
  case UnaryOp::Gelu: // 0.5 x (1 + erf): absolute error of erf's, times x
  case UnaryOp::GeluTanh:
    return {2, 2 * FLT_EPSILON, 0};
  }
  return {0};
}

/// The exact value of exp, log and sqrt (NaN for the other ops).
double truth(UnaryOp op, float x) {
  if (op == UnaryOp::Exp) return std::exp(static_cast<double>(x));
  if (op == UnaryOp::Log) return std::log(static_cast<double>(x));
  if (op == UnaryOp::Sqrt) return std::sqrt(static_cast<double>(x));
  return std::numeric_limits<double>::quiet_NaN();
}

bool within(const Bound& b, UnaryOp op, float x, float got, float base) {
  if (ulps(got, base) <= b.max_ulps) return true;
  // Subnormals: SSE2's exp clamps x at -88.38 and returns 2^-128 for any
  // smaller x where AVX2 and AVX-512 follow exp down to 0; SSE2's packet log
  // takes a subnormal x for FLT_MIN (-87.34) and its packet sqrt gives 0,
  // where the scalar head and tail (and the wider builds for log) are
  // right. Either is accepted when it is within the bound of SSE2's result
  // or of the true value, or both are below FLT_MIN.
  const bool subnormal = std::fpclassify(x) == FP_SUBNORMAL || std::fabs(base) < FLT_MIN || std::fabs(got) < FLT_MIN;
  const double exact = truth(op, x);
  if (subnormal && !std::isnan(exact)) {
    const float rounded = static_cast<float>(exact);
    if (ulps(got, rounded) <= b.max_ulps) return true;
    if (std::fabs(got) < FLT_MIN && std::fabs(rounded) < FLT_MIN && std::fabs(base) < FLT_MIN) return true;
  }
  if (std::isnan(got) || std::isnan(base) || std::isinf(got) || std::isinf(base)) return false;
  const double diff = std::fabs(static_cast<double>(got) - static_cast<double>(base));
  return (b.abs_per_x > 0 || b.abs > 0) && diff <= b.abs_per_x * std::fabs(static_cast<double>(x)) + b.abs;
}

const ElementwiseKernels& baseline() {
  const ElementwiseKernels* kernels = ops_internal::elementwise_kernels_for(Isa::Sse2);
  EXPECT_NE(kernels, nullptr);
  return *kernels;
}

/// A buffer of n floats from a 64-byte aligned base, so offsets pick the
/// alignment (an offset counts in n).
struct Buffer {
  std::vector<float> storage;
  float* base;
  explicit Buffer(std::size_t n) : storage(n + 16) {
    const auto address = reinterpret_cast<std::uintptr_t>(storage.data());
    base = storage.data() + (64 - address % 64) % 64 / sizeof(float);
  }
};

/// For every length 0..70, destination offset 0..15 floats and three source
/// offsets, in place and out of place: the kernel against SSE2's.
void check_unary(Isa isa) {
  const ElementwiseKernels* kernels = ops_internal::elementwise_kernels_for(isa);
  if (kernels == nullptr) GTEST_SKIP() << ops_internal::isa_name(isa) << " kernels not compiled or not supported";
  EXPECT_EQ(kernels->isa, isa);
  const std::vector<float> values = test_values(4096, 1);
  for (int op = 0; op < ops_internal::kUnaryOpCount; ++op) {
    SCOPED_TRACE(std::string(ops_internal::isa_name(isa)) + " " + unary_name(op));
    const Bound bound = unary_bound(static_cast<UnaryOp>(op));
    auto* fn = kernels->f32.unary[op];
    auto* base_fn = baseline().f32.unary[op];
    int failures = 0;
    std::int64_t worst = 0;
    std::size_t start = 0;
    for (std::int64_t n = 0; n <= 70; ++n)
      for (int dst_off = 0; dst_off < 16; ++dst_off)
        for (int src_off : {0, 1, 7}) {
          Buffer src(96), got(96), base(96);
          for (std::int64_t i = 0; i < n; ++i) src.base[src_off + i] = values[(start + i) % values.size()];
          start += 13;
          fn(src.base + src_off, got.base + dst_off, n);
          base_fn(src.base + src_off, base.base + dst_off, n);
          // In place, at the destination's offset.
          Buffer in_place(96);
          std::memcpy(in_place.base + dst_off, src.base + src_off, n * sizeof(float));
          fn(in_place.base + dst_off, in_place.base + dst_off, n);
          for (std::int64_t i = 0; i < n && failures < 10; ++i) {
            const float x = src.base[src_off + i], g = got.base[dst_off + i], b = base.base[dst_off + i];
            if (std::fabs(b) >= 1e-3f && std::isfinite(b)) worst = std::max(worst, ulps(g, b));
            EXPECT_EQ(ulps(in_place.base[dst_off + i], g), 0) << "in place, x=" << x;
            if (within(bound, static_cast<UnaryOp>(op), x, g, b)) continue;
            ++failures;
            ADD_FAILURE() << "x=" << x << " got " << g << " sse2 " << b << " (" << ulps(g, b) << " ulps) n=" << n
                          << " element " << i << " dst offset " << dst_off;
          }
        }
    // The sweep, in one call: long packet runs.
    const std::vector<float> sweep = sweep_values();
    std::vector<float> got(sweep.size()), base(sweep.size());
    fn(sweep.data(), got.data(), static_cast<std::int64_t>(sweep.size()));
    base_fn(sweep.data(), base.data(), static_cast<std::int64_t>(sweep.size()));
    for (std::size_t i = 0; i < sweep.size() && failures < 10; ++i) {
      if (std::fabs(base[i]) >= 1e-3f && std::isfinite(base[i])) worst = std::max(worst, ulps(got[i], base[i]));
      if (within(bound, static_cast<UnaryOp>(op), sweep[i], got[i], base[i])) continue;
      ++failures;
      ADD_FAILURE() << "sweep x=" << sweep[i] << " got " << got[i] << " sse2 " << base[i] << " ("
                    << ulps(got[i], base[i]) << " ulps)";
    }
    std::printf("[ ulps ] %s %s: at most %lld ulps from sse2 where |sse2| >= 1e-3\n",
                ops_internal::isa_name(isa).data(), unary_name(op), static_cast<long long>(worst));
  }
}

/// The binary ops are one IEEE operation per element: every table gives
/// SSE2's bits, NaNs included, for every operand form.
void check_binary(Isa isa) {
  const ElementwiseKernels* kernels = ops_internal::elementwise_kernels_for(isa);
  if (kernels == nullptr) GTEST_SKIP() << ops_internal::isa_name(isa) << " kernels not compiled or not supported";
  const std::vector<float> xs = test_values(4096, 2), ys = test_values(4096, 3);
  std::size_t start = 0;
  for (int op = 0; op < ops_internal::kBinaryOpCount; ++op)
    for (int form = 0; form < ops_internal::kOperandsCount; ++form) {
      SCOPED_TRACE(std::string(ops_internal::isa_name(isa)) + " op " + std::to_string(op) + " operands " +
                   std::to_string(form));
      int failures = 0;
      for (std::int64_t n = 0; n <= 70; ++n)
        for (int dst_off = 0; dst_off < 16; ++dst_off) {
          Buffer x(96), y(96), got(96), base(96);
          for (std::int64_t i = 0; i < 72; ++i) {
            x.base[1 + i] = xs[(start + i) % xs.size()];
            y.base[3 + i] = ys[(start + 5 * i) % ys.size()];
          }
          start += 17;
          kernels->f32.binary[op][form](x.base + 1, y.base + 3, got.base + dst_off, n);
          baseline().f32.binary[op][form](x.base + 1, y.base + 3, base.base + dst_off, n);
          if (std::memcmp(got.base + dst_off, base.base + dst_off, n * sizeof(float)) != 0 && failures++ < 5)
            ADD_FAILURE() << "n=" << n << " dst offset " << dst_off;
        }
    }
}

/// Softmax, log-softmax and layer_norm rows against SSE2's: the rows are
/// summed in another order, so the bound is relative to the row's scale.
void check_rows(Isa isa) {
  const ElementwiseKernels* kernels = ops_internal::elementwise_kernels_for(isa);
  if (kernels == nullptr) GTEST_SKIP() << ops_internal::isa_name(isa) << " kernels not compiled or not supported";
  std::uint32_t seed = 10;
  double worst_softmax = 0, worst_log = 0, worst_norm = 0;
  for (std::int64_t n : {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 70, 128, 257, 768}) {
    for (int off : {0, 1, 5, 15}) {
      SCOPED_TRACE(std::string(ops_internal::isa_name(isa)) + " n=" + std::to_string(n) + " offset " +
                   std::to_string(off));
      const std::int64_t rows = 3;
      Buffer in(rows * n + 16), got(rows * n + 16), base(rows * n + 16), gamma(n + 16), beta(n + 16);
      std::uint32_t state = seed++;
      auto uniform = [&](float scale) {
        state = state * 1664525u + 1013904223u;
        return (static_cast<float>(state >> 8) / float(1 << 24) * 2 - 1) * scale;
      };
      for (std::int64_t i = 0; i < rows * n; ++i) in.base[off + i] = uniform(i < n ? 3.0f : i < 2 * n ? 30.0f : 0.5f);
      for (std::int64_t i = 0; i < n; ++i) {
        gamma.base[i] = uniform(2.0f);
        beta.base[i] = uniform(1.0f);
      }
      const float* x = in.base + off;
      float* g = got.base + off;
      float* b = base.base + off;
      kernels->f32.softmax_rows(x, g, rows, n);
      baseline().f32.softmax_rows(x, b, rows, n);
      for (std::int64_t i = 0; i < rows * n; ++i) {
        // Each output: a few ulps of exp and of the division, plus the sum's
        // relative difference (its terms are positive: a few ulps too).
        worst_softmax = std::max(worst_softmax, static_cast<double>(ulps(g[i], b[i])));
        EXPECT_LE(ulps(g[i], b[i]), 8) << "softmax element " << i << ": " << g[i] << " vs " << b[i];
      }
      kernels->f32.log_softmax_rows(x, g, rows, n);
      baseline().f32.log_softmax_rows(x, b, rows, n);
      for (std::int64_t i = 0; i < rows * n; ++i) {
        // x - max - log(sum): the log's absolute error, relative to 1 + |y|.
        const double diff = std::fabs(static_cast<double>(g[i]) - b[i]) / (1 + std::fabs(b[i]));
        worst_log = std::max(worst_log, diff / FLT_EPSILON);
        EXPECT_LE(diff, 4 * FLT_EPSILON) << "log_softmax element " << i << ": " << g[i] << " vs " << b[i];
      }
      for (bool affine : {false, true}) {
        kernels->f32.layer_norm_rows(x, g, rows, n, affine ? gamma.base : nullptr, affine ? beta.base : nullptr,
                                     1e-5f);
        baseline().f32.layer_norm_rows(x, b, rows, n, affine ? gamma.base : nullptr, affine ? beta.base : nullptr,
                                       1e-5f);
        for (std::int64_t i = 0; i < rows * n; ++i) {
          // (x - mean) / sigma: the mean's and variance's rounding (sums of n
          // terms in another order) moves every output by a few ulps of the
          // row's largest normalised value; gamma scales it.
          const double scale = 1 + std::fabs(static_cast<double>(b[i])) + (affine ? 2 : 0);
          const double diff = std::fabs(static_cast<double>(g[i]) - b[i]) / scale;
          worst_norm = std::max(worst_norm, diff / FLT_EPSILON);
          EXPECT_LE(diff, 16 * FLT_EPSILON) << "layer_norm element " << i << ": " << g[i] << " vs " << b[i];
        }
      }
    }
  }
  // Softmax's special values: -inf logits give 0, an inf or NaN gives NaN.
  const std::vector<float> special = {-kInf, 1.0f, 2.0f, -kInf, 0.5f, 3.0f, -1.0f, 0.0f, kInf, 1.0f, kNaN, 2.0f};
  for (std::int64_t n : {3, 4, 12}) {
    std::vector<float> got(special.size()), base(special.size());
    kernels->f32.softmax_rows(special.data(), got.data(), static_cast<std::int64_t>(special.size()) / n, n);
    baseline().f32.softmax_rows(special.data(), base.data(), static_cast<std::int64_t>(special.size()) / n, n);
    // exp(-inf): SSE2 2^-128, the wider builds 0 (see within()).
    for (std::size_t i = 0; i < special.size(); ++i)
      EXPECT_TRUE(ulps(got[i], base[i]) <= 8 || (std::fabs(got[i]) < FLT_MIN && std::fabs(base[i]) < FLT_MIN))
          << "n=" << n << " i=" << i << ": " << got[i] << " vs " << base[i];
  }
  std::printf("[ ulps ] %s softmax at most %g ulps; log_softmax %g eps * (1 + |y|); layer_norm %g eps * scale\n",
              ops_internal::isa_name(isa).data(), worst_softmax, worst_log, worst_norm);
}

TEST(ElementwiseIsaTest, Avx2UnaryKernelsWithinBoundOfSse2) { check_unary(Isa::Avx2); }
TEST(ElementwiseIsaTest, Avx512UnaryKernelsWithinBoundOfSse2) { check_unary(Isa::Avx512); }
TEST(ElementwiseIsaTest, Avx2BinaryKernelsEqualSse2) { check_binary(Isa::Avx2); }
TEST(ElementwiseIsaTest, Avx512BinaryKernelsEqualSse2) { check_binary(Isa::Avx512); }
TEST(ElementwiseIsaTest, Avx2RowKernelsWithinBoundOfSse2) { check_rows(Isa::Avx2); }
TEST(ElementwiseIsaTest, Avx512RowKernelsWithinBoundOfSse2) { check_rows(Isa::Avx512); }

TEST(ElementwiseIsaTest, Sse2KernelsAreEigensBaselineEvaluation) {
  // The SSE2 table is the code math.cpp and nn.cpp ran before the tables,
  // compiled with the runtime's flags: this file's Eigen, same flags, same
  // maps, must give the same bits.
  const ElementwiseFns<float>& sse2 = baseline().f32;
  using Array = Eigen::Array<float, Eigen::Dynamic, 1>;
  const std::vector<float> values = test_values(1000, 4);
  for (int off : {0, 3}) {
    Buffer got(1000), expected(1000);
    Eigen::Map<const Array> in(values.data(), 990);
    Eigen::Map<Array> o(expected.base + off, 990);
    auto check = [&](UnaryOp op, auto&& expression) {
      sse2.unary[static_cast<int>(op)](values.data(), got.base + off, 990);
      o = expression;
      EXPECT_EQ(std::memcmp(got.base + off, expected.base + off, 990 * sizeof(float)), 0)
          << unary_name(static_cast<int>(op)) << " offset " << off;
    };
    check(UnaryOp::Sigmoid, 1.0f / (1.0f + (-in).exp()));
    check(UnaryOp::Tanh, in.tanh());
    check(UnaryOp::Exp, in.exp());
    check(UnaryOp::Gelu, 0.5f * in * (1.0f + (in * float(M_SQRT1_2)).erf()));
    check(UnaryOp::GeluTanh, 0.5f * in * (1.0f + (0.7978845608028654f * (in + 0.044715f * in.cube())).tanh()));
  }
}

TEST(ElementwiseIsaTest, ActiveKernelsFollowTheGemmsChoice) {
  const ElementwiseKernels& active = ops_internal::elementwise_kernels();
  EXPECT_EQ(active.isa, ops_internal::gemm_kernels().isa);
  EXPECT_EQ(ops_internal::elementwise_kernels_for(active.isa), &active);
  EXPECT_EQ(&ops_internal::elementwise_fns<float>(), &active.f32);
  // double keeps the SSE2 kernels everywhere.
  EXPECT_NE(ops_internal::elementwise_fns<double>().unary[0], nullptr);
  std::printf("[ isa  ] active elementwise kernels: %s\n", ops_internal::isa_name(active.isa).data());
}

TEST(ElementwiseIsaTest, VarscopeIsaSse2SelectsTheBaseline) {
  // The choice is made once per process: a fresh one (the threadsafe style
  // re-executes this test binary) with VARSCOPE_ISA=sse2 set first.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("VARSCOPE_ISA", "sse2", 1);
        const bool baseline_chosen = ops_internal::elementwise_kernels().isa == Isa::Sse2 &&
                                     &ops_internal::elementwise_kernels() ==
                                         ops_internal::elementwise_kernels_for(Isa::Sse2) &&
                                     ops_internal::gemm_kernels().isa == Isa::Sse2;
        std::exit(baseline_chosen ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(ElementwiseIsaTest, OpsUseTheActiveKernels) {
  // Tensor buffers are 64-byte aligned (as Buffer's base), so the op and the
  // kernel take the same head/packet/tail paths.
  Store store;
  Scope root = store.root_scope();
  const std::vector<float> values = test_values(1027, 5);
  const Tensor x = Tensor::from_vector(values, {1027});
  const ElementwiseFns<float>& active = ops_internal::elementwise_kernels().f32;
  Buffer expected(1027);
  auto expect_kernel = [&](const Tensor& result, UnaryOp op) {
    active.unary[static_cast<int>(op)](values.data(), expected.base, 1027);
    EXPECT_EQ(std::memcmp(result.data<float>(), expected.base, 1027 * sizeof(float)), 0)
        << unary_name(static_cast<int>(op));
  };
  expect_kernel(sigmoid(root, x), UnaryOp::Sigmoid);
  expect_kernel(tanh(root, x), UnaryOp::Tanh);
  expect_kernel(exp(root, x), UnaryOp::Exp);
  expect_kernel(gelu(root, x), UnaryOp::Gelu);
  expect_kernel(gelu(root, x, {.approximate = true}), UnaryOp::GeluTanh);
  // Rows are reduced in an order that depends on their alignment: the
  // kernel reads a copy at the tensor's (64-byte) alignment.
  const Tensor logits = Tensor::from_vector(std::vector<float>(values.begin(), values.begin() + 3 * 77), {3, 77});
  Buffer in(3 * 77), rows(3 * 77);
  std::memcpy(in.base, values.data(), 3 * 77 * sizeof(float));
  const Tensor sm = softmax(root, logits);
  active.softmax_rows(in.base, rows.base, 3, 77);
  EXPECT_EQ(std::memcmp(sm.data<float>(), rows.base, 3 * 77 * sizeof(float)), 0);
  const Tensor ln = layer_norm(root, logits, Tensor(), Tensor());
  active.layer_norm_rows(in.base, rows.base, 3, 77, nullptr, nullptr, static_cast<float>(1e-12));
  EXPECT_EQ(std::memcmp(ln.data<float>(), rows.base, 3 * 77 * sizeof(float)), 0);
}

/// Every table the CPU runs, through parallel.h's flat split on 1, 2 and 3
/// threads, with destinations at every float offset of a 64-byte line: the
/// same bits as one unsplit call (scalar head, 16-, 32- or 64-byte packets,
/// scalar tail: each element on the same path).
TEST(ElementwiseIsaTest, AlignedSplitsAreBitIdenticalForAnyThreadCountOnEveryIsa) {
  const std::int64_t n = 2 * ops_internal::kElementBlock + 4 * 1024 + 37;
  const std::vector<float> values = test_values(static_cast<std::size_t>(n) + 16, 6);
  detail::ThreadPool two(2), three(3);
  for (Isa isa : {Isa::Sse2, Isa::Avx2, Isa::Avx512}) {
    const ElementwiseKernels* kernels = ops_internal::elementwise_kernels_for(isa);
    if (kernels == nullptr) continue;
    for (UnaryOp op : {UnaryOp::Sigmoid, UnaryOp::Tanh, UnaryOp::Gelu, UnaryOp::Exp, UnaryOp::Elu}) {
      auto* fn = kernels->f32.unary[static_cast<int>(op)];
      for (int off = 0; off < 16; off += 3) {
        SCOPED_TRACE(std::string(ops_internal::isa_name(isa)) + " " + unary_name(static_cast<int>(op)) + " offset " +
                     std::to_string(off));
        Buffer unsplit(n + 16), split(n + 16);
        fn(values.data() + off, unsplit.base + off, n);
        for (detail::ThreadPool* pool : {&two, &three}) {
          std::memset(split.base, 0, n * sizeof(float));
          float* dst = split.base + off;
          const float* src = values.data() + off;
          ops_internal::parallel_elements(pool, dst, n, 10,
                                          [&](std::int64_t b, std::int64_t e) { fn(src + b, dst + b, e - b); });
          EXPECT_EQ(std::memcmp(dst, unsplit.base + off, n * sizeof(float)), 0) << pool->num_threads() << " threads";
        }
      }
    }
  }
}

} // namespace
} // namespace varscope
