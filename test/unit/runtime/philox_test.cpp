// Unit tests for the private Philox4x32-10 generator (runtime/src/philox.h).

#include "../../../runtime/src/philox.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace varscope::detail {
namespace {

// Known-answer vectors from Random123's kat_vectors (philox4x32 10 rounds).
TEST(PhiloxTest, KnownAnswerZeroCounterZeroKey) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
}

TEST(PhiloxTest, KnownAnswerAllOnes) {
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
            (PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
}

TEST(PhiloxTest, KnownAnswerPiDigits) {
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(PhiloxTest, Fnv1a64KnownAnswers) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(fnv1a64("bar", fnv1a64("foo")), fnv1a64("foobar"));
}

TEST(PhiloxTest, SplitMixMatchesFirstOutputOfSeedZero) {
  EXPECT_EQ(splitmix64_mix(0), 0xe220a8397b1dcdafULL);
}

// Expected keys computed independently (Python) from the documented
// serialization le64(graph_seed) ++ ("S" ++ le64(seed) | "none") ++ name.
TEST(PhiloxTest, InitializerKeyFollowsDocumentedDerivation) {
  EXPECT_EQ(derive_initializer_key(0, std::nullopt, "w"), (PhiloxKey{0x841efbaa, 0x5c56b48d}));
  EXPECT_EQ(derive_initializer_key(42, 7, "foo/bar/w"), (PhiloxKey{0x2c10fba1, 0x6e8aca9c}));
  EXPECT_EQ(derive_initializer_key(1, -1, "x"), (PhiloxKey{0x72fec6f6, 0x90bd6cde}));
}

TEST(PhiloxTest, InitializerKeyDependsOnEveryInput) {
  PhiloxKey base = derive_initializer_key(1, 2, "a/w");
  EXPECT_NE(base, derive_initializer_key(2, 2, "a/w"));
  EXPECT_NE(base, derive_initializer_key(1, 3, "a/w"));
  EXPECT_NE(base, derive_initializer_key(1, 2, "a/v"));
  EXPECT_NE(derive_initializer_key(1, 0, "w"), derive_initializer_key(1, std::nullopt, "w"));
  EXPECT_EQ(base, derive_initializer_key(1, 2, "a/w"));
}

TEST(PhiloxTest, ElementCounterLayout) {
  EXPECT_EQ(element_counter(0x0123456789abcdefULL, 5), (PhiloxCounter{0x89abcdef, 0x01234567, 5, 0}));
  EXPECT_EQ(element_counter(7), (PhiloxCounter{7, 0, 0, 0}));
}

TEST(PhiloxTest, UnitFromBitsMapsToHalfOpenInterval) {
  EXPECT_EQ(unit_from_bits(0), 0.0);
  EXPECT_EQ(unit_from_bits(0x80000000u), 0.5);
  EXPECT_EQ(unit_from_bits(0xffffffffu), 1.0 - 0x1p-32);
}

TEST(PhiloxTest, BoxMullerUsesDocumentedMapping) {
  // u1 = 1 gives radius 0.
  auto [a0, a1] = box_muller(0xffffffffu, 123);
  EXPECT_EQ(a0, 0.0);
  EXPECT_EQ(a1, 0.0);
  // u1 = 0.5, u2 = 0: (sqrt(2 ln 2), 0).
  auto [b0, b1] = box_muller(0x7fffffffu, 0);
  EXPECT_DOUBLE_EQ(b0, std::sqrt(2.0 * std::numbers::ln2));
  EXPECT_EQ(b1, 0.0);
  // u1 = 0.5, u2 = 0.25: angle pi/2.
  auto [c0, c1] = box_muller(0x7fffffffu, 0x40000000u);
  EXPECT_NEAR(c0, 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(c1, std::sqrt(2.0 * std::numbers::ln2));
  // The smallest u1 = 2^-32 stays finite.
  auto [d0, d1] = box_muller(0, 0);
  EXPECT_DOUBLE_EQ(d0, std::sqrt(64.0 * std::numbers::ln2));
  EXPECT_EQ(d1, 0.0);
}

TEST(PhiloxTest, OutputsLookUniform) {
  // 4096 blocks of consecutive counters: every bit is set about half the time.
  PhiloxKey key = derive_initializer_key(0, std::nullopt, "stats");
  int ones[32] = {};
  constexpr int kBlocks = 4096;
  for (int i = 0; i < kBlocks; ++i) {
    PhiloxBlock block = philox4x32_10(element_counter(static_cast<std::uint64_t>(i)), key);
    for (std::uint32_t word : block)
      for (int b = 0; b < 32; ++b) ones[b] += (word >> b) & 1u;
  }
  for (int b = 0; b < 32; ++b) {
    double fraction = ones[b] / (4.0 * kBlocks);
    EXPECT_GT(fraction, 0.47) << "bit " << b;
    EXPECT_LT(fraction, 0.53) << "bit " << b;
  }
}

} // namespace
} // namespace varscope::detail
