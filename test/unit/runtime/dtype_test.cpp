// Unit tests for varscope/dtype.h.

#include "varscope/dtype.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace varscope {
namespace {

const std::vector<DType> kAll = {float16, bfloat16, float32, float64, int8,  int16,
                                 int32,   int64,    uint8,   uint16,  bool_, string_};

TEST(DTypeTest, NamesMatchTensorFlow) {
  const std::vector<std::string> expected = {"float16", "bfloat16", "float32", "float64", "int8",  "int16",
                                             "int32",   "int64",    "uint8",   "uint16",  "bool", "string"};
  for (std::size_t i = 0; i < kAll.size(); ++i) EXPECT_EQ(dtype_name(kAll[i]), expected[i]);
}

TEST(DTypeTest, FromNameInvertsName) {
  for (DType d : kAll) EXPECT_EQ(dtype_from_name(dtype_name(d)), d);
}

TEST(DTypeTest, FromNameAcceptsNumpyAliases) {
  EXPECT_EQ(dtype_from_name("half"), float16);
  EXPECT_EQ(dtype_from_name("float"), float32);
  EXPECT_EQ(dtype_from_name("double"), float64);
}

TEST(DTypeTest, FromNameRejectsUnknownNames) {
  EXPECT_EQ(dtype_from_name("complex64"), std::nullopt);
  EXPECT_EQ(dtype_from_name(""), std::nullopt);
  EXPECT_EQ(dtype_from_name("Float32"), std::nullopt);
}

TEST(DTypeTest, ReprMatchesTensorFlow) {
  EXPECT_EQ(dtype_repr(float32), "<dtype: 'float32'>");
  EXPECT_EQ(dtype_repr(string_), "<dtype: 'string'>");
}

TEST(DTypeTest, SizesAreBytesPerElement) {
  EXPECT_EQ(dtype_size(float16), 2u);
  EXPECT_EQ(dtype_size(bfloat16), 2u);
  EXPECT_EQ(dtype_size(float32), 4u);
  EXPECT_EQ(dtype_size(float64), 8u);
  EXPECT_EQ(dtype_size(int8), 1u);
  EXPECT_EQ(dtype_size(int16), 2u);
  EXPECT_EQ(dtype_size(int32), 4u);
  EXPECT_EQ(dtype_size(int64), 8u);
  EXPECT_EQ(dtype_size(uint8), 1u);
  EXPECT_EQ(dtype_size(uint16), 2u);
  EXPECT_EQ(dtype_size(bool_), 1u);
  EXPECT_EQ(dtype_size(string_), sizeof(std::string));
}

TEST(DTypeTest, FloatingAndIntegerPredicates) {
  for (DType d : kAll) {
    bool floating = d == float16 || d == bfloat16 || d == float32 || d == float64;
    bool integer = d == int8 || d == int16 || d == int32 || d == int64 || d == uint8 || d == uint16;
    EXPECT_EQ(is_floating(d), floating) << dtype_name(d);
    EXPECT_EQ(is_integer(d), integer) << dtype_name(d);
  }
}

TEST(DTypeTest, DTypeOfMapsCppTypes) {
  static_assert(dtype_of_v<float> == float32);
  static_assert(dtype_of_v<double> == float64);
  static_assert(dtype_of_v<std::int64_t> == int64);
  static_assert(dtype_of_v<bool> == bool_);
  static_assert(dtype_of_v<std::string> == string_);
  EXPECT_EQ(dtype_of_v<std::uint8_t>, uint8);
}

} // namespace
} // namespace varscope
