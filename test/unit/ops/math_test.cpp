// matmul, the broadcasting binary ops, bias_add and the activations.
#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

class MathOpsTest : public OpsTest {};

// -- matmul

TEST_F(MathOpsTest, MatMul2x3By3x2) {
  Tensor a = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = f32({7, 8, 9, 10, 11, 12}, {3, 2});
  Tensor c = matmul(root, a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(c), (std::vector<float>{58, 64, 139, 154}));
  EXPECT_EQ(c.name(), "MatMul:0");
}

TEST_F(MathOpsTest, MatMulTransposeFlags) {
  Tensor at = f32({1, 4, 2, 5, 3, 6}, {3, 2});
  Tensor bt = f32({7, 9, 11, 8, 10, 12}, {2, 3});
  Tensor a = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = f32({7, 8, 9, 10, 11, 12}, {3, 2});
  const std::vector<float> expected{58, 64, 139, 154};
  EXPECT_EQ(values_of<float>(matmul(root, at, b, {.transpose_a = true})), expected);
  EXPECT_EQ(values_of<float>(matmul(root, a, bt, {.transpose_b = true})), expected);
  Tensor both = matmul(root, at, bt, {.transpose_a = true, .transpose_b = true, .name = "logits"});
  EXPECT_EQ(values_of<float>(both), expected);
  EXPECT_EQ(both.name(), "logits:0");
}

TEST_F(MathOpsTest, MatMulFloat64AndInt32) {
  Tensor c = matmul(root, f64({1, 2, 3, 4}, {2, 2}), f64({0.5, 0, 0, 2}, {2, 2}));
  EXPECT_EQ(c.dtype(), DType::Float64);
  EXPECT_EQ(values_of<double>(c), (std::vector<double>{0.5, 4, 1.5, 8}));
  Tensor d = matmul(root, i32({1, 2, 3, 4}, {2, 2}), i32({1, 1, 1, 1}, {2, 2}));
  EXPECT_EQ(values_of<std::int32_t>(d), (std::vector<std::int32_t>{3, 3, 7, 7}));
}

TEST_F(MathOpsTest, BatchedMatMulBroadcastsRank2Operand) {
  Tensor a = f32({1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}, {2, 2, 3});
  Tensor b = f32({7, 8, 9, 10, 11, 12}, {3, 2});
  store.set_tracing(true);
  Tensor c = matmul(root, a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(values_of<float>(c), (std::vector<float>{58, 64, 139, 154, 7, 8, 9, 10}));
  ASSERT_EQ(store.trace().size(), 1u);
  EXPECT_EQ(store.trace()[0].type, "BatchMatMulV2");
  EXPECT_EQ(store.trace()[0].name, "MatMul");
}

TEST_F(MathOpsTest, BatchedMatMulBroadcastsBatchDims) {
  Tensor a = f32({1, 2, 3, 4}, {2, 1, 1, 2});
  Tensor b = f32({1, 0, 0, 1, 1, 1}, {3, 2, 1});
  Tensor c = matmul(root, a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 3, 1, 1}));
  EXPECT_EQ(values_of<float>(c), (std::vector<float>{1, 2, 3, 3, 4, 7}));
}

TEST_F(MathOpsTest, BatchedMatMulTransposed) {
  // Two batches of 2x2, the second operand transposed.
  Tensor a = f32({1, 2, 3, 4, 1, 0, 0, 1}, {2, 2, 2});
  Tensor b = f32({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2});
  Tensor c = matmul(root, a, b, {.transpose_b = true});
  EXPECT_EQ(values_of<float>(c), (std::vector<float>{5, 11, 11, 25, 5, 7, 6, 8}));
}

TEST_F(MathOpsTest, MatMulInnerDimensionMismatchMessage) {
  expect_error<ValueError>([&] { (void)matmul(root, f32(std::vector<float>(6), {2, 3}), f32(std::vector<float>(20), {4, 5})); },
                           "Dimensions must be equal, but are 3 and 4 for 'MatMul' (op: 'MatMul') with input "
                           "shapes: [2,3], [4,5].");
  // The failed op still took its name, as in TF.
  expect_error<ValueError>(
      [&] { (void)matmul(root, f32(std::vector<float>(6), {2, 3}), f32(std::vector<float>(6), {3, 2}), {.transpose_a = true}); },
      "Dimensions must be equal, but are 2 and 3 for 'MatMul_1' (op: 'MatMul') with input shapes: [2,3], [3,2].");
}

TEST_F(MathOpsTest, MatMulRankMessages) {
  expect_error<ValueError>([&] { (void)matmul(root, f32({1, 2, 3}, {3}), f32(std::vector<float>(6), {3, 2})); },
                           "Shape must be rank 2 but is rank 1 for 'MatMul' (op: 'MatMul') with input shapes: [3], "
                           "[3,2].");
  expect_error<ValueError>([&] { (void)matmul(root, f32({1, 2, 3}, {3}), f32(std::vector<float>(6), {1, 3, 2})); },
                           "Shape must be at least rank 2 but is rank 1 for 'MatMul_1' (op: 'BatchMatMulV2') with "
                           "input shapes: [3], [1,3,2].");
}

TEST_F(MathOpsTest, BatchedMatMulBatchMismatchMessage) {
  expect_error<ValueError>(
      [&] { (void)matmul(root, f32(std::vector<float>(12), {2, 2, 3}), f32(std::vector<float>(18), {3, 3, 2})); },
      "Dimensions must be equal, but are 2 and 3 for 'MatMul' (op: 'BatchMatMulV2') with input shapes: [2,2,3], "
      "[3,3,2].");
}

TEST_F(MathOpsTest, MatMulDtypeErrors) {
  expect_error<TypeError>([&] { (void)matmul(root, f32({1}, {1, 1}), f64({1}, {1, 1})); },
                          "Input 'b' of 'MatMul' Op has type float64 that does not match type float32 of argument "
                          "'a'.");
  Tensor bytes(DType::Int8, Shape{1, 1});
  expect_error<TypeError>([&] { (void)matmul(root, bytes, bytes); },
                          "Value passed to parameter 'a' has DataType int8 not in list of allowed values: float32, "
                          "float64, int32, int64 for 'MatMul_1' (op: 'MatMul')");
}

// -- Broadcasting binary ops

TEST_F(MathOpsTest, AddBroadcasts2x1x3With4x1) {
  Tensor a = f32({1, 2, 3, 4, 5, 6}, {2, 1, 3});
  Tensor b = f32({10, 20, 30, 40}, {4, 1});
  Tensor c = add(root, a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 4, 3}));
  EXPECT_EQ(values_of<float>(c), (std::vector<float>{11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43,
                                                     14, 15, 16, 24, 25, 26, 34, 35, 36, 44, 45, 46}));
  // The same with the operands swapped.
  EXPECT_EQ(values_of<float>(add(root, b, a)), values_of<float>(c));
}

TEST_F(MathOpsTest, BroadcastAlongMiddleAxis) {
  Tensor a = f32({1, 2, 3, 4, 5, 6}, {2, 3, 1});
  Tensor b = f32({1, 10, 100}, {1, 3, 1});
  EXPECT_EQ(values_of<float>(mul(root, a, b)), (std::vector<float>{1, 20, 300, 4, 50, 600}));
  Tensor c = f32({1, 2}, {2, 1, 1});
  Tensor d = f32({1, 2, 3}, {1, 1, 3});
  Tensor e = sub(root, c, d);
  EXPECT_EQ(e.shape(), (Shape{2, 1, 3}));
  EXPECT_EQ(values_of<float>(e), (std::vector<float>{0, -1, -2, 1, 0, -1}));
}

TEST_F(MathOpsTest, BinaryOpsWithScalarsAndSameShapes) {
  Tensor x = f32({1, -2, 3, -4}, {2, 2});
  Tensor two = Tensor::scalar<float>(2);
  EXPECT_EQ(values_of<float>(sub(root, x, two)), (std::vector<float>{-1, -4, 1, -6}));
  EXPECT_EQ(values_of<float>(sub(root, two, x)), (std::vector<float>{1, 4, -1, 6}));
  EXPECT_EQ(values_of<float>(mul(root, x, two)), (std::vector<float>{2, -4, 6, -8}));
  EXPECT_EQ(values_of<float>(div(root, x, two)), (std::vector<float>{0.5f, -1, 1.5f, -2}));
  EXPECT_EQ(values_of<float>(div(root, two, x)), (std::vector<float>{2, -1, 2.0f / 3, -0.5f}));
  EXPECT_EQ(values_of<float>(maximum(root, x, Tensor::scalar<float>(0))), (std::vector<float>{1, 0, 3, 0}));
  EXPECT_EQ(values_of<float>(maximum(root, x, f32({0, 0, 5, -5}, {2, 2}))), (std::vector<float>{1, 0, 5, -4}));
  EXPECT_EQ(values_of<float>(add(root, x, x)), (std::vector<float>{2, -4, 6, -8}));
}

TEST_F(MathOpsTest, IntegerAndFloat64Arithmetic) {
  Tensor a = i32({1, 2, 3}, {3});
  EXPECT_EQ(values_of<std::int32_t>(add(root, a, i32({10}, {1}))), (std::vector<std::int32_t>{11, 12, 13}));
  Tensor b = i64({5, 7}, {2, 1});
  EXPECT_EQ(values_of<std::int64_t>(mul(root, b, i64({1, 2}, {2}))), (std::vector<std::int64_t>{5, 10, 7, 14}));
  EXPECT_EQ(values_of<double>(sub(root, f64({1.5}, {1}), f64({0.25, 0.5}, {2}))), (std::vector<double>{1.25, 1.0}));
}

TEST_F(MathOpsTest, BroadcastMismatchMessage) {
  expect_error<ValueError>([&] { (void)add(root, f32(std::vector<float>(6), {2, 3}), f32(std::vector<float>(4), {4})); },
                           "Dimensions must be equal, but are 3 and 4 for 'Add' (op: 'Add') with input shapes: "
                           "[2,3], [4].");
  Scope foo = root.name_scope("foo");
  expect_error<ValueError>(
      [&] { (void)maximum(foo, f32(std::vector<float>(6), {3, 2}), f32(std::vector<float>(4), {2, 2})); },
      "Dimensions must be equal, but are 3 and 2 for 'foo/Maximum' (op: 'Maximum') with input shapes: [3,2], "
      "[2,2].");
}

TEST_F(MathOpsTest, BinaryDtypeErrors) {
  expect_error<TypeError>([&] { (void)add(root, f32({1}, {1}), i32({1}, {1})); },
                          "Input 'y' of 'Add' Op has type int32 that does not match type float32 of argument 'x'.");
  expect_error<TypeError>([&] { (void)div(root, i32({1}, {1}), i32({1}, {1})); },
                          "Value passed to parameter 'x' has DataType int32 not in list of allowed values: float32, "
                          "float64 for 'truediv' (op: 'RealDiv')");
}

// -- bias_add

TEST_F(MathOpsTest, BiasAddAddsAlongLastAxis) {
  Tensor v = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor out = bias_add(root, v, f32({10, 20, 30}, {3}));
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ(out.name(), "BiasAdd:0");
  Tensor v4 = f32({1, 2, 3, 4}, {1, 2, 1, 2});
  EXPECT_EQ(values_of<float>(bias_add(root, v4, f32({0.5f, -1}, {2}))), (std::vector<float>{1.5f, 1, 3.5f, 3}));
}

TEST_F(MathOpsTest, BiasAddShapeMessages) {
  expect_error<ValueError>([&] { (void)bias_add(root, f32(std::vector<float>(6), {2, 3}), f32({1, 2, 3, 4}, {4})); },
                           "Dimensions must be equal, but are 3 and 4 for 'BiasAdd' (op: 'BiasAdd') with input "
                           "shapes: [2,3], [4].");
  expect_error<ValueError>([&] { (void)bias_add(root, f32({1, 2}, {2}), f32({1, 2}, {2})); },
                           "Shape must be at least rank 2 but is rank 1 for 'BiasAdd_1' (op: 'BiasAdd') with input "
                           "shapes: [2], [2].");
}

// -- Activations

TEST_F(MathOpsTest, ReluFamily) {
  EXPECT_EQ(values_of<float>(relu(root, f32({-1, 0, 2}, {3}))), (std::vector<float>{0, 0, 2}));
  EXPECT_EQ(values_of<float>(relu6(root, f32({-1, 3, 7}, {3}))), (std::vector<float>{0, 3, 6}));
  expect_near<float>(elu(root, f32({-1, 0, 2}, {3})), {-0.6321205588f, 0, 2});
  EXPECT_EQ(values_of<double>(relu(root, f64({-0.5, 0.5}, {2}))), (std::vector<double>{0, 0.5}));
}

TEST_F(MathOpsTest, SigmoidTanhGelu) {
  expect_near<float>(sigmoid(root, f32({0, 2}, {2})), {0.5f, 0.8807970780f});
  expect_near<float>(tanh(root, f32({0, 1}, {2})), {0, 0.7615941560f});
  expect_near<double>(gelu(root, f64({1, -1, 0.5}, {3})), {0.8413447460685429, -0.15865525393145707, 0.34573123063700656},
                      1e-12);
  expect_near<double>(gelu(root, f64({1, -1, 0.5}, {3}), {.approximate = true}),
                      {0.8411919906082768, -0.15880800939172324, 0.34571400982514394}, 1e-12);
}

TEST_F(MathOpsTest, ExpLogSqrtSquare) {
  expect_near<float>(varscope::exp(root, f32({0, 1}, {2})), {1.0f, 2.7182818285f});
  expect_near<double>(varscope::log(root, f64({1, 2.718281828459045}, {2})), {0.0, 1.0}, 1e-12);
  EXPECT_EQ(values_of<float>(varscope::sqrt(root, f32({4, 9}, {2}))), (std::vector<float>{2, 3}));
  EXPECT_EQ(values_of<float>(square(root, f32({-3, 0.5}, {2}))), (std::vector<float>{9, 0.25f}));
  Scope ns = root.name_scope("m");
  EXPECT_EQ(square(ns, f32({1}, {1})).name(), "m/Square:0");
  EXPECT_EQ(varscope::exp(ns, f32({1}, {1})).name(), "m/Exp:0");
  expect_error<TypeError>([&] { (void)varscope::sqrt(root, i32({4}, {1})); },
                          "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
                          "float32, float64 for 'Sqrt_1' (op: 'Sqrt')"); // "Sqrt" was taken above
}

TEST_F(MathOpsTest, ActivationRejectsIntegers) {
  expect_error<TypeError>([&] { (void)relu(root, i32({1}, {1})); },
                          "Value passed to parameter 'features' has DataType int32 not in list of allowed values: "
                          "float32, float64 for 'Relu' (op: 'Relu')");
}

} // namespace
} // namespace varscope
