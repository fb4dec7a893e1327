// runtime/src/philox.cpp - Philox4x32-10, written from the Random123 paper.
//
// Pure functions only: thread-safe.

#include "philox.h"

#include <cmath>
#include <numbers>

namespace varscope::detail {

namespace {

constexpr std::uint32_t kMultiplier0 = 0xD2511F53; // Philox4x32 round multipliers
constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9; // key schedule: golden ratio
constexpr std::uint32_t kWeyl1 = 0xBB67AE85; // and sqrt(3) - 1

struct HiLo {
  std::uint32_t hi;
  std::uint32_t lo;
};

HiLo mulhilo(std::uint32_t a, std::uint32_t b) {
  std::uint64_t product = static_cast<std::uint64_t>(a) * b;
  return {static_cast<std::uint32_t>(product >> 32), static_cast<std::uint32_t>(product)};
}

PhiloxCounter round(const PhiloxCounter& ctr, const PhiloxKey& key) {
  HiLo p0 = mulhilo(kMultiplier0, ctr[0]);
  HiLo p1 = mulhilo(kMultiplier1, ctr[2]);
  return {p1.hi ^ ctr[1] ^ key[0], p1.lo, p0.hi ^ ctr[3] ^ key[1], p0.lo};
}

} // namespace

PhiloxBlock philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  for (int r = 0; r < 10; ++r) {
    if (r > 0) {
      key[0] += kWeyl0;
      key[1] += kWeyl1;
    }
    counter = round(counter, key);
  }
  return counter;
}

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash) {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kPrime;
  }
  return hash;
}

std::uint64_t splitmix64_mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

namespace {

std::uint64_t hashLe64(std::uint64_t value, std::uint64_t hash) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  return fnv1a64(std::string_view(bytes, 8), hash);
}

} // namespace

PhiloxKey derive_initializer_key(std::uint64_t graph_seed, std::optional<std::int64_t> op_seed,
                                 std::string_view name) {
  std::uint64_t hash = hashLe64(graph_seed, kFnv1a64Offset);
  if (op_seed) {
    hash = fnv1a64("S", hash);
    hash = hashLe64(static_cast<std::uint64_t>(*op_seed), hash);
  } else {
    hash = fnv1a64("none", hash);
  }
  hash = fnv1a64(name, hash);
  std::uint64_t key = splitmix64_mix(hash);
  return {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)};
}

std::pair<double, double> box_muller(std::uint32_t a, std::uint32_t b) {
  double u1 = (static_cast<double>(a) + 1.0) * 0x1p-32;
  double u2 = unit_from_bits(b);
  double r = std::sqrt(-2.0 * std::log(u1));
  double theta = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(theta), r * std::sin(theta)};
}

} // namespace varscope::detail
