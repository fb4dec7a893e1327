// tf-semantics.md §5.3 and §6: partitioned variables through the store.
#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;

class PartitionedVariableTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

std::vector<std::string> store_names(const std::vector<Variable>& vars) {
  std::vector<std::string> out;
  for (const Variable& v : vars) out.push_back(v.store_name());
  return out;
}

TEST_F(PartitionedVariableTest, ShardsAreNamedAndSliced) {
  Scope s = root.variable_scope("scope0", {.partitioner = fixed_size_partitioner(3)});
  Variable v = s.get_variable("name0", {13, 5});
  ASSERT_TRUE(v.is_partitioned());
  PartitionedVariable p = v.as_partitioned();
  EXPECT_EQ(p.name(), "scope0/name0");
  EXPECT_EQ(v.name(), "scope0/name0");
  EXPECT_EQ(p.shape(), (Shape{13, 5}));
  EXPECT_EQ(p.partitions(), (std::vector<std::int64_t>{3, 1}));
  std::vector<Variable> shards = p.shards();
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_EQ(shards[0].name(), "scope0/name0/part_0:0");
  EXPECT_EQ(shards[0].shape(), (Shape{5, 5}));
  EXPECT_EQ(shards[1].shape(), (Shape{4, 5}));
  EXPECT_EQ(shards[2].shape(), (Shape{4, 5}));
  EXPECT_EQ(shards[1].save_slice_info()->spec(), "13 5 5,4:0,5");
  EXPECT_EQ(store_names(store.global_variables()),
            (std::vector<std::string>{"scope0/name0/part_0", "scope0/name0/part_1", "scope0/name0/part_2"}));
}

TEST_F(PartitionedVariableTest, ShardValuesAreSlicesOfTheUnpartitionedValues) {
  Store plain_store;
  Tensor full = plain_store.root_scope().get_variable("emb", {10, 4}).value();
  Variable p = root.get_variable("emb", {10, 4}, {.partitioner = fixed_size_partitioner(3)});
  EXPECT_TRUE(p.value().equals(full));
}

TEST_F(PartitionedVariableTest, ScalarSkipsPartitioning) {
  Scope s = root.variable_scope("scope0", {.partitioner = fixed_size_partitioner(2)});
  Variable v = s.get_variable("name0", {});
  EXPECT_FALSE(v.is_partitioned());
  EXPECT_EQ(v.name(), "scope0/name0:0");
}

TEST_F(PartitionedVariableTest, ReuseReturnsSameObjectWithoutPartitioner) {
  Variable v = root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)});
  root.reuse_variables();
  EXPECT_EQ(root.get_variable("v", {4}), v);
  EXPECT_EQ(root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)}), v);
}

TEST_F(PartitionedVariableTest, ReuseWithOtherPartitionsRaises) {
  root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)});
  root.reuse_variables();
  expect_error<ValueError>([&] { root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(4)}); },
                           "Trying to reuse partitioned variable v, but specified partitions [4] and found "
                           "partitions [2].");
}

TEST_F(PartitionedVariableTest, ReuseShapeAndDtypeMismatch) {
  root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)});
  root.reuse_variables();
  expect_error<ValueError>([&] { root.get_variable("v", {5}); },
                           "Trying to reuse partitioned variable v, but specified shape (5,) and found shape (4,).");
  expect_error<ValueError>([&] { root.get_variable("v", {4}, {.dtype = float64}); },
                           "Trying to reuse partitioned variable v, but specified dtype float64 and found dtype "
                           "float32.");
}

TEST_F(PartitionedVariableTest, SecondCreationRaises) {
  root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)});
  expect_error<ValueError>([&] { root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)}); },
                           "Partitioned variable with name v already exists. Did you mean to set reuse=True or "
                           "reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(PartitionedVariableTest, MissingUnderReuseTrueRaises) {
  Scope s = root.variable_scope("s", {.reuse = true});
  expect_error<ValueError>([&] { s.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)}); },
                           "PartitionedVariable s/v does not exist, or was not created with tf.get_variable(). Did "
                           "you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(PartitionedVariableTest, PartitionedThenUnpartitionedRaises) {
  root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)});
  Scope s = root.variable_scope("", {.reuse = AUTO_REUSE});
  expect_error<ValueError>([&] { s.get_variable("v", {4}); },
                           "No partitioner was provided, but a partitioned version of the variable was found: "
                           "v/part_0. Perhaps a variable of the same name was already created with partitioning?");
}

TEST_F(PartitionedVariableTest, UnpartitionedThenPartitionedRaises) {
  root.get_variable("v", {4});
  expect_error<ValueError>([&] { root.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(2)}); },
                           "A partitioner was provided, but an unpartitioned version of the variable was found: v.  "
                           "Perhaps a variable of the same name was already created without partitioning?");
}

TEST_F(PartitionedVariableTest, PartitionerResultIsValidated) {
  auto two_axes = [](const Shape&, DType) { return std::vector<std::int64_t>{2, 2}; };
  auto wrong_rank = [](const Shape&, DType) { return std::vector<std::int64_t>{2}; };
  auto zero = [](const Shape&, DType) { return std::vector<std::int64_t>{0, 1}; };
  expect_error<ValueError>([&] { root.get_variable("a", {4, 4}, {.partitioner = two_axes}); },
                           "Can only slice a variable along one dimension: shape: (4, 4), partitioning: [2, 2]");
  expect_error<ValueError>([&] { root.get_variable("b", {4, 4}, {.partitioner = wrong_rank}); },
                           "Partitioner returned a partition list that does not match the Variable's rank: [2] vs. "
                           "(4, 4)");
  expect_error<ValueError>([&] { root.get_variable("c", {4, 4}, {.partitioner = zero}); },
                           "Partitioner returned zero partitions for some axes: [0, 1]");
  expect_error<ValueError>([&] { root.get_variable("d", {.shape = Shape{-1, 4}, .partitioner = zero}); },
                           "Shape of a new partitioned variable must be fully defined, but instead was (?, 4).");
}

TEST_F(PartitionedVariableTest, DifferentPartitioningOfExistingShards) {
  Store s;
  Scope r = s.root_scope();
  // Shards created directly, as if by an older run with another partitioning.
  r.get_variable("v/part_0", {2});
  r.get_variable("v/part_1", {2});
  expect_error<ValueError>([&] { r.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(3)}); },
                           "Partitioner returned a different partitioning than what was already found.  Partitioner "
                           "returned 3 shards, and shard v/part_0 was found, but v/part_2 was not.");
  expect_error<ValueError>([&] { r.get_variable("v", {4}, {.partitioner = fixed_size_partitioner(1)}); },
                           "Partitioner returned a different partitioning than what was already found.  Partitioner "
                           "returned 1 shards, and shard v/part_0 was found, but so was the extra shard v/part_1.");
}

TEST_F(PartitionedVariableTest, RegularizerRunsPerShard) {
  root.get_variable("v", {4}, {.regularizer = l2_regularizer(1.0), .partitioner = fixed_size_partitioner(2)});
  std::vector<Tensor> losses = store.regularization_losses();
  ASSERT_EQ(losses.size(), 2u);
  EXPECT_EQ(losses[0].name(), "v/part_0/Regularizer/l2_regularizer:0");
  EXPECT_EQ(losses[1].name(), "v/part_1/Regularizer/l2_regularizer:0");
}

TEST_F(PartitionedVariableTest, TensorInitializerIsSlicedAndSetsDtype) {
  Tensor init = Tensor::from_vector<std::int32_t>({1, 2, 3, 4, 5});
  Variable v = root.get_variable("v", {.initializer = init, .partitioner = fixed_size_partitioner(2)});
  EXPECT_EQ(v.dtype(), int32);
  std::vector<Variable> shards = v.as_partitioned().shards();
  EXPECT_EQ(shards[0].value().to_doubles(), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(shards[1].value().to_doubles(), (std::vector<double>{4, 5}));
}

TEST_F(PartitionedVariableTest, PartitionAlongAxisOne) {
  Variable v = root.get_variable("v", {2, 5}, {.partitioner = fixed_size_partitioner(2, 1)});
  std::vector<Variable> shards = v.as_partitioned().shards();
  EXPECT_EQ(shards[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(shards[1].shape(), (Shape{2, 2}));
  EXPECT_EQ(v.value().shape(), (Shape{2, 5}));
  Store plain;
  EXPECT_TRUE(v.value().equals(plain.root_scope().get_variable("v", {2, 5}).value()));
}

} // namespace
} // namespace varscope
