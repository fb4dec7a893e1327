// Op names (tf-semantics.md §2.4), tracing and the v1 face.
#include "ops_test_util.h"
#include "varscope/v1.h"
#include "varscope/v1_ops.h"

namespace varscope {
namespace {

using namespace ops_testing;

class OpNamingTest : public OpsTest {
protected:
  Tensor a = f32({1, 2}, {2});
  Tensor b = f32({3, 4}, {2});
};

TEST_F(OpNamingTest, OpsAreUniquifiedUnderTheNameScope) {
  Scope foo = root.name_scope("foo");
  EXPECT_EQ(add(foo, a, b).name(), "foo/Add:0");
  EXPECT_EQ(add(foo, a, b).name(), "foo/Add_1:0");
  EXPECT_EQ(mul(foo, a, b).name(), "foo/Mul:0");
  EXPECT_EQ(add(root, a, b).name(), "Add:0");
}

TEST_F(OpNamingTest, ReenteredNameScopeIsUniquified) {
  { Scope s = root.name_scope("foo"); EXPECT_EQ(sub(s, a, b).name(), "foo/Sub:0"); }
  Scope again = root.name_scope("foo");
  EXPECT_EQ(sub(again, a, b).name(), "foo_1/Sub:0");
}

TEST_F(OpNamingTest, NamesCollideCaseInsensitivelyWithNameScopes) {
  { Scope s = root.name_scope("add"); }
  // "Add" collides with the scope "add" and keeps its capitalisation.
  EXPECT_EQ(add(root, a, b).name(), "Add_1:0");
  EXPECT_EQ(relu(root, a, {.name = "foo"}).name(), "foo:0");
  Scope foo = root.name_scope("FOO");
  EXPECT_EQ(foo.get_name_scope(), "FOO_1");
}

TEST_F(OpNamingTest, ExplicitAndAbsoluteNames) {
  EXPECT_EQ(matmul(root, f32({1}, {1, 1}), f32({2}, {1, 1}), {.name = "logits"}).name(), "logits:0");
  EXPECT_EQ(matmul(root, f32({1}, {1, 1}), f32({2}, {1, 1}), {.name = "logits"}).name(), "logits_1:0");
  Scope foo = root.name_scope("foo");
  // A trailing slash is an absolute, already unique name.
  EXPECT_EQ(add(foo, a, b, {.name = "x/y/"}).name(), "x/y:0");
  EXPECT_EQ(add(foo, a, b, {.name = "x/y/"}).name(), "x/y:0");
  EXPECT_EQ(div(foo, a, b).name(), "foo/truediv:0");
}

TEST_F(OpNamingTest, VariableScopeOpensANameScope) {
  Scope layer = root.variable_scope("layer");
  Variable w = layer.get_variable("w", {2, 2}, {.initializer = ones_initializer()});
  Tensor y = matmul(layer, f32({1, 2}, {1, 2}), w);
  EXPECT_EQ(y.name(), "layer/MatMul:0");
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{3, 3}));
}

TEST_F(OpNamingTest, DefaultNamesOfEveryOp) {
  Tensor m = f32({1, 2, 3, 4}, {2, 2});
  Tensor img = f32(std::vector<float>(4, 1.0f), {1, 2, 2, 1});
  Tensor ids = i32({0}, {1});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {sub(root, m, m).name(), "Sub:0"},
      {maximum(root, m, m).name(), "Maximum:0"},
      {relu6(root, m).name(), "Relu6:0"},
      {elu(root, m).name(), "Elu:0"},
      {gelu(root, m).name(), "Gelu:0"},
      {sigmoid(root, m).name(), "Sigmoid:0"},
      {tanh(root, m).name(), "Tanh:0"},
      {reduce_mean(root, m).name(), "Mean:0"},
      {reduce_max(root, m).name(), "Max:0"},
      {max_pool(root, img, {.ksize = {1}, .strides = {1}}).name(), "MaxPool:0"},
      {dropout(root, m, 0.5).name(), "dropout:0"},
      {one_hot(root, ids, 2).name(), "one_hot:0"},
      {layer_norm(root, m, Tensor(), Tensor()).name(), "LayerNorm:0"},
  };
  for (const auto& [actual, expected] : cases) EXPECT_EQ(actual, expected);
}

TEST_F(OpNamingTest, TracingRecordsEachOp) {
  store.set_tracing(true);
  Scope foo = root.name_scope("foo");
  (void)matmul(foo, f32(std::vector<float>(6), {2, 3}), f32(std::vector<float>(12), {3, 4}));
  (void)reduce_sum(foo, f32(std::vector<float>(6), {2, 3}), {.axis = 1});
  const std::vector<OpRecord> trace = store.trace();
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].name, "foo/MatMul");
  EXPECT_EQ(trace[0].type, "MatMul");
  EXPECT_EQ(trace[0].input_shapes, (std::vector<Shape>{{2, 3}, {3, 4}}));
  EXPECT_EQ(trace[0].output_shape, (Shape{2, 4}));
  EXPECT_GE(trace[0].duration_ns, 0);
  EXPECT_EQ(trace[1].name, "foo/Sum");
  EXPECT_EQ(trace[1].type, "Sum");
  EXPECT_EQ(trace[1].input_shapes, (std::vector<Shape>{{2, 3}, Shape{}}));
  EXPECT_EQ(trace[1].output_shape, (Shape{2}));
  store.set_tracing(false);
  (void)add(root, a, b);
  EXPECT_EQ(store.trace().size(), 2u);
}

class V1OpsTest : public ::testing::Test {
protected:
  void SetUp() override { v1::reset_default_graph(); }
};

TEST_F(V1OpsTest, NameScopeNamesOps) {
  Tensor a = f32({1, 2}, {2});
  Tensor b = f32({3, 4}, {2});
  {
    v1::name_scope ns("foo");
    Tensor sum = v1::add(a, b);
    EXPECT_EQ(sum.name(), "foo/Add:0");
    EXPECT_EQ(values_of<float>(sum), (std::vector<float>{4, 6}));
    EXPECT_EQ(v1::add(a, b).name(), "foo/Add_1:0");
  }
  EXPECT_EQ(v1::add(a, b).name(), "Add:0");
}

TEST_F(V1OpsTest, DenseLayerAsInTheSpec) {
  v1::variable_scope scope("dense");
  v1::Variable w = v1::get_variable("kernel", {2, 3}, {.initializer = v1::ones_initializer()});
  v1::Variable bias = v1::get_variable("bias", {3}, {.initializer = v1::zeros_initializer()});
  Tensor y = v1::relu(v1::bias_add(v1::matmul(f32({1, -2}, {1, 2}), w), bias));
  EXPECT_EQ(y.name(), "dense/Relu:0");
  EXPECT_EQ(values_of<float>(y), (std::vector<float>{0, 0, 0}));
}

} // namespace
} // namespace varscope
