// concat, split, reshape, transpose, slice, one_hot and gather.
#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

class ArrayOpsTest : public OpsTest {
protected:
  Tensor x = f32({1, 2, 3, 4, 5, 6}, {2, 3});
};

std::vector<float> iota(int n) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(i);
  return v;
}

// -- concat

TEST_F(ArrayOpsTest, ConcatAlongEachAxis) {
  Tensor rows = concat(root, {f32({1, 2}, {1, 2}), f32({3, 4, 5, 6}, {2, 2})}, 0);
  EXPECT_EQ(rows.shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<float>(rows), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(rows.name(), "concat:0");
  Tensor a = i32({1, 2}, {2, 1});
  Tensor b = i32({3, 4, 5, 6}, {2, 2});
  const std::vector<std::int32_t> expected{1, 3, 4, 2, 5, 6};
  EXPECT_EQ(values_of<std::int32_t>(concat(root, {a, b}, 1)), expected);
  Tensor last = concat(root, {a, b}, -1);
  EXPECT_EQ(values_of<std::int32_t>(last), expected);
  EXPECT_EQ(last.name(), "concat_2:0");
}

TEST_F(ArrayOpsTest, ConcatOfOneValueIsACopy) {
  Tensor c = concat(root, {x}, 0);
  EXPECT_EQ(values_of<float>(c), values_of<float>(x));
  EXPECT_FALSE(c.shares_buffer_with(x));
}

TEST_F(ArrayOpsTest, ConcatMessages) {
  expect_error<ValueError>([&] { (void)concat(root, {x, f32(iota(9), {3, 3})}, 1); },
                           "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,3]. "
                           "for 'concat' (op: 'ConcatV2') with input shapes: [2,3], [3,3], [] and with computed input "
                           "tensors: input[2] = <1>.");
  expect_error<ValueError>([&] { (void)concat(root, {x, f32(iota(3), {3})}, 0); },
                           "Shape must be rank 2 but is rank 1 for 'concat_1' (op: 'ConcatV2') with input shapes: "
                           "[2,3], [3], [] and with computed input tensors: input[2] = <0>.");
  expect_error<TypeError>([&] { (void)concat(root, {x, i32({1, 2, 3}, {1, 3})}, 0); },
                          "Tensors in list passed to 'values' of 'ConcatV2' Op have types [float32, int32] that "
                          "don't all match.");
  expect_error<ValueError>([&] { (void)concat(root, {}, 0); },
                           "List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.");
}

// -- split

TEST_F(ArrayOpsTest, SplitIntoEqualPieces) {
  std::vector<Tensor> rows = split(root, f32(iota(8), {4, 2}), 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(rows[0]), (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(values_of<float>(rows[1]), (std::vector<float>{4, 5, 6, 7}));
  EXPECT_EQ(rows[0].name(), "split:0");
  EXPECT_EQ(rows[1].name(), "split:1");
  std::vector<Tensor> cols = split(root, f32(iota(8), {2, 4}), 2, {.axis = 1});
  EXPECT_EQ(values_of<float>(cols[0]), (std::vector<float>{0, 1, 4, 5}));
  EXPECT_EQ(values_of<float>(cols[1]), (std::vector<float>{2, 3, 6, 7}));
  EXPECT_EQ(cols[1].name(), "split_1:1");
}

TEST_F(ArrayOpsTest, SplitBySizesInfersMinusOne) {
  std::vector<Tensor> parts = split(root, f32({1, 2, 3}, {3}), std::vector<std::int64_t>{1, -1});
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(values_of<float>(parts[0]), (std::vector<float>{1}));
  EXPECT_EQ(values_of<float>(parts[1]), (std::vector<float>{2, 3}));
  std::vector<Tensor> cols = split(root, x, std::vector<std::int64_t>{2, 1}, {.axis = -1});
  EXPECT_EQ(values_of<float>(cols[0]), (std::vector<float>{1, 2, 4, 5}));
  EXPECT_EQ(values_of<float>(cols[1]), (std::vector<float>{3, 6}));
}

TEST_F(ArrayOpsTest, SplitMessages) {
  expect_error<ValueError>([&] { (void)split(root, f32({1, 2, 3}, {3}), 2); },
                           "Dimension size must be evenly divisible by 2 but is 3 for 'split' (op: 'Split') with "
                           "input shapes: [], [3] and with computed input tensors: input[0] = <0>.");
  expect_error<ValueError>([&] { (void)split(root, f32({1, 2, 3}, {3}), std::vector<std::int64_t>{1, 1}); },
                           "Determined shape must either match input shape along split_dim exactly if fully "
                           "specified, or be less than the size of the input along split_dim if not fully specified.  "
                           "Got: 2 for 'split_1' (op: 'SplitV') with input shapes: [3], [2], [] and with computed "
                           "input tensors: input[1] = <1 1>, input[2] = <0>.");
}

// -- reshape

TEST_F(ArrayOpsTest, ReshapeInfersMinusOneAndSharesBuffer) {
  Tensor r = reshape(root, x, {3, -1});
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_TRUE(r.shares_buffer_with(x));
  EXPECT_EQ(r.name(), "Reshape:0");
  EXPECT_EQ(reshape(root, x, {-1}).shape(), (Shape{6}));
  EXPECT_EQ(reshape(root, f32({}, {0, 3}), {0, -1}).shape(), (Shape{0, 0}));
}

TEST_F(ArrayOpsTest, ReshapeMessages) {
  expect_error<ValueError>([&] { (void)reshape(root, x, {4}); },
                           "Cannot reshape a tensor with 6 elements to shape [4] (4 elements) for 'Reshape' (op: "
                           "'Reshape') with input shapes: [2,3], [1] and with computed input tensors: input[1] = <4>.");
  expect_error<ValueError>([&] { (void)reshape(root, x, {4, -1}); },
                           "Cannot reshape a tensor with 6 elements to shape [4,?] (4 elements) for 'Reshape_1' (op: "
                           "'Reshape') with input shapes: [2,3], [2] and with computed input tensors: input[1] = <4 "
                           "-1>.");
  expect_error<ValueError>([&] { (void)reshape(root, x, {-1, -1}); },
                           "Only one input size may be -1, not both 0 and 1 for 'Reshape_2' (op: 'Reshape') with "
                           "input shapes: [2,3], [2] and with computed input tensors: input[1] = <-1 -1>.");
}

// -- transpose

TEST_F(ArrayOpsTest, TransposeDefaultAndPerm) {
  Tensor t = transpose(root, x);
  EXPECT_EQ(t.shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<float>(t), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(t.name(), "transpose:0");
  EXPECT_EQ(values_of<float>(transpose(root, f32(iota(8), {2, 2, 2}), {1, 0, 2})),
            (std::vector<float>{0, 1, 4, 5, 2, 3, 6, 7}));
  Tensor p = transpose(root, f32(iota(12), {2, 3, 2}), {2, 0, 1});
  EXPECT_EQ(p.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(values_of<float>(p), (std::vector<float>{0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11}));
  EXPECT_EQ(values_of<std::int64_t>(transpose(root, i64({1, 2, 3, 4, 5, 6}, {3, 2}))),
            (std::vector<std::int64_t>{1, 3, 5, 2, 4, 6}));
}

TEST_F(ArrayOpsTest, TransposeMessages) {
  expect_error<ValueError>([&] { (void)transpose(root, x, {0}); },
                           "Dimension must be 2 but is 1 for 'transpose' (op: 'Transpose') with input shapes: [2,3], "
                           "[1] and with computed input tensors: input[1] = <0>.");
  expect_error<ValueError>([&] { (void)transpose(root, x, {0, 0}); }, "1 is missing from {0,0}.");
  expect_error<ValueError>([&] { (void)transpose(root, x, {0, 2}); }, "2 is out of range [0 .. 2)");
}

// -- slice

TEST_F(ArrayOpsTest, SliceWithMinusOneSize) {
  Tensor s = slice(root, f32(iota(12), {3, 4}), {1, 1}, {2, -1});
  EXPECT_EQ(s.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<float>(s), (std::vector<float>{5, 6, 7, 9, 10, 11}));
  EXPECT_EQ(s.name(), "Slice:0");
  EXPECT_EQ(values_of<float>(slice(root, f32(iota(12), {2, 3, 2}), {1, 0, 1}, {1, 2, 1})),
            (std::vector<float>{7, 9}));
}

TEST_F(ArrayOpsTest, SliceMessages) {
  Tensor m = f32(iota(12), {3, 4});
  expect_error<ValueError>([&] { (void)slice(root, m, {0}, {1}); },
                           "Expected begin and size arguments to be 1-D tensors of size 2, but got shapes [1] and [1] "
                           "instead. for 'Slice' (op: 'Slice') with input shapes: [3,4], [1], [1] and with computed "
                           "input tensors: input[1] = <0>, input[2] = <1>.");
  expect_error<ValueError>([&] { (void)slice(root, m, {2, 0}, {2, 1}); },
                           "Expected size[0] in [0, 1], but got 2 for 'Slice_1' (op: 'Slice') with input shapes: "
                           "[3,4], [2], [2] and with computed input tensors: input[1] = <2 0>, input[2] = <2 1>.");
}

// -- one_hot

TEST_F(ArrayOpsTest, OneHotLastAxisAndOutOfRange) {
  Tensor h = one_hot(root, i32({0, 2, -1, 5}, {4}), 3);
  EXPECT_EQ(h.shape(), (Shape{4, 3}));
  EXPECT_EQ(h.dtype(), DType::Float32);
  EXPECT_EQ(values_of<float>(h), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(h.name(), "one_hot:0");
}

TEST_F(ArrayOpsTest, OneHotFirstAxisWithValuesAndDtype) {
  Tensor h = one_hot(root, i64({0, 2}, {2}), 3, {.on_value = 5, .off_value = -1, .axis = 0, .dtype = DType::Int32});
  EXPECT_EQ(h.shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<std::int32_t>(h), (std::vector<std::int32_t>{5, -1, -1, -1, -1, 5}));
}

// -- gather

TEST_F(ArrayOpsTest, GatherRowsAndColumns) {
  Tensor g = gather(root, f32(iota(10), {5, 2}), i32({4, 1}, {2}));
  EXPECT_EQ(g.shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(g), (std::vector<float>{8, 9, 2, 3}));
  EXPECT_EQ(g.name(), "GatherV2:0");
  Tensor cols = gather(root, i32({1, 2, 3, 4, 5, 6}, {2, 3}), i64({2, 0}, {2}), {.axis = 1});
  EXPECT_EQ(values_of<std::int32_t>(cols), (std::vector<std::int32_t>{3, 1, 6, 4}));
  Tensor grid = gather(root, f32({10, 20, 30}, {3}), i32({0, 1, 2, 2}, {2, 2}));
  EXPECT_EQ(grid.shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(grid), (std::vector<float>{10, 20, 30, 30}));
}

TEST_F(ArrayOpsTest, GatherOutOfRangeMessages) {
  Tensor params = f32(iota(10), {5, 2});
  expect_error<ValueError>([&] { (void)gather(root, params, i32({0, 7}, {2})); }, "indices[1] = 7 is not in [0, 5)");
  expect_error<ValueError>([&] { (void)gather(root, params, i64({0, -1}, {2, 1})); },
                           "indices[1,0] = -1 is not in [0, 5)");
  expect_error<TypeError>([&] { (void)gather(root, params, f32({0}, {1})); },
                          "Value passed to parameter 'indices' has DataType float32 not in list of allowed values: "
                          "int32, int64 for 'GatherV2_2' (op: 'GatherV2')");
}

} // namespace
} // namespace varscope
