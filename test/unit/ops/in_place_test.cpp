// Ops given an expiring input (an rvalue) write their result into its memory
// when nothing else shares it (op_util.h output_reusing, docs/ops.md "In
// place on temporaries"). These tests check when that happens, that the
// results, names, traces and errors equal the out-of-place ones, and that
// memory anyone else can see is never written.
#include <cmath>
#include <cstdint>
#include <functional>
#include <utility>

#include "ops_test_util.h"
#include "varscope/v1.h"

namespace varscope {
namespace {

using namespace ops_testing;

class InPlaceTest : public OpsTest {};

constexpr std::int64_t kRows = 128; // [128, 256] float32: 128 KiB, past the 64 KiB threshold
constexpr std::int64_t kCols = 256;

/// A deterministic [rows, cols] float tensor with values in [-2, 2).
Tensor ramp(std::int64_t rows = kRows, std::int64_t cols = kCols, float offset = 0.0F) {
  Tensor t(DType::Float32, {rows, cols});
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < rows * cols; ++i)
    p[i] = static_cast<float>((i * 37 + 11) % 400) / 100.0F - 2.0F + offset;
  return t;
}

TEST(SoleOwnerTest, CopiesReshapesAndVariablesShare) {
  Tensor t = ramp();
  EXPECT_TRUE(t.sole_owner());
  {
    const Tensor copy = t;
    EXPECT_FALSE(t.sole_owner());
    EXPECT_FALSE(copy.sole_owner());
  }
  EXPECT_TRUE(t.sole_owner());
  Store store;
  Scope root = store.root_scope();
  const Tensor reshaped = reshape(root, t, {kCols, kRows});
  EXPECT_FALSE(t.sole_owner());
  const Tensor v = root.get_variable("v", {4, 4});
  EXPECT_FALSE(v.sole_owner()) << "the store holds the variable's value";
  EXPECT_FALSE(Tensor().sole_owner());
}

TEST_F(InPlaceTest, ExpiringTemporaryIsWrittenInPlace) {
  Tensor x = ramp();
  const void* memory = x.raw_data();
  const Tensor y = relu(root, std::move(x));
  EXPECT_EQ(y.raw_data(), memory);
  EXPECT_EQ(y.name(), "Relu:0");
  EXPECT_FALSE(x.defined()) << "the input is left empty, as after a move";
  for (float v : y.values<float>()) ASSERT_GE(v, 0.0F);
}

TEST_F(InPlaceTest, ChainOfTemporariesReusesOneBuffer) {
  const Tensor b = Tensor::from_vector(std::vector<float>(kCols, 0.5F), {kCols});
  Tensor x = ramp();
  const void* memory = x.raw_data();
  const Tensor y = gelu(root, bias_add(root, std::move(x), b));
  EXPECT_EQ(y.raw_data(), memory);
}

TEST_F(InPlaceTest, LvalueInputIsNeverWritten) {
  const Tensor x = ramp();
  const std::vector<float> before = values_of<float>(x);
  const Tensor y = relu(root, x);
  EXPECT_NE(y.raw_data(), x.raw_data());
  EXPECT_EQ(values_of<float>(x), before);
}

TEST_F(InPlaceTest, SharedTemporaryIsNotWritten) {
  Tensor x = ramp();
  const Tensor keep = x; // shares the elements
  const std::vector<float> before = values_of<float>(keep);
  const Tensor y = tanh(root, std::move(x));
  EXPECT_NE(y.raw_data(), keep.raw_data());
  EXPECT_EQ(values_of<float>(keep), before);
}

TEST_F(InPlaceTest, ReshapedViewOfALiveTensorIsNotWritten) {
  const Tensor x = ramp();
  const std::vector<float> before = values_of<float>(x);
  const Tensor y = sigmoid(root, reshape(root, x, {kCols, kRows}));
  EXPECT_NE(y.raw_data(), x.raw_data());
  EXPECT_EQ(values_of<float>(x), before);
}

TEST_F(InPlaceTest, VariableValueIsNotWritten) {
  const Variable var = root.get_variable("w", {kRows, kCols});
  Tensor v = var;
  const std::vector<float> before = values_of<float>(v);
  const Tensor y = square(root, std::move(v));
  EXPECT_NE(y.raw_data(), Tensor(var).raw_data());
  EXPECT_EQ(values_of<float>(Tensor(var)), before);
}

TEST_F(InPlaceTest, SmallTensorsAndBroadcastOutputsAllocate) {
  Tensor small = ramp(4, 4);
  const void* small_memory = small.raw_data();
  EXPECT_NE(exp(root, std::move(small)).raw_data(), small_memory) << "below 64 KiB";
  Tensor row = ramp(1, kCols * kRows);
  Tensor column = ramp(kRows, 1);
  const void* row_memory = row.raw_data();
  const Tensor sum = add(root, std::move(row),
                         column); // output [kRows, kCols*kRows]: another shape
  EXPECT_NE(sum.raw_data(), row_memory);
  EXPECT_EQ(sum.shape(), Shape({kRows, kCols * kRows}));
}

TEST_F(InPlaceTest, DtypeChangeOrIntegerInputIsHandled) {
  Tensor x(DType::Int32, {kRows, kCols});
  std::int32_t* p = x.data<std::int32_t>();
  for (std::int64_t i = 0; i < kRows * kCols; ++i) p[i] = static_cast<std::int32_t>(i % 7) - 3;
  const Tensor y = Tensor::scalar<std::int32_t>(2);
  const void* memory = x.raw_data();
  const Tensor z = mul(root, std::move(x), y);
  EXPECT_EQ(z.raw_data(), memory);
  EXPECT_EQ(z.values<std::int32_t>()[4], 2);  // (4 % 7 - 3) * 2
  EXPECT_EQ(z.values<std::int32_t>()[0], -6); // (0 - 3) * 2
}

/// Every op with an rvalue overload gives bit-identical results either way.
TEST_F(InPlaceTest, ResultsEqualOutOfPlace) {
  const Tensor y = ramp(kRows, kCols, 0.25F);
  const Tensor bias = Tensor::from_vector(std::vector<float>(kCols, -0.75F), {kCols});
  const Tensor gamma = Tensor::from_vector(std::vector<float>(kCols, 1.5F), {kCols});
  const Tensor beta = Tensor::from_vector(std::vector<float>(kCols, 0.1F), {kCols});
  const auto positive = [] {
    Tensor t = ramp();
    for (float& v : t.values<float>()) v = std::fabs(v) + 0.5F;
    return t;
  };
  struct Case {
    const char* op;
    std::function<Tensor(const Tensor&)> lvalue;
    std::function<Tensor(Tensor&&)> rvalue;
    bool needs_positive = false;
  };
  const std::vector<Case> cases = {
      {"add", [&](const Tensor& x) { return add(root, x, y); }, [&](Tensor&& x) { return add(root, std::move(x), y); }},
      {"sub", [&](const Tensor& x) { return sub(root, x, y); }, [&](Tensor&& x) { return sub(root, std::move(x), y); }},
      {"mul", [&](const Tensor& x) { return mul(root, x, y); }, [&](Tensor&& x) { return mul(root, std::move(x), y); }},
      {"div", [&](const Tensor& x) { return div(root, x, y); }, [&](Tensor&& x) { return div(root, std::move(x), y); }},
      {"maximum", [&](const Tensor& x) { return maximum(root, x, y); },
       [&](Tensor&& x) { return maximum(root, std::move(x), y); }},
      {"bias_add", [&](const Tensor& x) { return bias_add(root, x, bias); },
       [&](Tensor&& x) { return bias_add(root, std::move(x), bias); }},
      {"relu", [&](const Tensor& x) { return relu(root, x); }, [&](Tensor&& x) { return relu(root, std::move(x)); }},
      {"relu6", [&](const Tensor& x) { return relu6(root, x); }, [&](Tensor&& x) { return relu6(root, std::move(x)); }},
      {"elu", [&](const Tensor& x) { return elu(root, x); }, [&](Tensor&& x) { return elu(root, std::move(x)); }},
      {"gelu", [&](const Tensor& x) { return gelu(root, x); }, [&](Tensor&& x) { return gelu(root, std::move(x)); }},
      {"gelu_tanh", [&](const Tensor& x) { return gelu(root, x, {.approximate = true}); },
       [&](Tensor&& x) { return gelu(root, std::move(x), {.approximate = true}); }},
      {"sigmoid", [&](const Tensor& x) { return sigmoid(root, x); },
       [&](Tensor&& x) { return sigmoid(root, std::move(x)); }},
      {"tanh", [&](const Tensor& x) { return tanh(root, x); }, [&](Tensor&& x) { return tanh(root, std::move(x)); }},
      {"exp", [&](const Tensor& x) { return exp(root, x); }, [&](Tensor&& x) { return exp(root, std::move(x)); }},
      {"log", [&](const Tensor& x) { return log(root, x); }, [&](Tensor&& x) { return log(root, std::move(x)); }, true},
      {"sqrt", [&](const Tensor& x) { return sqrt(root, x); }, [&](Tensor&& x) { return sqrt(root, std::move(x)); },
       true},
      {"square", [&](const Tensor& x) { return square(root, x); },
       [&](Tensor&& x) { return square(root, std::move(x)); }},
      {"layer_norm", [&](const Tensor& x) { return layer_norm(root, x, gamma, beta); },
       [&](Tensor&& x) { return layer_norm(root, std::move(x), gamma, beta); }},
  };
  for (const Case& c : cases) {
    const Tensor input = c.needs_positive ? positive() : ramp();
    const Tensor expected = c.lvalue(input);
    Tensor expiring = c.needs_positive ? positive() : ramp();
    const void* memory = expiring.raw_data();
    const Tensor actual = c.rvalue(std::move(expiring));
    EXPECT_EQ(actual.raw_data(), memory) << c.op << " did not reuse its expiring input";
    EXPECT_EQ(values_of<float>(actual), values_of<float>(expected)) << c.op;
    EXPECT_EQ(actual.shape(), expected.shape()) << c.op;
  }
}

TEST_F(InPlaceTest, NamesAndTraceAreTheSame) {
  store.set_tracing(true);
  const Tensor a = relu(root, ramp());
  const Tensor b = relu(root, ramp());
  EXPECT_EQ(a.name(), "Relu:0");
  EXPECT_EQ(b.name(), "Relu_1:0");
  const std::vector<OpRecord> trace = store.trace();
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[1].name, "Relu_1");
  ASSERT_EQ(trace[1].input_shapes.size(), 1u);
  EXPECT_EQ(trace[1].input_shapes[0], Shape({kRows, kCols}));
  EXPECT_EQ(trace[1].output_shape, Shape({kRows, kCols}));
}

TEST_F(InPlaceTest, ErrorsAreTheSameAndTheInputSurvives) {
  Tensor x = ramp();
  const Tensor wrong_bias = Tensor::from_vector(std::vector<float>(3, 1.0F), {3});
  expect_error<ValueError>([&] { (void)bias_add(root, std::move(x), wrong_bias); },
                           "Dimensions must be equal, but are 256 and 3 for 'BiasAdd' (op: 'BiasAdd') with input "
                           "shapes: [128,256], [3].");
  EXPECT_TRUE(x.defined()) << "a failed op leaves its input alone";
  EXPECT_EQ(x.shape(), Shape({kRows, kCols}));
}

TEST_F(InPlaceTest, V1FaceForwardsTemporaries) {
  v1::reset_default_graph();
  Tensor x = ramp();
  const void* memory = x.raw_data();
  const Tensor y = v1::relu(std::move(x));
  EXPECT_EQ(y.raw_data(), memory);
  EXPECT_EQ(y.name(), "Relu:0");
}

} // namespace
} // namespace varscope
