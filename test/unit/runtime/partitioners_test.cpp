// Unit tests for varscope/partitioners.h and PartitionInfo
// (tf-semantics.md §6.3, §6.5).

#include "varscope/partitioners.h"

#include <gtest/gtest.h>

#include "varscope/errors.h"
#include "varscope/initializers.h"

namespace varscope {
namespace {

using Ints = std::vector<std::int64_t>;

template <class Fn> std::string valueErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const ValueError& e) {
    return e.what();
  }
  return "<no ValueError>";
}

std::vector<std::int64_t> sliceLengths(const std::vector<SliceSpec>& slices, int axis) {
  std::vector<std::int64_t> out;
  for (const SliceSpec& s : slices) out.push_back(s.shape.dim(axis));
  return out;
}

std::vector<std::int64_t> sliceOffsets(const std::vector<SliceSpec>& slices, int axis) {
  std::vector<std::int64_t> out;
  for (const SliceSpec& s : slices) out.push_back(s.offset[static_cast<std::size_t>(axis)]);
  return out;
}

//===--- compute_slices / save_slice_spec ---------------------------------===//

TEST(ComputeSlicesTest, FortyThreeIntoThreeGivesFifteenFourteenFourteen) {
  std::vector<SliceSpec> slices = compute_slices(Shape{43}, {3});
  EXPECT_EQ(sliceLengths(slices, 0), (Ints{15, 14, 14}));
  EXPECT_EQ(sliceOffsets(slices, 0), (Ints{0, 15, 29}));
}

TEST(ComputeSlicesTest, ThirteenIntoThreeGivesFiveFourFour) {
  std::vector<SliceSpec> slices = compute_slices(Shape{13, 5}, {3, 1});
  EXPECT_EQ(sliceLengths(slices, 0), (Ints{5, 4, 4}));
  EXPECT_EQ(sliceOffsets(slices, 0), (Ints{0, 5, 9}));
  EXPECT_EQ(slices[1].shape, (Shape{4, 5}));
  EXPECT_EQ(slices[1].offset, (Ints{5, 0}));
}

TEST(ComputeSlicesTest, RankThreeIntoTwoAlongAxisZero) {
  std::vector<SliceSpec> slices = compute_slices(Shape{3, 1, 1}, {2, 1, 1});
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[0].shape, (Shape{2, 1, 1}));
  EXPECT_EQ(slices[0].offset, (Ints{0, 0, 0}));
  EXPECT_EQ(slices[1].shape, (Shape{1, 1, 1}));
  EXPECT_EQ(slices[1].offset, (Ints{2, 0, 0}));
}

TEST(ComputeSlicesTest, SlicesAlongTheAxisWithSeveralPartitions) {
  std::vector<SliceSpec> slices = compute_slices(Shape{2, 4}, {1, 2});
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[1].shape, (Shape{2, 2}));
  EXPECT_EQ(slices[1].offset, (Ints{0, 2}));
}

TEST(ComputeSlicesTest, NoPartitionedAxisGivesOneFullSlice) {
  std::vector<SliceSpec> slices = compute_slices(Shape{4, 3}, {1, 1});
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0].shape, (Shape{4, 3}));
  EXPECT_EQ(slices[0].offset, (Ints{0, 0}));
}

TEST(ComputeSlicesTest, MorePartitionsThanRowsGivesEmptySliceThatPartitionInfoRejects) {
  // create_partitioned_variables([10, 43], [11, 1], ...) raises ValueError.
  std::vector<SliceSpec> slices = compute_slices(Shape{10, 43}, {11, 1});
  ASSERT_EQ(slices.size(), 11u);
  EXPECT_EQ(slices[10].shape, (Shape{0, 43}));
  EXPECT_EQ(slices[10].offset, (Ints{10, 0}));
  EXPECT_EQ(valueErrorOf([&] { PartitionInfo(Shape{10, 43}, slices[10].offset); }),
            "Expected 0 <= offset < shape but found offset=10, shape=10 for var_offset=[10, 0], "
            "full_shape=[10, 43]");
}

TEST(ComputeSlicesTest, RejectsPartitionListOfWrongRank) {
  EXPECT_EQ(valueErrorOf([] { compute_slices(Shape{4, 3}, {2}); }),
            "Partitioner returned a partition list that does not match the Variable's rank: [2] vs. (4, 3)");
}

TEST(SaveSliceSpecTest, FormatsFullShapeAndOffsetLengthPairs) {
  EXPECT_EQ(save_slice_spec(Shape{4}, SliceSpec{{0}, Shape{1}}), "4 0,1");
  EXPECT_EQ(save_slice_spec(Shape{2, 4}, SliceSpec{{0, 2}, Shape{2, 2}}), "2 4 0,2:2,2");
  std::vector<SliceSpec> slices = compute_slices(Shape{13, 5}, {3, 1});
  EXPECT_EQ(save_slice_spec(Shape{13, 5}, slices[1]), "13 5 5,4:0,5");
}

//===--- PartitionInfo -----------------------------------------------------===//

TEST(PartitionInfoTest, KeepsFullShapeAndOffset) {
  PartitionInfo info(Shape{4, 6}, {2, 0});
  EXPECT_EQ(info.full_shape(), (Shape{4, 6}));
  EXPECT_EQ(info.var_offset(), (Ints{2, 0}));
}

TEST(PartitionInfoTest, UnequalLengthsRaise) {
  EXPECT_EQ(valueErrorOf([] { PartitionInfo(Shape{1, 2}, {0}); }),
            "Expected equal length, but `var_offset` is of length 1 while full_shape is of length 2.");
}

TEST(PartitionInfoTest, OffsetOutsideShapeRaises) {
  EXPECT_EQ(valueErrorOf([] { PartitionInfo(Shape{1, 2}, {0, 2}); }),
            "Expected 0 <= offset < shape but found offset=2, shape=2 for var_offset=[0, 2], full_shape=[1, 2]");
  EXPECT_EQ(valueErrorOf([] { PartitionInfo(Shape{3}, {-1}); }),
            "Expected 0 <= offset < shape but found offset=-1, shape=3 for var_offset=[-1], full_shape=[3]");
}

TEST(PartitionInfoTest, SingleSliceDimFindsTheOneDifferingDim) {
  PartitionInfo info(Shape{4, 6}, {0, 3});
  EXPECT_EQ(info.single_slice_dim(Shape{4, 3}), 1);
  EXPECT_EQ(info.single_offset(Shape{4, 3}), 3);
  PartitionInfo whole(Shape{4, 6}, {0, 0});
  EXPECT_EQ(whole.single_slice_dim(Shape{4, 6}), -1);
  EXPECT_EQ(whole.single_offset(Shape{4, 6}), 0);
}

TEST(PartitionInfoTest, SingleSliceDimRejectsBadShapes) {
  PartitionInfo info(Shape{4, 6}, {2, 3});
  EXPECT_EQ(valueErrorOf([&] { info.single_slice_dim(Shape{4}); }),
            "Expected equal length, but received shape=[4] of length 1 while self.full_shape=[4, 6] is of "
            "length 2.");
  EXPECT_EQ(valueErrorOf([&] { info.single_slice_dim(Shape{3, 3}); }),
            "With self.var_offset=[2, 3], a partition of shape=[3, 3] would exceed self.full_shape=[4, 6] in "
            "dimension 0.");
  EXPECT_EQ(valueErrorOf([&] { info.single_slice_dim(Shape{2, 3}); }),
            "Cannot use single_slice_dim() with shape=[2, 3] and self.full_shape=[4, 6] since slice dim could "
            "be either dimension 1 or 0.");
}

//===--- fixed_size_partitioner -------------------------------------------===//

TEST(FixedSizePartitionerTest, SplitsAxisIntoMinOfShardsAndLength) {
  Partitioner p = fixed_size_partitioner(3);
  EXPECT_EQ(p(Shape{10, 4}, float32), (Ints{3, 1}));
  EXPECT_EQ(p(Shape{2, 4}, float32), (Ints{2, 1}));
  EXPECT_EQ(fixed_size_partitioner(8, 1)(Shape{10, 4}, float32), (Ints{1, 4}));
  EXPECT_EQ(fixed_size_partitioner(2, -1)(Shape{10, 4}, float32), (Ints{1, 2}));
  EXPECT_EQ(p.description(), "fixed_size_partitioner(num_shards=3, axis=0)");
  EXPECT_TRUE(static_cast<bool>(p));
  EXPECT_FALSE(static_cast<bool>(Partitioner()));
}

TEST(FixedSizePartitionerTest, AxisBeyondRankRaises) {
  EXPECT_EQ(valueErrorOf([] { fixed_size_partitioner(2, 2)(Shape{10, 4}, float32); }),
            "Can not partition variable along axis 2 when shape is only (10, 4)");
}

//===--- variable_axis_size_partitioner -----------------------------------===//

// The (4, 8, 16, 32) float32 cases of TF's partitioned_variables_test: bytes
// per slice are 16384, 8192, 4096 and 2048 along axes 0..3.
TEST(VariableAxisSizePartitionerTest, NoSlicingWhenEverythingFits) {
  EXPECT_EQ(variable_axis_size_partitioner(131072, 0)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 1}));
  EXPECT_EQ(variable_axis_size_partitioner(65536, 1)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 1}));
}

TEST(VariableAxisSizePartitionerTest, ShardsAreCeilOfAxisOverSlicesPerShard) {
  // slices_per_shard = 32768 / 4096 = 8; shards = 16 / 8 = 2.
  EXPECT_EQ(variable_axis_size_partitioner(32768, 2)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 2, 1}));
  // slices_per_shard = 2048 / 2048 = 1; shards = 32.
  EXPECT_EQ(variable_axis_size_partitioner(2048, 3)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 32}));
  // A slice larger than max_shard_bytes still gets a shard of its own.
  EXPECT_EQ(variable_axis_size_partitioner(1024, 3)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 32}));
  // 10 rows of 4 bytes, 12 bytes per shard: 3 rows per shard, ceil(10/3) = 4.
  EXPECT_EQ(variable_axis_size_partitioner(12)(Shape{10}, float32), (Ints{4}));
}

TEST(VariableAxisSizePartitionerTest, MaxShardsCapsTheCount) {
  EXPECT_EQ(variable_axis_size_partitioner(1024, 3, 16, 64)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 32}));
  EXPECT_EQ(variable_axis_size_partitioner(1024, 3, 16, 2)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 2}));
}

TEST(VariableAxisSizePartitionerTest, ZeroMaxShardsMeansNoCapLikePython) {
  EXPECT_EQ(variable_axis_size_partitioner(1024, 3, 16, 0)(Shape{4, 8, 16, 32}, float32), (Ints{1, 1, 1, 32}));
}

TEST(VariableAxisSizePartitionerTest, StringsUseBytesPerStringElement) {
  // 4 * 8 * 16 * 8 = 4096 bytes per slice; 32768 / 4096 = 8; 32 / 8 = 4.
  EXPECT_EQ(variable_axis_size_partitioner(32768, 3, 8)(Shape{4, 8, 16, 32}, string_), (Ints{1, 1, 1, 4}));
}

TEST(VariableAxisSizePartitionerTest, ConstructionErrors) {
  EXPECT_EQ(valueErrorOf([] { variable_axis_size_partitioner(0); }),
            "Both max_shard_bytes and bytes_per_string_element must be positive.");
  EXPECT_EQ(valueErrorOf([] { variable_axis_size_partitioner(10, 0, 0); }),
            "Both max_shard_bytes and bytes_per_string_element must be positive.");
  EXPECT_EQ(valueErrorOf([] { variable_axis_size_partitioner(10, 0, 16, -1); }), "max_shards must be positive.");
}

TEST(VariableAxisSizePartitionerTest, PartiallyKnownShapeRaises) {
  EXPECT_EQ(valueErrorOf([] { variable_axis_size_partitioner(10)(Shape{Shape::kUnknownDim, 4}, float32); }),
            "shape is not fully defined: (?, 4)");
}

TEST(VariableAxisSizePartitionerTest, DescriptionListsArguments) {
  EXPECT_EQ(variable_axis_size_partitioner(1024).description(),
            "variable_axis_size_partitioner(max_shard_bytes=1024, axis=0, bytes_per_string_element=16)");
  EXPECT_EQ(variable_axis_size_partitioner(1024, 1, 8, 4).description(),
            "variable_axis_size_partitioner(max_shard_bytes=1024, axis=1, bytes_per_string_element=8, "
            "max_shards=4)");
}

//===--- min_max_variable_partitioner -------------------------------------===//

TEST(MinMaxVariablePartitionerTest, PartitionsAreBoundedByBytesMaxAndLength) {
  // (1024, 256) float32 = 1 MiB = 4 slices of 256 KiB.
  EXPECT_EQ(min_max_variable_partitioner(10)(Shape{1024, 256}, float32), (Ints{4, 1}));
  EXPECT_EQ(min_max_variable_partitioner(3)(Shape{1024, 256}, float32), (Ints{3, 1}));
  EXPECT_EQ(min_max_variable_partitioner()(Shape{1024, 256}, float32), (Ints{1, 1}));
  // Only two rows: two partitions at most.
  EXPECT_EQ(min_max_variable_partitioner(10)(Shape{2, 131072}, float32), (Ints{2, 1}));
  // 40 bytes: ceil(40 / 262144) = 1.
  EXPECT_EQ(min_max_variable_partitioner(10)(Shape{10}, float32), (Ints{1}));
  // ceil(4097 * 8 / 8192) = 5 along axis 1.
  EXPECT_EQ(min_max_variable_partitioner(100, 1, 8192)(Shape{1, 4097}, float64), (Ints{1, 5}));
}

TEST(MinMaxVariablePartitionerTest, StringsUseBytesPerStringElement) {
  EXPECT_EQ(min_max_variable_partitioner(10)(Shape{65536}, string_), (Ints{4}));
  EXPECT_EQ(min_max_variable_partitioner(10, 0, 256 << 10, 4)(Shape{65536}, string_), (Ints{1}));
}

TEST(MinMaxVariablePartitionerTest, AxisBeyondRankRaises) {
  EXPECT_EQ(valueErrorOf([] { min_max_variable_partitioner(4, 2)(Shape{10, 4}, float32); }),
            "Can not partition variable along axis 2 when shape is only (10, 4)");
}

TEST(MinMaxVariablePartitionerTest, DescriptionListsArguments) {
  EXPECT_EQ(min_max_variable_partitioner(4).description(),
            "min_max_variable_partitioner(max_partitions=4, axis=0, min_slice_size=262144, "
            "bytes_per_string_element=16)");
}

} // namespace
} // namespace varscope
