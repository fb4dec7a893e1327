// Unit tests for varscope/tensor.h.

#include "varscope/tensor.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace varscope {
namespace {

template <class Fn> std::string messageOf(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no exception>";
}

TEST(TensorTest, DefaultTensorIsUndefined) {
  Tensor t;
  EXPECT_FALSE(t.defined());
  EXPECT_EQ(t.raw_data(), nullptr);
  EXPECT_EQ(t.nbytes(), 0u);
}

TEST(TensorTest, NewNumericTensorIsZeroFilled) {
  Tensor t(float32, {2, 3});
  EXPECT_TRUE(t.defined());
  EXPECT_EQ(t.num_elements(), 6);
  EXPECT_EQ(t.nbytes(), 24u);
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.dim(-1), 3);
  for (float v : t.values<float>()) EXPECT_EQ(v, 0.0f);
  Tensor b(bool_, {3});
  for (bool v : b.values<bool>()) EXPECT_FALSE(v);
}

TEST(TensorTest, BuffersFrom64BytesAreAlignedTo64BytesSmallerTo16) {
  for (DType d : {float16, float32, float64, int8, bool_, string_}) {
    for (std::int64_t n : {0, 1, 3, 17, 64, 1000}) {
      Tensor t(d, {n});
      auto address = reinterpret_cast<std::uintptr_t>(t.raw_data());
      std::size_t alignment = t.nbytes() >= 64 ? 64 : 16;
      EXPECT_EQ(address % alignment, 0u) << dtype_name(d) << " x" << n;
    }
  }
}

TEST(TensorTest, StringTensorHoldsConstructedStrings) {
  Tensor t(string_, {3});
  for (const std::string& s : t.values<std::string>()) EXPECT_EQ(s, "");
  std::string long_text(100, 'x'); // heap allocated: a leak shows up under ASan
  t.data<std::string>()[1] = long_text;
  Tensor copy = t;
  Tensor deep = t.clone();
  t.data<std::string>()[1] = "changed";
  EXPECT_EQ(copy.data<std::string>()[1], "changed");
  EXPECT_EQ(deep.data<std::string>()[1], long_text);
  EXPECT_EQ(t.nbytes(), 3 * sizeof(std::string));
}

TEST(TensorTest, CopySharesBufferAndCloneDoesNot) {
  Tensor t = Tensor::from_vector<float>({1, 2, 3});
  Tensor copy = t;
  Tensor deep = t.clone();
  EXPECT_TRUE(copy.shares_buffer_with(t));
  EXPECT_FALSE(deep.shares_buffer_with(t));
  t.data<float>()[0] = 9;
  EXPECT_EQ(copy.data<float>()[0], 9.0f);
  EXPECT_EQ(deep.data<float>()[0], 1.0f);
}

TEST(TensorTest, FromVectorRequiresMatchingElementCount) {
  Tensor t = Tensor::from_vector<std::int32_t>({1, 2, 3, 4}, {2, 2});
  EXPECT_EQ(t.shape(), (Shape{2, 2}));
  EXPECT_EQ(t.data<std::int32_t>()[3], 4);
  EXPECT_EQ(messageOf([] { Tensor::from_vector<float>({1, 2, 3}, {2, 2}); }),
            "Tensor::from_vector: 3 values do not fill shape (2, 2)");
  EXPECT_THROW(Tensor::from_vector<float>({1, 2, 3}, {2, 2}), ValueError);
}

TEST(TensorTest, PartiallyKnownShapeRaises) {
  EXPECT_EQ(messageOf([] { Tensor(float32, {Shape::kUnknownDim, 4}); }),
            "Cannot create a tensor of partially known shape (?, 4)");
}

TEST(TensorTest, WrongElementTypeRaisesTypeError) {
  Tensor t(float32, {2});
  EXPECT_THROW(t.data<std::int32_t>(), TypeError);
  EXPECT_EQ(messageOf([&] { t.data<std::int32_t>(); }),
            "Tensor has dtype float32 but its elements were accessed as int32");
  Tensor h(float16, {2});
  EXPECT_NE(h.data<std::uint16_t>(), nullptr);
  EXPECT_THROW(t.data<std::uint16_t>(), TypeError);
}

TEST(TensorTest, ScalarAndItem) {
  Tensor s = Tensor::scalar<std::int64_t>(42);
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(s.dtype(), int64);
  EXPECT_EQ(s.item<std::int64_t>(), 42);
  EXPECT_EQ(Tensor::scalar_f32(0.5).item<float>(), 0.5f);
  EXPECT_EQ(messageOf([] { (void)Tensor(float32, {2}).item<float>(); }), "Tensor::item: tensor has 2 elements");
}

TEST(TensorTest, HalfConversionRoundsToNearestEven) {
  EXPECT_EQ(float_to_half_bits(1.0f), 0x3C00);
  EXPECT_EQ(float_to_half_bits(0.1f), 0x2E66);
  EXPECT_EQ(float_to_half_bits(-2.0f), 0xC000);
  EXPECT_EQ(float_to_half_bits(65504.0f), 0x7BFF);
  EXPECT_EQ(float_to_half_bits(65520.0f), 0x7C00); // tie between max and inf: even wins
  EXPECT_EQ(float_to_half_bits(1.0f + 0x1p-11f), 0x3C00);     // tie: down to even
  EXPECT_EQ(float_to_half_bits(1.0f + 3 * 0x1p-11f), 0x3C02); // tie: up to even
  EXPECT_EQ(float_to_half_bits(0x1p-24f), 0x0001);             // smallest subnormal
  EXPECT_EQ(half_bits_to_float(0x3555), 0.333251953125f);
  EXPECT_EQ(half_bits_to_float(0x0001), 0x1p-24f);
  EXPECT_EQ(half_bits_to_float(0xFC00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(half_bits_to_float(float_to_half_bits(std::nanf("")))));
}

TEST(TensorTest, BFloat16ConversionRoundsToNearestEven) {
  EXPECT_EQ(float_to_bfloat16_bits(1.0f), 0x3F80);
  EXPECT_EQ(float_to_bfloat16_bits(0.1f), 0x3DCD);
  EXPECT_EQ(float_to_bfloat16_bits(std::bit_cast<float>(0x3F808000u)), 0x3F80); // tie: even
  EXPECT_EQ(float_to_bfloat16_bits(std::bit_cast<float>(0x3F818000u)), 0x3F82); // tie: even
  EXPECT_EQ(float_to_bfloat16_bits(std::bit_cast<float>(0x3F808001u)), 0x3F81);
  EXPECT_EQ(bfloat16_bits_to_float(0x3F81), 1.0078125f);
  EXPECT_TRUE(std::isnan(bfloat16_bits_to_float(float_to_bfloat16_bits(std::nanf("")))));
}

TEST(TensorTest, FromFloatsStoresSixteenBitPatterns) {
  Tensor h = Tensor::from_floats(float16, {1.0f, 0.1f}, {2});
  EXPECT_EQ(h.data<std::uint16_t>()[0], 0x3C00);
  EXPECT_EQ(h.data<std::uint16_t>()[1], 0x2E66);
  Tensor b = Tensor::from_floats(bfloat16, {0.1f}, {1});
  EXPECT_EQ(b.data<std::uint16_t>()[0], 0x3DCD);
  EXPECT_EQ(h.element_as_double(1), static_cast<double>(half_bits_to_float(0x2E66)));
  EXPECT_EQ(messageOf([] { Tensor::from_floats(int32, {1.0f}, {1}); }),
            "Tensor::from_floats: dtype int32 is not floating");
}

TEST(TensorTest, CastConvertsLikeStaticCastWithSaturation) {
  Tensor f = Tensor::from_vector<float>({1.5f, -2.7f, 3e10f, 0.0f});
  Tensor i = f.cast(int32);
  EXPECT_EQ(i.dtype(), int32);
  EXPECT_EQ(std::vector<std::int32_t>(i.values<std::int32_t>().begin(), i.values<std::int32_t>().end()),
            (std::vector<std::int32_t>{1, -2, std::numeric_limits<std::int32_t>::max(), 0}));
  Tensor b = f.cast(bool_);
  EXPECT_EQ(std::vector<bool>(b.values<bool>().begin(), b.values<bool>().end()),
            (std::vector<bool>{true, true, true, false}));
  Tensor h = f.cast(float16);
  EXPECT_EQ(h.data<std::uint16_t>()[0], float_to_half_bits(1.5f));
  EXPECT_EQ(Tensor::from_vector<std::int32_t>({7}).cast(float64).data<double>()[0], 7.0);
  EXPECT_THROW(Tensor(string_, {1}).cast(float32), TypeError);
  EXPECT_EQ(messageOf([&] { f.cast(string_); }), "Cannot cast a tensor of dtype float32 to string");
}

TEST(TensorTest, ReshapedSharesBufferAndChecksCount) {
  Tensor t = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor r = t.reshaped({3, 2});
  EXPECT_TRUE(r.shares_buffer_with(t));
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(messageOf([&] { t.reshaped({4}); }), "Cannot reshape a tensor with 6 elements to shape (4,)");
}

TEST(TensorTest, EqualsComparesDtypeShapeAndValues) {
  Tensor a = Tensor::from_vector<float>({1, 2, 3, 4}, {2, 2});
  EXPECT_TRUE(a.equals(a.clone()));
  EXPECT_FALSE(a.equals(a.reshaped({4})));
  EXPECT_FALSE(a.equals(a.cast(float64)));
  Tensor c = a.clone();
  c.data<float>()[3] = 5;
  EXPECT_FALSE(a.equals(c));
  Tensor s1 = Tensor::from_vector<std::string>({"a", "b"});
  Tensor s2 = Tensor::from_vector<std::string>({"a", "b"});
  EXPECT_TRUE(s1.equals(s2));
  s2.data<std::string>()[1] = "c";
  EXPECT_FALSE(s1.equals(s2));
  EXPECT_TRUE(Tensor().equals(Tensor()));
}

TEST(TensorTest, ElementConversionToDouble) {
  Tensor b = Tensor::from_vector<bool>({true, false});
  EXPECT_EQ(b.to_doubles(), (std::vector<double>{1.0, 0.0}));
  Tensor i = Tensor::from_vector<std::int8_t>({-3, 4});
  EXPECT_EQ(i.element_as_double(0), -3.0);
  EXPECT_EQ(messageOf([] { (void)Tensor(string_, {1}).element_as_double(0); }),
            "Cannot convert an element of a string tensor to double");
  EXPECT_EQ(messageOf([&] { (void)i.element_as_double(2); }),
            "Element index 2 is out of range for a tensor of 2 elements");
}

TEST(TensorTest, DebugStringIsPythonLike) {
  Tensor f = Tensor::from_vector<float>({0.5f, 1.0f, 2.0f, 0.1f}, {2, 2});
  EXPECT_EQ(f.debug_string(), "Tensor(shape=(2, 2), dtype=float32, values=[0.5, 1, 2, 0.1])");
  EXPECT_EQ(f.debug_string(2), "Tensor(shape=(2, 2), dtype=float32, values=[0.5, 1, ...])");
  EXPECT_EQ(f.debug_string(0), "Tensor(shape=(2, 2), dtype=float32, values=[...])");
  EXPECT_EQ(Tensor::from_vector<std::string>({"a", "b"}).debug_string(),
            "Tensor(shape=(2,), dtype=string, values=['a', 'b'])");
  EXPECT_EQ(Tensor::scalar<bool>(true).debug_string(), "Tensor(shape=(), dtype=bool, values=[True])");
  EXPECT_EQ(Tensor::from_vector<std::int64_t>({-7, 8}).debug_string(),
            "Tensor(shape=(2,), dtype=int64, values=[-7, 8])");
  EXPECT_EQ(Tensor::from_floats(float16, {0.1f}, {1}).debug_string(),
            "Tensor(shape=(1,), dtype=float16, values=[0.099975586])");
  EXPECT_EQ(Tensor().debug_string(), "Tensor(undefined)");
}

TEST(TensorTest, NameIsCarried) {
  Tensor t(float32, {1});
  EXPECT_EQ(t.name(), "");
  t.set_name("foo/add:0");
  EXPECT_EQ(t.name(), "foo/add:0");
}

// An op output (Tensor::uninitialized) keeps its name in its buffer's block
// when it is the only owner; every Tensor still sees its own name.
TEST(TensorTest, NameInTheBufferIsSharedByCopiesAndRenamedPerTensor) {
  Tensor t = Tensor::uninitialized(float32, {64});
  t.set_name("model/layer_0/MatMul_12:0"); // longer than a short-string buffer
  Tensor copy = t;
  Tensor view = t.reshaped({8, 8});
  EXPECT_EQ(copy.name(), "model/layer_0/MatMul_12:0");
  EXPECT_EQ(view.name(), "model/layer_0/MatMul_12:0");
  copy.set_name("other:0"); // shared buffer: copy gets a name of its own
  EXPECT_EQ(copy.name(), "other:0");
  EXPECT_EQ(t.name(), "model/layer_0/MatMul_12:0");
  view.set_name("");
  EXPECT_EQ(view.name(), "");
  EXPECT_EQ(t.name(), "model/layer_0/MatMul_12:0");
  Tensor cloned = t.clone();
  t.set_name("renamed:0");
  EXPECT_EQ(cloned.name(), "model/layer_0/MatMul_12:0");
  EXPECT_EQ(t.name(), "renamed:0");
  Tensor moved = std::move(cloned);
  EXPECT_EQ(moved.name(), "model/layer_0/MatMul_12:0");
  EXPECT_EQ(cloned.name(), ""); // NOLINT(bugprone-use-after-move): moved-from is undefined and unnamed
}

TEST(TensorTest, SoleOwnerRenamesItsBufferName) {
  Tensor t = Tensor::uninitialized(int32, {3});
  t.set_name("a:0");
  t.set_name("b:0");
  EXPECT_EQ(t.name(), "b:0");
  {
    Tensor copy = t;
    EXPECT_EQ(copy.name(), "b:0");
  }
  t.set_name("c:0"); // the only owner again
  Tensor copy = t;
  EXPECT_EQ(copy.name(), "c:0");
  t.set_name("");
  EXPECT_EQ(t.name(), "");
  EXPECT_EQ(copy.name(), "c:0");
}

} // namespace
} // namespace varscope
