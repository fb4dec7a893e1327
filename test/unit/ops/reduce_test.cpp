// reduce_sum, reduce_mean, reduce_max and argmax.
#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

class ReduceOpsTest : public OpsTest {
protected:
  Tensor x = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  // 0..11 as [2, 3, 2].
  Tensor cube = f32({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {2, 3, 2});
};

TEST_F(ReduceOpsTest, SumOverAllAxesAndOne) {
  Tensor all = reduce_sum(root, x);
  EXPECT_EQ(all.shape(), Shape{});
  EXPECT_EQ(all.item<float>(), 21);
  EXPECT_EQ(all.name(), "Sum:0");
  EXPECT_EQ(values_of<float>(reduce_sum(root, x, {.axis = 0})), (std::vector<float>{5, 7, 9}));
  EXPECT_EQ(values_of<float>(reduce_sum(root, x, {.axis = 1})), (std::vector<float>{6, 15}));
  Tensor kept = reduce_sum(root, x, {.axis = -1, .keepdims = true});
  EXPECT_EQ(kept.shape(), (Shape{2, 1}));
  EXPECT_EQ(values_of<float>(kept), (std::vector<float>{6, 15}));
  Tensor all_kept = reduce_sum(root, x, {.keepdims = true});
  EXPECT_EQ(all_kept.shape(), (Shape{1, 1}));
}

TEST_F(ReduceOpsTest, MeanAndMax) {
  EXPECT_EQ(values_of<float>(reduce_mean(root, x, {.axis = 0})), (std::vector<float>{2.5f, 3.5f, 4.5f}));
  EXPECT_EQ(reduce_mean(root, x).item<float>(), 3.5f);
  EXPECT_EQ(values_of<float>(reduce_max(root, x, {.axis = 1})), (std::vector<float>{3, 6}));
  EXPECT_EQ(values_of<double>(reduce_max(root, f64({-3, -1, -2}, {3}))), (std::vector<double>{-1}));
}

TEST_F(ReduceOpsTest, MiddleAndNonContiguousAxes) {
  EXPECT_EQ(values_of<float>(reduce_sum(root, cube, {.axis = 1})), (std::vector<float>{6, 9, 24, 27}));
  Tensor outer = reduce_sum(root, cube, {.axis = {0, 2}, .keepdims = true});
  EXPECT_EQ(outer.shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(values_of<float>(outer), (std::vector<float>{14, 22, 30}));
  EXPECT_EQ(values_of<float>(reduce_max(root, cube, {.axis = {2, 0}})), (std::vector<float>{7, 9, 11}));
  EXPECT_EQ(values_of<float>(reduce_mean(root, cube, {.axis = {0, -1}})), (std::vector<float>{3.5f, 5.5f, 7.5f}));
}

TEST_F(ReduceOpsTest, IntegerMeanTruncatesAndNoAxesCopies) {
  EXPECT_EQ(reduce_mean(root, i32({1, 2, 4}, {3})).item<std::int32_t>(), 2);
  EXPECT_EQ(reduce_sum(root, i64({1, 2, 4}, {3})).item<std::int64_t>(), 7);
  Tensor same = reduce_sum(root, x, {.axis = Axes::none()});
  EXPECT_EQ(same.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<float>(same), values_of<float>(x));
}

TEST_F(ReduceOpsTest, InvalidAxisMessages) {
  expect_error<ValueError>([&] { (void)reduce_sum(root, x, {.axis = 2}); },
                           "Invalid reduction dimension 2 for input with 2 dimensions. for 'Sum' (op: 'Sum') with "
                           "input shapes: [2,3], [] and with computed input tensors: input[1] = <2>.");
  expect_error<ValueError>([&] { (void)reduce_mean(root, x, {.axis = {0, -3}}); },
                           "Invalid reduction dimension -3 for input with 2 dimensions. for 'Mean' (op: 'Mean') with "
                           "input shapes: [2,3], [2] and with computed input tensors: input[1] = <0 -3>.");
}

TEST_F(ReduceOpsTest, ArgMaxTakesFirstOfTies) {
  Tensor t = f32({1, 3, 3, 5, 5, 0}, {2, 3});
  Tensor rows = argmax(root, t, {.axis = 1});
  EXPECT_EQ(rows.dtype(), DType::Int64);
  EXPECT_EQ(rows.name(), "ArgMax:0");
  EXPECT_EQ(values_of<std::int64_t>(rows), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(values_of<std::int64_t>(argmax(root, t)), (std::vector<std::int64_t>{1, 1, 0}));
  Tensor narrow = argmax(root, i32({2, 9, 9, 1}, {4}), {.output_type = DType::Int32});
  EXPECT_EQ(narrow.shape(), Shape{});
  EXPECT_EQ(narrow.item<std::int32_t>(), 1);
}

TEST_F(ReduceOpsTest, ArgMaxAxisMessage) {
  expect_error<ValueError>([&] { (void)argmax(root, x, {.axis = 2}); },
                           "Expected dimension in the range [-2, 2), but got 2 for 'ArgMax' (op: 'ArgMax') with "
                           "input shapes: [2,3], [] and with computed input tensors: input[1] = <2>.");
}

} // namespace
} // namespace varscope
