// Unit tests for varscope/shape.h.

#include "varscope/shape.h"

#include <gtest/gtest.h>

#include "varscope/errors.h"

namespace varscope {
namespace {

constexpr std::int64_t kUnknown = Shape::kUnknownDim;

TEST(ShapeTest, ToStringUsesTf1TupleText) {
  EXPECT_EQ(Shape{}.to_string(), "()");
  EXPECT_EQ(Shape{2}.to_string(), "(2,)");
  EXPECT_EQ((Shape{3, 4}).to_string(), "(3, 4)");
  EXPECT_EQ((Shape{kUnknown, 4}).to_string(), "(?, 4)");
  EXPECT_EQ((Shape{1, 2, 3}).to_string(), "(1, 2, 3)");
}

TEST(ShapeTest, ToListStringUsesPythonListText) {
  EXPECT_EQ(Shape{}.to_list_string(), "[]");
  EXPECT_EQ(Shape{2}.to_list_string(), "[2]");
  EXPECT_EQ((Shape{3, 4}).to_list_string(), "[3, 4]");
  EXPECT_EQ((Shape{kUnknown, 4}).to_list_string(), "[None, 4]");
}

TEST(ShapeTest, ShapeStringOfUnknownRank) {
  EXPECT_EQ(shape_string(nullptr), "<unknown>");
  Shape s{5};
  EXPECT_EQ(shape_string(&s), "(5,)");
}

TEST(ShapeTest, NumElementsIsProductOfDims) {
  EXPECT_EQ(Shape{}.num_elements(), 1);
  EXPECT_EQ((Shape{3, 4}).num_elements(), 12);
  EXPECT_EQ((Shape{3, 0, 4}).num_elements(), 0);
}

TEST(ShapeTest, NumElementsOfPartialShapeRaises) {
  try {
    (void)Shape{kUnknown, 4}.num_elements();
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "num_elements of a partially known shape (?, 4) is undefined");
  }
}

TEST(ShapeTest, FullyDefinedOnlyWithoutUnknownDims) {
  EXPECT_TRUE(Shape{}.is_fully_defined());
  EXPECT_TRUE((Shape{0, 3}).is_fully_defined());
  EXPECT_FALSE((Shape{kUnknown, 3}).is_fully_defined());
}

TEST(ShapeTest, CompatibilityNeedsSameRankAndEqualKnownDims) {
  EXPECT_TRUE((Shape{3, 4}).is_compatible_with(Shape{3, 4}));
  EXPECT_TRUE((Shape{kUnknown, 4}).is_compatible_with(Shape{3, 4}));
  EXPECT_TRUE((Shape{3, 4}).is_compatible_with(Shape{3, kUnknown}));
  EXPECT_FALSE((Shape{3, 4}).is_compatible_with(Shape{3, 5}));
  EXPECT_FALSE((Shape{3, 4}).is_compatible_with(Shape{3, 4, 1}));
  EXPECT_FALSE(Shape{}.is_compatible_with(Shape{1}));
}

TEST(ShapeTest, EqualityComparesDims) {
  EXPECT_EQ((Shape{3, 4}), Shape(std::vector<std::int64_t>{3, 4}));
  EXPECT_NE((Shape{3, 4}), (Shape{4, 3}));
  Shape s{1, 2};
  s.mutable_dims().push_back(3);
  EXPECT_EQ(s, (Shape{1, 2, 3}));
  EXPECT_EQ(s.rank(), 3);
  EXPECT_EQ(s.dim(2), 3);
  EXPECT_THROW((void)s.dim(3), std::out_of_range);
}

} // namespace
} // namespace varscope
