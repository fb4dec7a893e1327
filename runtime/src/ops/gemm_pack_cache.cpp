// ops/gemm_pack_cache.cpp - the packed copies of matmul's weights kept with
// their buffers (gemm_pack_cache.h).
#include "ops/gemm_pack_cache.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <mutex>
#include <new>
#include <vector>

#include "buffer_state.h"

namespace varscope::ops_internal {

/// A packed op(B): 64-byte aligned room the kernel fills once.
struct GemmPackRequest::Block {
  explicit Block(std::size_t size) : bytes(size), data(::operator new(size, std::align_val_t(64))) {}
  ~Block() { ::operator delete(data, std::align_val_t(64)); }
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;
  std::size_t bytes;
  void* data;
};

/// The packings kept with one buffer: a few layouts (one per blocking; a
/// weight multiplied with batches of different sizes may get two), most
/// recent last.
class GemmPackCache final : public detail::BufferAttachment {
public:
  using Key = GemmPackRequest::Key;
  using Block = GemmPackRequest::Block;
  /// Layouts kept per buffer; the oldest goes first.
  static constexpr std::size_t kMaxEntries = 4;

  static detail::BufferAttachment* make() { return new GemmPackCache(); }

  void clear() noexcept override {
    const std::lock_guard lock(mutex_);
    entries_.clear();
  }

  /// The room for `key`: null on its first sighting (it is recorded) and
  /// while another product fills it; else the block, filled or to fill.
  std::shared_ptr<Block> acquire(const Key& key, std::size_t bytes, bool* filled) {
    const std::lock_guard lock(mutex_);
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    if (it == entries_.end()) {
      if (entries_.size() == kMaxEntries) entries_.erase(entries_.begin());
      entries_.push_back(Entry{key, State::Seen, nullptr});
      return nullptr;
    }
    switch (it->state) {
    case State::Seen:
      it->block = std::make_shared<Block>(bytes);
      it->state = State::Filling;
      *filled = false;
      return it->block;
    case State::Filling:
      return nullptr;
    case State::Ready:
      *filled = true;
      return it->block;
    }
    return nullptr;
  }

  /// `block` (from acquire) now holds its packing; nothing when the entry
  /// was dropped meanwhile.
  std::size_t ready() {
    const std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.state == State::Ready; }));
  }

  void filled(const Block* block) {
    const std::lock_guard lock(mutex_);
    for (Entry& e : entries_)
      if (e.block.get() == block && e.state == State::Filling) e.state = State::Ready;
  }

private:
  enum class State { Seen, Filling, Ready };
  struct Entry {
    Key key;
    State state;
    std::shared_ptr<Block> block;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

bool keep_gemm_packings() {
  static const bool keep = [] {
    const char* value = std::getenv("VARSCOPE_KEEP_PACKED");
    return value == nullptr || std::string_view(value) != "0";
  }();
  return keep;
}

GemmPackRequest::GemmPackRequest(const Tensor& b, const void* kernel, std::size_t element_size, std::int64_t ldb,
                                 std::int64_t k, std::int64_t n, bool tb) {
  if (k * n < kMinKeptPackElements || !keep_gemm_packings()) return;
  cache_ = static_cast<GemmPackCache*>(detail::sealed_attachment(b, &GemmPackCache::make));
  if (cache_ == nullptr) return;
  key_ = Key{kernel, element_size, ldb, k, n, 0, 0, tb};
  ref_ = GemmPackedB{this, &GemmPackRequest::acquire, &GemmPackRequest::filled};
}

GemmPackRequest::~GemmPackRequest() = default;

void* GemmPackRequest::acquire(void* context, std::int64_t kc, std::int64_t mc, std::size_t bytes, bool* filled) {
  auto* self = static_cast<GemmPackRequest*>(context);
  self->key_.kc = kc;
  self->key_.mc = mc;
  self->block_ = self->cache_->acquire(self->key_, bytes, filled);
  return self->block_ != nullptr ? self->block_->data : nullptr;
}

void GemmPackRequest::filled(void* context) {
  auto* self = static_cast<GemmPackRequest*>(context);
  if (self->block_ != nullptr) self->cache_->filled(self->block_.get());
}

std::size_t kept_gemm_packings(const Tensor& b) {
  auto* cache = static_cast<GemmPackCache*>(detail::attachment_of(b));
  return cache != nullptr ? cache->ready() : 0;
}

} // namespace varscope::ops_internal
