// embedding_lookup over a tensor, a list of shards and (partitioned)
// variables, with TF's "mod" and "div" strategies.
#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

/// Row r of the logical 10x2 table is {10r, 10r + 1}.
Tensor rows(std::int64_t first, std::int64_t count) {
  std::vector<float> v;
  for (std::int64_t r = first; r < first + count; ++r) {
    v.push_back(static_cast<float>(10 * r));
    v.push_back(static_cast<float>(10 * r + 1));
  }
  return f32(v, {count, 2});
}

/// The first value of each looked-up row divided by 10: the logical row.
std::vector<int> row_ids(const Tensor& t) {
  std::vector<int> out;
  const std::vector<float> v = values_of<float>(t);
  for (std::size_t i = 0; i < v.size(); i += 2) out.push_back(static_cast<int>(v[i]) / 10);
  return out;
}

class EmbeddingOpsTest : public OpsTest {
protected:
  // 10 rows in 3 contiguous shards of 4, 3, 3 rows (as fixed_size_partitioner
  // slices them).
  std::vector<Tensor> shards{rows(0, 4), rows(4, 3), rows(7, 3)};
  Tensor ids = i32({0, 1, 3, 4, 8, 9}, {6});
};

TEST_F(EmbeddingOpsTest, PlainTensorLookup) {
  Tensor e = embedding_lookup(root, rows(0, 10), i64({3, 0, 3, 9, 1, 2}, {2, 3}));
  EXPECT_EQ(e.shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(row_ids(e), (std::vector<int>{3, 0, 3, 9, 1, 2}));
  EXPECT_EQ(e.name(), "embedding_lookup:0");
}

TEST_F(EmbeddingOpsTest, ModStrategyOverThreeShards) {
  // mod: shard id % 3, row id / 3 within it.
  Tensor e = embedding_lookup(root, shards, ids);
  EXPECT_EQ(e.shape(), (Shape{6, 2}));
  EXPECT_EQ(row_ids(e), (std::vector<int>{0, 4, 1, 5, 9, 3}));
}

TEST_F(EmbeddingOpsTest, DivStrategyOverThreeShards) {
  // div: the first 10 % 3 shards hold 4 ids, the others 3: ids are rows of
  // the concatenated table.
  Tensor e = embedding_lookup(root, shards, ids, {.partition_strategy = "div"});
  EXPECT_EQ(row_ids(e), (std::vector<int>{0, 1, 3, 4, 8, 9}));
  EXPECT_EQ(e.name(), "embedding_lookup:0");
}

TEST_F(EmbeddingOpsTest, LookupMessages) {
  expect_error<ValueError>([&] { (void)embedding_lookup(root, shards, i32({0, 10}, {2})); },
                           "indices[1] = 10 is not in [0, 10)");
  expect_error<ValueError>([&] { (void)embedding_lookup(root, shards, ids, {.partition_strategy = "foo"}); },
                           "Unrecognized partition strategy: foo");
  // mod over uneven shards (4, 4, 2 rows): id 8 is shard 2, row 2.
  std::vector<Tensor> uneven{rows(0, 4), rows(4, 4), rows(8, 2)};
  expect_error<ValueError>([&] { (void)embedding_lookup(root, uneven, i32({8}, {1})); },
                           "indices[0] = 8 maps to row 2 of shard 2, which is not in [0, 2)");
  expect_error<ValueError>([&] { (void)embedding_lookup(root, std::vector<Tensor>{}, ids); }, "Need at least one param");
}

TEST_F(EmbeddingOpsTest, PartitionedVariableModAndDiv) {
  Scope scope = root.variable_scope("emb", {.partitioner = fixed_size_partitioner(3)});
  Variable table = scope.get_variable("table", {10, 2});
  ASSERT_TRUE(table.is_partitioned());
  std::vector<Variable> parts = table.as_partitioned().shards();
  ASSERT_EQ(parts.size(), 3u);
  for (std::size_t i = 0; i < parts.size(); ++i) parts[i].assign(shards[i]);
  Tensor mod = embedding_lookup(scope, table, ids);
  EXPECT_EQ(row_ids(mod), (std::vector<int>{0, 4, 1, 5, 9, 3}));
  EXPECT_EQ(mod.name(), "emb/embedding_lookup:0");
  Tensor div = embedding_lookup(scope, table, ids, {.partition_strategy = "div"});
  EXPECT_EQ(row_ids(div), (std::vector<int>{0, 1, 3, 4, 8, 9}));
  EXPECT_EQ(div.name(), "emb/embedding_lookup_1:0");
}

TEST_F(EmbeddingOpsTest, PlainVariableLookup) {
  Variable table = root.get_variable("words", {10, 2});
  table.assign(rows(0, 10));
  EXPECT_EQ(row_ids(embedding_lookup(root, table, i32({7, 2}, {2}))), (std::vector<int>{7, 2}));
}

} // namespace
} // namespace varscope
