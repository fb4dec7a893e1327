// runtime/src/name_counts.h - TF's names_in_use table.
//
// Never included from outside runtime/src.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace varscope::detail {

/// A fast 64-bit hash for short strings (names are mostly under 64 bytes):
/// 8 bytes per step, each mixed by a 64x64->128-bit multiply (wyhash's
/// folding). For in-memory tables only; not stable across versions.
inline std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
inline std::uint64_t hash_name(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = 0x243F6A8885A308D3ull ^ (n * 0x9E3779B97F4A7C15ull);
  auto load8 = [](const char* q) {
    std::uint64_t w;
    __builtin_memcpy(&w, q, 8);
    return w;
  };
  auto load4 = [](const char* q) {
    std::uint32_t w;
    __builtin_memcpy(&w, q, 4);
    return static_cast<std::uint64_t>(w);
  };
  for (; n > 8; p += 8, n -= 8) h = hash_mix(h ^ load8(p), 0x9E3779B97F4A7C15ull);
  std::uint64_t tail;
  if (n == 8)
    tail = load8(p);
  else if (n >= 4)
    tail = (load4(p) << 32) | load4(p + n - 4);
  else if (n > 0)
    tail = (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
           (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
           static_cast<unsigned char>(p[n - 1]);
  else
    tail = 0;
  return hash_mix(h ^ tail ^ (static_cast<std::uint64_t>(n) << 59), 0xBF58476D1CE4E5B9ull);
}

/// Appends ASCII-lower-cased `s` (TF compares names case-insensitively; scope
/// and op names are ASCII by validation).
inline void append_lower(std::string& out, std::string_view s) {
  std::size_t at = out.size();
  out.resize(at + s.size());
  char* dst = out.data() + at;
  const char* src = s.data();
  for (std::size_t i = 0, n = s.size(); i < n; ++i) {
    char c = src[i];
    dst[i] = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 32 : 0));
  }
}

/// The decimal digits of a non-negative number, formatted once.
class Decimal {
public:
  explicit Decimal(long value) {
    // Two digits per division: unique_name formats one number per op.
    static constexpr char kPairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";
    char* p = buf_ + sizeof buf_;
    while (value >= 100) {
      const char* pair = kPairs + 2 * (value % 100);
      value /= 100;
      *--p = pair[1];
      *--p = pair[0];
    }
    if (value >= 10) {
      *--p = kPairs[2 * value + 1];
      *--p = kPairs[2 * value];
    } else {
      *--p = static_cast<char>('0' + value);
    }
    begin_ = p;
  }
  std::string_view view() const { return {begin_, static_cast<std::size_t>(buf_ + sizeof buf_ - begin_)}; }

private:
  char buf_[24];
  char* begin_;
};

/// Appends the decimal form of a non-negative number.
inline void append_decimal(std::string& out, long value) { out.append(Decimal(value).view()); }

/// TF's names_in_use (tf-semantics.md §2.3): lower-cased full name -> how
/// often it was marked used (0 = not in use). TF never forgets a name, so
/// nothing is erased.
///
/// unique_name generates `<base>_<n>` names, so most keys of a real graph
/// are suffixed ("model/layer_17", "add_3"). A key whose tail is `_<n>`
/// with n a canonical decimal in [1, 10^9) ("_7", not "_07" or "_0") is
/// therefore stored as slot n of a dense counter array owned by the entry of
/// `<base>` (created with count 0 when `<base>` is not in use itself); every
/// other key has an entry of its own. Each key lives in exactly one place,
/// so the table answers exactly as a plain map would, but probing
/// "<base>_1", "<base>_2", ... reads consecutive ints instead of missing the
/// cache on a large hash table, and a generated name costs about 4 bytes.
///
/// Entries: open addressing with linear probing over 8-byte slots (32 bits
/// of the hash and an entry index, so a probe touches an entry only on a
/// likely match); key bytes sit in an append-only arena. Not synchronized.
class NameCounts {
public:
  NameCounts() = default;
  NameCounts(const NameCounts&) = delete;
  NameCounts& operator=(const NameCounts&) = delete;

  /// The count of `key` (0 when not in use).
  int get(std::string_view key) const;
  /// The count of `key`, to assign; created as 0 when absent. Valid until
  /// the next call of ref().
  int& ref(std::string_view key);
  /// ref(key) that also returns the entry of `key` itself when `key` has
  /// one (it is not stored as a suffix of another key), or -1, so that the
  /// counts of "<key>_<n>" can then be read with suffix_ref(entry, n)
  /// without hashing and probing for `key` again.
  struct EntryRef {
    int* count;
    long entry;
  };
  EntryRef ref_entry(std::string_view key);
  /// ref("<key>_<n>") for the `entry` of `key` from ref_entry, with n in
  /// [1, kMaxSuffix] (a canonical suffix). Valid until the next ref call.
  static constexpr std::uint32_t kMaxSuffix = 999999999;
  int& suffix_ref(long entry, std::uint32_t n);
  /// Entries with a key of their own (bases of suffixed keys included).
  std::size_t num_entries() const { return entries_.size(); }

  /// `key` split as `<base>_<n>` when its suffix is canonical, else n = 0.
  struct Split {
    std::string_view base;
    std::uint32_t n = 0;
  };
  static Split split(std::string_view key);

private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index = 0; // entry index + 1; 0 = empty
  };
  /// Counts of `<base>_<n>`: dense for n below dense.size(), sparse beyond.
  struct Suffixes {
    std::vector<int> dense;
    std::unordered_map<std::uint32_t, int> sparse;
  };
  struct Entry {
    std::uint64_t hash;
    const char* key;
    std::uint32_t size;
    int count;
    std::uint32_t suffixes; // index + 1 into suffixes_; 0 = none
  };
  static constexpr std::size_t kChunk = 64 * 1024;

  /// The entry of exactly `key` (no suffix interpretation), or -1.
  long find_entry(std::string_view key, std::uint64_t h) const;
  long insert_entry(std::string_view key, std::uint64_t h);
  std::size_t mask() const { return slots_.size() - 1; }
  void place(std::uint64_t h, std::uint32_t index);
  void grow();
  const char* store_key(std::string_view key);
  int& suffix_ref(Suffixes& s, std::uint32_t n);

  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::vector<std::unique_ptr<Suffixes>> suffixes_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  // ref_entry's last entry (ops repeat their names) and its suffix counts.
  long last_entry_ = -1;
  Suffixes* last_suffixes_ = nullptr;
  char* current_ = nullptr; // free space of the current chunk
  std::size_t left_ = 0;
};

} // namespace varscope::detail
