// runtime/src/philox.h - Philox4x32-10 and the helpers the random
// initializers build on (private to the runtime).
//
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC'11) maps a 128-bit counter and a 64-bit key to 128 random bits. It is
// stateless, so element i of a variable can be drawn on its own: the
// initializers use counter = (global flat index, attempt) and a key derived
// from (graph seed, op seed, variable name). See initializers.cpp.
//
// Everything here is a pure function: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace varscope::detail {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;
using PhiloxBlock = std::array<std::uint32_t, 4>;

/// Ten Philox rounds of `counter` under `key` (Random123's philox4x32_R(10)).
PhiloxBlock philox4x32_10(PhiloxCounter counter, PhiloxKey key);

/// FNV-1a (64-bit) of `bytes`, continuing from `hash`.
inline constexpr std::uint64_t kFnv1a64Offset = 0xcbf29ce484222325ULL;
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = kFnv1a64Offset);

/// SplitMix64's output function (Steele, Lea, Flood 2014): a bijective
/// 64-bit mixer with full avalanche.
std::uint64_t splitmix64_mix(std::uint64_t x);

/// The Philox key of a random initializer:
///   bytes = le64(graph_seed) ++ ('S' ++ le64(op_seed) | "none") ++ name
///   key64 = splitmix64_mix(fnv1a64(bytes))
///   key   = {low 32 bits of key64, high 32 bits of key64}
/// The op-seed part starts with 'S' or 'n', so the serialization is
/// unambiguous.
PhiloxKey derive_initializer_key(std::uint64_t graph_seed, std::optional<std::int64_t> op_seed,
                                 std::string_view name);

/// The counter of element `index` (global flat index in the full variable)
/// at rejection attempt `attempt`: {index low 32, index high 32, attempt, 0}.
inline PhiloxCounter element_counter(std::uint64_t index, std::uint32_t attempt = 0) {
  return {static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32), attempt, 0};
}

/// u = bits * 2^-32: the 2^32 values 0, 2^-32, ..., 1 - 2^-32 of [0, 1), each
/// exactly representable in a double.
inline double unit_from_bits(std::uint32_t bits) { return static_cast<double>(bits) * 0x1p-32; }

/// Box-Muller: two independent standard normals from two 32-bit words, in
/// double. u1 = (a + 1) * 2^-32 lies in (0, 1] so log(u1) is finite,
/// u2 = b * 2^-32; r = sqrt(-2 ln u1); returns (r cos 2 pi u2, r sin 2 pi u2).
std::pair<double, double> box_muller(std::uint32_t a, std::uint32_t b);

} // namespace varscope::detail
