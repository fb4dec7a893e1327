// runtime/src/name_counts.cpp - TF's names_in_use table (see name_counts.h).
#include "name_counts.h"

#include <algorithm>

namespace varscope::detail {

NameCounts::Split NameCounts::split(std::string_view key) {
  std::size_t end = key.size();
  std::size_t first = end;
  while (first > 0 && static_cast<unsigned char>(key[first - 1] - '0') < 10) --first;
  std::size_t digits = end - first;
  if (digits == 0 || digits > 9 || first == 0 || key[first - 1] != '_' || key[first] == '0') return {key, 0};
  std::uint32_t n = 0;
  for (std::size_t i = first; i < end; ++i) n = n * 10 + static_cast<std::uint32_t>(key[i] - '0');
  return {key.substr(0, first - 1), n};
}

int NameCounts::get(std::string_view key) const {
  Split s = split(key);
  if (s.n == 0) {
    long e = find_entry(key, hash_name(key));
    return e < 0 ? 0 : entries_[static_cast<std::size_t>(e)].count;
  }
  long e = find_entry(s.base, hash_name(s.base));
  if (e < 0) return 0;
  std::uint32_t at = entries_[static_cast<std::size_t>(e)].suffixes;
  if (at == 0) return 0;
  const Suffixes& x = *suffixes_[at - 1];
  if (s.n < x.dense.size()) return x.dense[s.n];
  if (x.sparse.empty()) return 0;
  auto it = x.sparse.find(s.n);
  return it == x.sparse.end() ? 0 : it->second;
}

int& NameCounts::ref(std::string_view key) {
  Split s = split(key);
  std::uint64_t h = hash_name(s.base);
  long e = find_entry(s.base, h);
  if (e < 0) e = insert_entry(s.base, h);
  Entry& entry = entries_[static_cast<std::size_t>(e)];
  if (s.n == 0) return entry.count;
  if (entry.suffixes == 0) {
    suffixes_.push_back(std::make_unique<Suffixes>());
    entry.suffixes = static_cast<std::uint32_t>(suffixes_.size());
  }
  return suffix_ref(*suffixes_[entry.suffixes - 1], s.n);
}

NameCounts::EntryRef NameCounts::ref_entry(std::string_view key) {
  if (last_entry_ >= 0) {
    Entry& last = entries_[static_cast<std::size_t>(last_entry_)];
    if (last.size == key.size() && std::string_view(last.key, last.size) == key) return {&last.count, last_entry_};
  }
  Split s = split(key);
  if (s.n != 0) return {&ref(key), -1};
  std::uint64_t h = hash_name(key);
  long e = find_entry(key, h);
  if (e < 0) e = insert_entry(key, h);
  if (e != last_entry_) last_suffixes_ = nullptr;
  last_entry_ = e;
  return {&entries_[static_cast<std::size_t>(e)].count, e};
}

int& NameCounts::suffix_ref(long entry, std::uint32_t n) {
  Suffixes* s = entry == last_entry_ ? last_suffixes_ : nullptr;
  if (s == nullptr) {
    Entry& e = entries_[static_cast<std::size_t>(entry)];
    if (e.suffixes == 0) {
      suffixes_.push_back(std::make_unique<Suffixes>());
      e.suffixes = static_cast<std::uint32_t>(suffixes_.size());
    }
    s = suffixes_[e.suffixes - 1].get();
    if (entry == last_entry_) last_suffixes_ = s;
  }
  if (n < s->dense.size()) return s->dense[n];
  return suffix_ref(*s, n);
}

int& NameCounts::suffix_ref(Suffixes& s, std::uint32_t n) {
  if (n < s.dense.size()) return s.dense[n];
  // Grow the dense part when n is near it (amortized doubling); a far
  // outlier ("foo_1000000") goes to the sparse part instead.
  if (n <= 2 * s.dense.size() + 64) {
    std::size_t size = std::max<std::size_t>({static_cast<std::size_t>(n) + 1, 2 * s.dense.size(), 16});
    s.dense.resize(size, 0);
    for (auto it = s.sparse.begin(); it != s.sparse.end();) {
      if (it->first < size) {
        s.dense[it->first] = it->second;
        it = s.sparse.erase(it);
      } else {
        ++it;
      }
    }
    return s.dense[n];
  }
  return s.sparse[n];
}

long NameCounts::find_entry(std::string_view key, std::uint64_t h) const {
  if (slots_.empty()) return -1;
  std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
  for (std::size_t i = h & mask();; i = (i + 1) & mask()) {
    const Slot& slot = slots_[i];
    if (slot.index == 0) return -1;
    if (slot.tag != tag) continue;
    const Entry& e = entries_[slot.index - 1];
    if (e.hash == h && std::string_view(e.key, e.size) == key) return static_cast<long>(slot.index - 1);
  }
}

long NameCounts::insert_entry(std::string_view key, std::uint64_t h) {
  if ((entries_.size() + 1) * 10 > slots_.size() * 7) grow();
  entries_.push_back(Entry{h, store_key(key), static_cast<std::uint32_t>(key.size()), 0, 0});
  place(h, static_cast<std::uint32_t>(entries_.size()));
  return static_cast<long>(entries_.size() - 1);
}

void NameCounts::place(std::uint64_t h, std::uint32_t index) {
  std::size_t i = h & mask();
  while (slots_[i].index != 0) i = (i + 1) & mask();
  slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), index};
}

void NameCounts::grow() {
  slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, Slot{});
  for (std::size_t i = 0; i < entries_.size(); ++i) place(entries_[i].hash, static_cast<std::uint32_t>(i + 1));
}

const char* NameCounts::store_key(std::string_view key) {
  if (key.size() > kChunk / 4) {
    // A long key gets a block of its own.
    chunks_.push_back(std::make_unique<char[]>(key.size()));
    std::copy(key.begin(), key.end(), chunks_.back().get());
    return chunks_.back().get();
  }
  if (key.size() > left_) {
    chunks_.push_back(std::make_unique<char[]>(kChunk));
    current_ = chunks_.back().get();
    left_ = kChunk;
  }
  char* at = current_;
  std::copy(key.begin(), key.end(), at);
  current_ += key.size();
  left_ -= key.size();
  return at;
}

} // namespace varscope::detail
