// Op outputs are allocated with Tensor::uninitialized and large blocks are
// recycled per thread (runtime/src/tensor.cpp), so a kernel that relied on a
// zero-filled output would now read a previous tensor's bytes. These tests
// poison recycled blocks with NaN and check the kernels that have a reason
// to want zeros (empty reductions, k == 0 products, padding, one_hot).
#include <cmath>
#include <cstdint>
#include <limits>

#include "ops_test_util.h"

namespace varscope {
namespace {

using namespace ops_testing;

class OutputAllocTest : public OpsTest {};

/// Allocates and frees float tensors of `elements` elements filled with NaN,
/// so the next blocks of that size handed out are dirty (every size used
/// here is past the 64 KiB from which freed blocks are recycled).
void poison(std::int64_t elements) {
  for (int i = 0; i < 4; ++i) {
    Tensor t = Tensor::uninitialized(DType::Float32, {elements});
    for (float& v : t.values<float>()) v = std::numeric_limits<float>::quiet_NaN();
  }
}

TEST(TensorUninitializedTest, HasShapeDtypeAndAlignedData) {
  for (std::int64_t n : {0, 1, 15, 16, 1000, 1 << 20}) {
    const Tensor t = Tensor::uninitialized(DType::Float32, {n, 1});
    EXPECT_EQ(t.dtype(), DType::Float32);
    EXPECT_EQ(t.shape(), Shape({n, 1}));
    EXPECT_EQ(t.num_elements(), n);
    EXPECT_EQ(t.nbytes(), static_cast<std::size_t>(n) * 4);
    const auto address = reinterpret_cast<std::uintptr_t>(t.raw_data());
    EXPECT_EQ(address % (n * 4 >= 64 ? 64 : 16), 0u) << n << " elements";
  }
}

TEST(TensorUninitializedTest, StringElementsAreConstructedEmpty) {
  const Tensor t = Tensor::uninitialized(DType::String, {3});
  for (const std::string& s : t.values<std::string>()) EXPECT_EQ(s, "");
}

TEST(TensorUninitializedTest, PartiallyKnownShapeRaises) {
  expect_error<ValueError>([] { (void)Tensor::uninitialized(DType::Float32, {2, -1}); },
                           "Cannot create a tensor of partially known shape (2, ?)");
}

TEST(TensorUninitializedTest, ZeroFilledTensorFromARecycledBlockIsZero) {
  poison(1 << 18);
  const Tensor t(DType::Float32, {1 << 18});
  for (float v : t.values<float>()) ASSERT_EQ(v, 0.0f);
}

TEST(TensorUninitializedTest, FreedLargeBlockIsReusedForTheSameSize) {
  const void* first = nullptr;
  {
    const Tensor t = Tensor::uninitialized(DType::Float32, {1 << 18});
    first = t.raw_data();
  }
  const Tensor again = Tensor::uninitialized(DType::Float32, {1 << 18});
  EXPECT_EQ(again.raw_data(), first);
}

TEST_F(OutputAllocTest, MatMulWithEmptyInnerDimensionIsZero) {
  poison(256 * 256);
  const Tensor c = matmul(root, Tensor(DType::Float32, {256, 0}), Tensor(DType::Float32, {0, 256}));
  for (float v : c.values<float>()) ASSERT_EQ(v, 0.0f);
  poison(2 * 256 * 256);
  const Tensor d = matmul(root, Tensor(DType::Float32, {2, 256, 0}), Tensor(DType::Float32, {2, 0, 256}));
  for (float v : d.values<float>()) ASSERT_EQ(v, 0.0f);
}

TEST_F(OutputAllocTest, ReduceOverAnEmptyAxisGivesTheIdentity) {
  poison(128 * 128);
  const Tensor sum = reduce_sum(root, Tensor(DType::Float32, {128, 0, 128}), {.axis = 1});
  for (float v : sum.values<float>()) ASSERT_EQ(v, 0.0f);
}

TEST_F(OutputAllocTest, OneHotWritesOffValuesEverywhere) {
  poison(128 * 512);
  const Tensor indices = Tensor::from_vector(std::vector<std::int32_t>(128, 3), {128});
  const Tensor h = one_hot(root, indices, 512);
  const std::vector<float> v = values_of<float>(h);
  for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i % 512 == 3 ? 1.0f : 0.0f) << i;
}

TEST_F(OutputAllocTest, SamePaddedConvolutionIsFinite) {
  // 1 x 64 x 64 x 8 input, 3 x 3 x 8 x 16 filter: the padded border reads
  // zeros from the im2col buffer, never from a recycled output block.
  poison(64 * 64 * 16);
  Tensor input(DType::Float32, {1, 64, 64, 8});
  Tensor filter(DType::Float32, {3, 3, 8, 16});
  for (float& v : input.values<float>()) v = 1.0f;
  for (float& v : filter.values<float>()) v = 1.0f;
  const Tensor out = conv2d(root, input, filter, {.strides = {1}, .padding = "SAME"});
  const float* o = out.data<float>();
  EXPECT_EQ(o[0], 4.0f * 8.0f);                       // corner: 2 x 2 window
  EXPECT_EQ(o[(1 * 64 + 1) * 16], 9.0f * 8.0f);        // interior: 3 x 3 window
  for (float v : out.values<float>()) ASSERT_TRUE(std::isfinite(v));
}

TEST_F(OutputAllocTest, MaxPoolOverPaddingIsFinite) {
  poison(64 * 64 * 16);
  Tensor x(DType::Float32, {1, 128, 128, 16});
  for (float& v : x.values<float>()) v = -1.0f;
  const Tensor y = max_pool(root, x, {.ksize = {3}, .strides = {2}, .padding = "SAME"});
  for (float v : y.values<float>()) ASSERT_EQ(v, -1.0f);
}

} // namespace
} // namespace varscope
