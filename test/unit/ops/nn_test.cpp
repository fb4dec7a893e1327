// softmax, log_softmax, layer_norm, dropout and the sparse cross entropy.
#include <cmath>

#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

class NnOpsTest : public OpsTest {};

TEST_F(NnOpsTest, SoftmaxOf123) {
  Tensor s = softmax(root, f32({1, 2, 3}, {3}));
  expect_near<float>(s, {0.09003057f, 0.24472847f, 0.66524096f});
  EXPECT_EQ(s.name(), "Softmax:0");
  expect_near<double>(softmax(root, f64({1, 2, 3, 1, 1, 1}, {2, 3})),
                      {0.09003057317038046, 0.24472847105479767, 0.6652409557748219, 1.0 / 3, 1.0 / 3, 1.0 / 3},
                      1e-15);
}

TEST_F(NnOpsTest, SoftmaxIsStableForLargeLogits) {
  expect_near<float>(softmax(root, f32({1000, 1000}, {2})), {0.5f, 0.5f});
}

TEST_F(NnOpsTest, SoftmaxAlongFirstAxis) {
  Tensor s = softmax(root, f32({1, 2, 3, 4}, {2, 2}), {.axis = 0});
  expect_near<float>(s, {0.11920292f, 0.11920292f, 0.88079708f, 0.88079708f});
}

TEST_F(NnOpsTest, LogSoftmaxOf123) {
  Tensor s = log_softmax(root, f32({1, 2, 3}, {3}));
  expect_near<float>(s, {-2.40760596f, -1.40760596f, -0.40760596f});
  EXPECT_EQ(s.name(), "LogSoftmax:0");
}

TEST_F(NnOpsTest, SoftmaxAxisMessage) {
  expect_error<ValueError>([&] { (void)softmax(root, f32({1, 2}, {1, 2}), {.axis = 2}); },
                           "Dimension (2) must be in the range [-2, 2) where 2 is the number of dimensions in the "
                           "input.");
  expect_error<ValueError>([&] { (void)softmax(root, Tensor::scalar<float>(1)); },
                           "Shape must be at least rank 1 but is rank 0 for 'Softmax_1' (op: 'Softmax') with input "
                           "shapes: [].");
}

TEST_F(NnOpsTest, LayerNormOverLastAxis) {
  Tensor x = f32({1, 2, 3, 2, 2, 2}, {2, 3});
  expect_near<float>(layer_norm(root, x, Tensor(), Tensor()), {-1.22474487f, 0, 1.22474487f, 0, 0, 0}, 1e-5);
  Tensor y = layer_norm(root, x, f32({1, 2, 3}, {3}), f32({0, 0, 1}, {3}));
  expect_near<float>(y, {-1.22474487f, 0, 4.67423461f, 0, 0, 1}, 1e-5);
  EXPECT_EQ(y.name(), "LayerNorm_1:0");
  Tensor z = layer_norm(root, f64({0, 4}, {1, 2}), Tensor(), Tensor(), {.epsilon = 4.0});
  expect_near<double>(z, {-2 / std::sqrt(8.0), 2 / std::sqrt(8.0)}, 1e-12);
}

TEST_F(NnOpsTest, LayerNormGammaShapeMessage) {
  expect_error<ValueError>([&] { (void)layer_norm(root, f32(std::vector<float>(6), {2, 3}), f32({1, 1}, {2}), Tensor()); },
                           "Dimensions must be equal, but are 3 and 2 for 'LayerNorm' (op: 'LayerNorm') with input "
                           "shapes: [2,3], [2].");
}

TEST_F(NnOpsTest, DropoutZeroesAndScales) {
  Tensor ones = f32(std::vector<float>(1000, 1.0f), {1000});
  Tensor d = dropout(root, ones, 0.25, {.seed = 7});
  EXPECT_EQ(d.name(), "dropout:0");
  int kept = 0;
  for (float v : values_of<float>(d)) {
    ASSERT_TRUE(v == 0.0f || std::fabs(v - 1.0f / 0.75f) < 1e-6f) << v;
    kept += v != 0.0f;
  }
  EXPECT_GT(kept, 700);
  EXPECT_LT(kept, 800);
  EXPECT_EQ(values_of<float>(dropout(root, ones, 0.0)), values_of<float>(ones));
}

TEST_F(NnOpsTest, DropoutIsDeterministicPerSeedAndName) {
  Tensor x = f32(std::vector<float>(64, 1.0f), {8, 8});
  Tensor a = dropout(root, x, 0.5, {.seed = 3, .name = "drop/"});
  Tensor b = dropout(root, x, 0.5, {.seed = 3, .name = "drop/"});
  Tensor c = dropout(root, x, 0.5, {.seed = 4, .name = "drop/"});
  Tensor d = dropout(root, x, 0.5, {.seed = 3, .name = "other/"});
  EXPECT_EQ(values_of<float>(a), values_of<float>(b));
  EXPECT_NE(values_of<float>(a), values_of<float>(c));
  EXPECT_NE(values_of<float>(a), values_of<float>(d));
  // Another store, same program: same mask.
  Store other;
  Scope other_root = other.root_scope();
  EXPECT_EQ(values_of<float>(dropout(other_root, x, 0.5, {.seed = 3, .name = "drop/"})), values_of<float>(a));
}

TEST_F(NnOpsTest, DropoutMessages) {
  expect_error<ValueError>([&] { (void)dropout(root, f32({1}, {1}), 1.0); },
                           "rate must be a scalar tensor or a float in the range [0, 1), got 1");
  expect_error<ValueError>([&] { (void)dropout(root, i32({1}, {1}), 0.5); },
                           "x has to be a floating point tensor since it's going to be scaled. Got a int32 tensor "
                           "instead.");
}

TEST_F(NnOpsTest, SparseSoftmaxCrossEntropyPerExample) {
  Tensor logits = f32({1, 2, 3, 1, 1, 1}, {2, 3});
  Tensor loss = sparse_softmax_cross_entropy_with_logits(root, i32({2, 0}, {2}), logits);
  EXPECT_EQ(loss.shape(), (Shape{2}));
  expect_near<float>(loss, {0.40760596f, 1.09861229f});
  EXPECT_EQ(loss.name(), "SparseSoftmaxCrossEntropyWithLogits:0");
  Tensor loss64 = sparse_softmax_cross_entropy_with_logits(root, i64({1}, {1}), f64({0, 0}, {1, 2}));
  expect_near<double>(loss64, {std::log(2.0)}, 1e-15);
}

TEST_F(NnOpsTest, SparseSoftmaxCrossEntropyMessages) {
  Tensor logits = f32(std::vector<float>(6), {2, 3});
  expect_error<ValueError>([&] { (void)sparse_softmax_cross_entropy_with_logits(root, i32({0, 5}, {2}), logits); },
                           "Received a label value of 5 which is outside the valid range of [0, 3).  Label values: 0 5");
  expect_error<ValueError>([&] { (void)sparse_softmax_cross_entropy_with_logits(root, i32({0, 1}, {2, 1}), logits); },
                           "Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1 (received "
                           "2).");
  expect_error<ValueError>([&] { (void)sparse_softmax_cross_entropy_with_logits(root, i32({0, 1, 2}, {3}), logits); },
                           "Shape mismatch: The shape of labels (received (3,)) should equal the shape of logits "
                           "except for the last dimension (received (2, 3)).");
}

} // namespace
} // namespace varscope
