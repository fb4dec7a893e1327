// conv2d, max_pool and avg_pool (NHWC), SAME and VALID.
#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

class ConvOpsTest : public OpsTest {
protected:
  // 1..16 as a [1, 4, 4, 1] image.
  Tensor image = f32({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, {1, 4, 4, 1});
  Tensor ones3x3 = f32(std::vector<float>(9, 1.0f), {3, 3, 1, 1});
};

TEST_F(ConvOpsTest, Conv2DSameStride2On4x4) {
  // out = ceil(4 / 2) = 2; padding (2 - 1) * 2 + 3 - 4 = 1: none before,
  // one after, so the windows start at rows/cols 0 and 2.
  Tensor out = conv2d(root, image, ones3x3, {.strides = {1, 2, 2, 1}, .padding = "SAME"});
  EXPECT_EQ(out.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{54, 45, 72, 54}));
  EXPECT_EQ(out.name(), "Conv2D:0");
}

TEST_F(ConvOpsTest, Conv2DValidStride1) {
  Tensor out = conv2d(root, image, ones3x3, {.strides = {1}, .padding = "VALID"});
  EXPECT_EQ(out.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{54, 63, 90, 99}));
}

TEST_F(ConvOpsTest, Conv2DMixesChannels) {
  // Pixels (0,0)=[1,10] (0,1)=[2,20] (1,0)=[3,30] (1,1)=[4,40]; the 2x2
  // filter weighs channel 0 by 1 and channel 1 by 0.5.
  Tensor in = f64({1, 10, 2, 20, 3, 30, 4, 40}, {1, 2, 2, 2});
  Tensor filter = f64({1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5}, {2, 2, 2, 1});
  EXPECT_EQ(values_of<double>(conv2d(root, in, filter)), (std::vector<double>{60}));
  Tensor same = conv2d(root, in, filter, {.padding = "SAME"});
  EXPECT_EQ(same.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_EQ(values_of<double>(same), (std::vector<double>{60, 36, 42, 24}));
}

TEST_F(ConvOpsTest, Conv2D1x1IsAPerPixelMatMul) {
  Tensor in = f32({1, 2, 3, 4}, {2, 1, 1, 2});
  Tensor filter = f32({1, 0, 1, 0, 1, 1}, {1, 1, 2, 3});
  Tensor out = conv2d(root, in, filter);
  EXPECT_EQ(out.shape(), (Shape{2, 1, 1, 3}));
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{1, 2, 3, 3, 4, 7}));
}

TEST_F(ConvOpsTest, Conv2DMessages) {
  expect_error<ValueError>(
      [&] { (void)conv2d(root, f32(std::vector<float>(48), {1, 4, 4, 3}), f32(std::vector<float>(288), {3, 3, 4, 8})); },
      "Dimensions must be equal, but are 3 and 4 for 'Conv2D' (op: 'Conv2D') with input shapes: [1,4,4,3], "
      "[3,3,4,8].");
  expect_error<ValueError>([&] { (void)conv2d(root, f32({1, 2, 3, 4}, {1, 2, 2, 1}), ones3x3); },
                           "Negative dimension size caused by subtracting 3 from 2 for 'Conv2D_1' (op: 'Conv2D') with "
                           "input shapes: [1,2,2,1], [3,3,1,1].");
  expect_error<ValueError>([&] { (void)conv2d(root, f32(std::vector<float>(16), {4, 4, 1}), ones3x3); },
                           "Shape must be rank 4 but is rank 3 for 'Conv2D_2' (op: 'Conv2D') with input shapes: "
                           "[4,4,1], [3,3,1,1].");
  expect_error<ValueError>([&] { (void)conv2d(root, image, ones3x3, {.strides = {1, 1, 1}}); },
                           "strides should be of length 1, 2 or 4 but was 3");
  expect_error<ValueError>([&] { (void)conv2d(root, image, ones3x3, {.padding = "FULL"}); },
                           "Value for attr 'padding' of \"FULL\" is not in the list of allowed values: \"SAME\", "
                           "\"VALID\"");
  expect_error<ValueError>([&] { (void)conv2d(root, image, ones3x3, {.strides = {2, 1, 1, 1}}); },
                           "Current implementation does not yet support strides in the batch and depth dimensions. "
                           "for 'Conv2D_5' (op: 'Conv2D') with input shapes: [1,4,4,1], [3,3,1,1].");
}

TEST_F(ConvOpsTest, MaxPoolValidAndSame) {
  Tensor valid = max_pool(root, image, {.ksize = {2}, .strides = {2}, .padding = "VALID"});
  EXPECT_EQ(valid.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_EQ(values_of<float>(valid), (std::vector<float>{6, 8, 14, 16}));
  EXPECT_EQ(valid.name(), "MaxPool:0");
  Tensor same = max_pool(root, image, {.ksize = {3}, .strides = {2}, .padding = "SAME"});
  EXPECT_EQ(values_of<float>(same), (std::vector<float>{11, 12, 15, 16}));
}

TEST_F(ConvOpsTest, AvgPoolSameDividesByValidCount) {
  // The 3x3 windows of Conv2DSameStride2On4x4 hold 9, 6, 6 and 4 pixels.
  Tensor out = avg_pool(root, image, {.ksize = {3}, .strides = {2}, .padding = "SAME"});
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{6, 7.5f, 12, 13.5f}));
  EXPECT_EQ(out.name(), "AvgPool:0");
  Tensor small = avg_pool(root, f32({1, 2, 3, 4}, {1, 2, 2, 1}), {.ksize = {2}, .strides = {1}, .padding = "SAME"});
  EXPECT_EQ(values_of<float>(small), (std::vector<float>{2.5f, 3, 3.5f, 4}));
}

TEST_F(ConvOpsTest, PoolingKeepsChannelsApart) {
  Tensor in = f32({1, 5, 3, 2}, {1, 1, 2, 2});
  EXPECT_EQ(values_of<float>(max_pool(root, in, {.ksize = {1, 2}, .strides = {1}})), (std::vector<float>{3, 5}));
  EXPECT_EQ(values_of<float>(avg_pool(root, in, {.ksize = {1, 2}, .strides = {1}})), (std::vector<float>{2, 3.5f}));
}

TEST_F(ConvOpsTest, PoolMessages) {
  expect_error<ValueError>([&] { (void)max_pool(root, image, {.ksize = {5}, .strides = {1}}); },
                           "Negative dimension size caused by subtracting 5 from 4 for 'MaxPool' (op: 'MaxPool') with "
                           "input shapes: [1,4,4,1].");
  expect_error<ValueError>([&] { (void)avg_pool(root, image, {.ksize = {2, 2, 2, 1}}); },
                           "Current implementation does not yet support pooling in the batch and depth dimensions. "
                           "for 'AvgPool' (op: 'AvgPool') with input shapes: [1,4,4,1].");
}

} // namespace
} // namespace varscope
