// runtime/src/tensor.cpp - Tensor and its aligned, reference-counted buffer.

#include "varscope/tensor.h"

#include "buffer_state.h"

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <utility>

namespace varscope {

namespace detail {

/// Freed blocks of large tensor buffers, kept for reuse by the same thread.
///
/// Op outputs come and go at a high rate with few distinct sizes (a model's
/// activations), and glibc returns large freed blocks to the kernel (munmap
/// above its mmap threshold, heap trimming below it), so each op faulted its
/// output's pages in again: 16% of a transformer forward with AVX-512 GEMMs
/// (docs/performance-ops.md). A few blocks per thread, matched by exact
/// size, avoid that; at most kMaxBytes stay cached per thread.
///
/// Medium blocks (kMediumMinBytes up to kMinBytes) have a few slots of
/// their own, so they never evict a large block: glibc serves them without
/// page faults, but through its large-bin and top-chunk paths, about 60 ns
/// per malloc/free pair right after a GEMM (a 64x64 float product's output
/// is 16 KiB); a hit here is a handful of compares.
///
/// Thread-safety: one cache per thread. A block freed on another thread than
/// the one that allocated it goes to the freeing thread's cache.
class BlockCache {
public:
  static constexpr std::size_t kMinBytes = std::size_t{64} << 10;
  static constexpr std::size_t kMaxBytes = std::size_t{64} << 20;
  static constexpr int kSlots = 16;
  static constexpr std::size_t kMediumMinBytes = std::size_t{4} << 10;
  static constexpr int kMediumSlots = 4;

  constexpr BlockCache() = default;
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() {
    for (Slot& slot : slots_) ::operator delete(slot.memory);
    for (MediumSlot& slot : medium_) ::operator delete(slot.memory);
    closed_ = true;
  }

  /// This thread's cache; null while its thread is exiting.
  static BlockCache* get() {
    if (closed_) return nullptr;
    thread_local BlockCache cache;
    return &cache;
  }

  /// The most recently cached block of exactly `size` bytes (the likeliest
  /// to be in the CPU caches still), or null.
  void* take(std::size_t size) {
    if (size < kMinBytes) {
      for (MediumSlot& slot : medium_)
        if (slot.memory != nullptr && slot.size == size) return std::exchange(slot.memory, nullptr);
      return nullptr;
    }
    Slot* newest = nullptr;
    for (Slot& slot : slots_)
      if (slot.memory != nullptr && slot.size == size && (newest == nullptr || slot.stamp > newest->stamp))
        newest = &slot;
    if (newest == nullptr) return nullptr;
    void* memory = newest->memory;
    newest->memory = nullptr;
    cached_ -= size;
    return memory;
  }

  /// Keeps `memory` (a block from ::operator new of `size` bytes), evicting
  /// the oldest blocks to stay within kMaxBytes; false when it is not kept.
  bool put(void* memory, std::size_t size) {
    if (size < kMinBytes) {
      if (size < kMediumMinBytes) return false;
      MediumSlot* slot = &medium_[0];
      for (MediumSlot& s : medium_)
        if (s.memory == nullptr) {
          slot = &s;
          break;
        }
      if (slot->memory != nullptr) {
        // All full: replace one in turn.
        slot = &medium_[medium_next_++ % kMediumSlots];
        ::operator delete(slot->memory);
      }
      *slot = {memory, size};
      return true;
    }
    if (size > kMaxBytes) return false;
    Slot* free_slot = nullptr;
    for (Slot& slot : slots_)
      if (slot.memory == nullptr) free_slot = &slot;
    while (free_slot == nullptr || cached_ + size > kMaxBytes) {
      Slot& oldest = oldest_slot();
      ::operator delete(oldest.memory);
      cached_ -= oldest.size;
      oldest.memory = nullptr;
      free_slot = &oldest;
    }
    *free_slot = {memory, size, ++clock_};
    cached_ += size;
    return true;
  }

private:
  struct Slot {
    void* memory = nullptr;
    std::size_t size = 0;
    std::uint64_t stamp = 0;
  };

  Slot& oldest_slot() {
    Slot* oldest = nullptr;
    for (Slot& slot : slots_)
      if (slot.memory != nullptr && (oldest == nullptr || slot.stamp < oldest->stamp)) oldest = &slot;
    assert(oldest != nullptr && "an over-full cache holds a block");
    return *oldest;
  }

  struct MediumSlot {
    void* memory = nullptr;
    std::size_t size = 0;
  };

  static thread_local bool closed_;
  MediumSlot medium_[kMediumSlots];
  unsigned medium_next_ = 0;
  Slot slots_[kSlots];
  std::size_t cached_ = 0;
  std::uint64_t clock_ = 0;
};

thread_local bool BlockCache::closed_ = false;

/// The storage behind one or more Tensor copies: `count` elements of `dtype`
/// in 64-byte aligned memory. String elements are constructed in place and
/// destroyed with the buffer; every other dtype is zero-filled unless
/// `zero_fill` is false.
///
/// Thread-safety: immutable after construction apart from the element bytes,
/// the atomic access state and attachment (buffer_state.h); the owning Ref's
/// count is atomic.
struct TensorBuffer : RefCounted {
  static constexpr std::size_t kAlignment = 64;
  /// Buffers with fewer data bytes than this are laid out right after the
  /// header in one plain allocation (16-byte aligned); larger ones get room
  /// after the header to start the data on a 64-byte boundary.
  static constexpr std::size_t kSmallBytes = 64;

  /// One allocation holds the header and the elements. It is a plain
  /// ::operator new block aligned by hand, not an aligned allocation: glibc
  /// splits off and frees the unaligned head of every aligned block, which
  /// later costs a free-list consolidation, a fixed cost on every op output.
  /// Blocks of BlockCache::kMinBytes and more come from this thread's cache
  /// when it holds one of the same size.
  ///
  /// With `name_slot`, the block also holds an empty std::string after the
  /// elements: the name of the first Tensor that names the buffer while it
  /// is the only owner (Tensor::set_name), so naming an op's output needs
  /// no allocation of its own.
  static TensorBuffer* create(DType dtype, std::int64_t count, bool zero_fill = true, bool name_slot = false) {
    std::size_t bytes = static_cast<std::size_t>(count) * dtype_size(dtype);
    bool small = bytes < kSmallBytes;
    std::size_t offset = header_bytes(small);
    std::size_t block = offset + (name_slot ? name_slot_offset(bytes) + sizeof(std::string) : bytes);
    void* memory = nullptr;
    if (block >= BlockCache::kMediumMinBytes)
      if (BlockCache* cache = BlockCache::get()) memory = cache->take(block);
    if (memory == nullptr) memory = ::operator new(block);
    auto* buffer = new (memory) TensorBuffer(dtype, count, small, name_slot);
    if (name_slot) new (buffer->name_slot()) std::string();
    const auto address = reinterpret_cast<std::uintptr_t>(memory) + (small ? offset : sizeof(TensorBuffer));
    buffer->data = reinterpret_cast<void*>(small ? address : (address + kAlignment - 1) & ~(kAlignment - 1));
    if (dtype == DType::String) {
      auto* strings = static_cast<std::string*>(buffer->data);
      for (std::int64_t i = 0; i < count; ++i) new (strings + i) std::string();
    } else if (zero_fill) {
      std::memset(buffer->data, 0, bytes);
    }
    return buffer;
  }

  ~TensorBuffer() override {
    delete attachment.load(std::memory_order_acquire);
    if (has_name_slot_) name_slot()->~basic_string();
    if (dtype == DType::String) {
      auto* strings = static_cast<std::string*>(data);
      for (std::int64_t i = 0; i < count; ++i) strings[i].~basic_string();
    }
  }

  /// A destroying delete (used by `delete` through RefCounted's virtual
  /// destructor): destroys, then caches or frees the block the header starts.
  static void operator delete(TensorBuffer* buffer, std::destroying_delete_t) {
    const std::size_t size = buffer->block_size();
    buffer->~TensorBuffer();
    if (size >= BlockCache::kMediumMinBytes)
      if (BlockCache* cache = BlockCache::get(); cache != nullptr && cache->put(buffer, size)) return;
    ::operator delete(static_cast<void*>(buffer));
  }

  TensorBuffer(const TensorBuffer&) = delete;
  TensorBuffer& operator=(const TensorBuffer&) = delete;

  /// Bytes of the block holding the header and the elements.
  std::size_t block_size() const {
    return header_bytes(small_) + (has_name_slot_ ? name_slot_offset(bytes()) + sizeof(std::string) : bytes());
  }

  /// The name slot (see create), or null.
  std::string* name_slot() {
    if (!has_name_slot_) return nullptr;
    char* slot = reinterpret_cast<char*>(this) + header_bytes(small_) + name_slot_offset(bytes());
    return std::launder(reinterpret_cast<std::string*>(slot));
  }

  /// Bytes of element data.
  std::size_t bytes() const { return static_cast<std::size_t>(count) * dtype_size(dtype); }

  /// buffer_state.h: Sealed, OpOwned or Exposed, and the derived data kept
  /// while Sealed (in the room `bytes` took before: the header stays 48
  /// bytes, so a million tiny variables stay small).
  enum Access : std::uint8_t { kSealed, kOpOwned, kExposed };
  DType dtype;
  bool small_;
  bool has_name_slot_;
  std::atomic<std::uint8_t> access{kSealed};
  std::int64_t count;
  std::atomic<BufferAttachment*> attachment{nullptr};
  void* data = nullptr;

private:
  TensorBuffer(DType dtype, std::int64_t count, bool small, bool name_slot)
      : dtype(dtype), small_(small), has_name_slot_(name_slot), count(count) {}
  /// Offset of the name slot from the elements' earliest possible start
  /// (header_bytes): past every element, aligned for std::string.
  static constexpr std::size_t name_slot_offset(std::size_t bytes) {
    return (bytes + alignof(std::string) - 1) / alignof(std::string) * alignof(std::string);
  }
  static constexpr std::size_t data_offset_small() { return (sizeof(TensorBuffer) + 15) / 16 * 16; }
  /// Bytes before the elements' (aligned) start can be: the header, plus room
  /// to align large data to 64 bytes.
  static constexpr std::size_t header_bytes(bool small) {
    return small ? data_offset_small() : sizeof(TensorBuffer) + kAlignment;
  }
};

struct TensorName : RefCounted {
  explicit TensorName(std::string n) : name(std::move(n)) {}
  std::string name;
};

//===----------------------------------------------------------------------===//
// Buffer states (buffer_state.h)
//===----------------------------------------------------------------------===//

struct TensorAccess {
  static TensorBuffer* buffer(const Tensor& t) { return t.buffer_.get(); }
};

namespace {

/// t's buffer if it is Sealed, else null.
TensorBuffer* sealed_buffer(const Tensor& t) {
  TensorBuffer* buffer = TensorAccess::buffer(t);
  return buffer != nullptr && buffer->access.load(std::memory_order_relaxed) == TensorBuffer::kSealed ? buffer
                                                                                                         : nullptr;
}

} // namespace

BufferAttachment* attachment_of(const Tensor& t) {
  TensorBuffer* buffer = sealed_buffer(t);
  return buffer != nullptr ? buffer->attachment.load(std::memory_order_acquire) : nullptr;
}

BufferAttachment* sealed_attachment(const Tensor& t, BufferAttachment* (*make)()) {
  TensorBuffer* buffer = sealed_buffer(t);
  if (buffer == nullptr) return nullptr;
  if (BufferAttachment* existing = buffer->attachment.load(std::memory_order_acquire)) return existing;
  BufferAttachment* made = make();
  BufferAttachment* expected = nullptr;
  if (buffer->attachment.compare_exchange_strong(expected, made, std::memory_order_acq_rel)) return made;
  delete made; // another thread attached one first
  return expected;
}

bool is_sealed(const Tensor& t) { return sealed_buffer(t) != nullptr; }

void mark_op_owned(Tensor& t) {
  if (TensorBuffer* buffer = TensorAccess::buffer(t))
    buffer->access.store(TensorBuffer::kOpOwned, std::memory_order_relaxed);
}

void seal_op_owned(const Tensor& t) {
  TensorBuffer* buffer = TensorAccess::buffer(t);
  if (buffer == nullptr) return;
  // No compare-exchange needed: an OpOwned buffer is held by the op that
  // made it alone, and other states are only read here.
  if (buffer->access.load(std::memory_order_relaxed) == TensorBuffer::kOpOwned)
    buffer->access.store(TensorBuffer::kSealed, std::memory_order_relaxed);
}

} // namespace detail

//===----------------------------------------------------------------------===//
// 16-bit floats
//===----------------------------------------------------------------------===//

std::uint16_t float_to_half_bits(float value) {
  return Eigen::numext::bit_cast<std::uint16_t>(Eigen::half(value));
}

float half_bits_to_float(std::uint16_t bits) {
  return static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(bits));
}

std::uint16_t float_to_bfloat16_bits(float value) {
  return Eigen::numext::bit_cast<std::uint16_t>(Eigen::bfloat16(value));
}

float bfloat16_bits_to_float(std::uint16_t bits) {
  return static_cast<float>(Eigen::numext::bit_cast<Eigen::bfloat16>(bits));
}

namespace {

/// Converts a double to an integer type like a saturating C cast: truncation
/// toward zero, NaN to 0, out-of-range values to the nearest bound.
template <class I> I saturatingCast(double v) {
  if (std::isnan(v)) return 0;
  if (v <= static_cast<double>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  if (v >= static_cast<double>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  return static_cast<I>(v);
}

/// Stores `v` into element i of a buffer of `dtype` (not string). The 16-bit
/// float types go through float32, so a double can be rounded twice (only a
/// value within half a float32 ulp of a 16-bit tie is affected).
void storeDouble(DType dtype, void* data, std::int64_t i, double v) {
  switch (dtype) {
  case DType::Float16:
    static_cast<std::uint16_t*>(data)[i] = float_to_half_bits(static_cast<float>(v));
    return;
  case DType::BFloat16:
    static_cast<std::uint16_t*>(data)[i] = float_to_bfloat16_bits(static_cast<float>(v));
    return;
  case DType::Float32:
    static_cast<float*>(data)[i] = static_cast<float>(v);
    return;
  case DType::Float64:
    static_cast<double*>(data)[i] = v;
    return;
  case DType::Int8:
    static_cast<std::int8_t*>(data)[i] = saturatingCast<std::int8_t>(v);
    return;
  case DType::Int16:
    static_cast<std::int16_t*>(data)[i] = saturatingCast<std::int16_t>(v);
    return;
  case DType::Int32:
    static_cast<std::int32_t*>(data)[i] = saturatingCast<std::int32_t>(v);
    return;
  case DType::Int64:
    static_cast<std::int64_t*>(data)[i] = saturatingCast<std::int64_t>(v);
    return;
  case DType::UInt8:
    static_cast<std::uint8_t*>(data)[i] = saturatingCast<std::uint8_t>(v);
    return;
  case DType::UInt16:
    static_cast<std::uint16_t*>(data)[i] = saturatingCast<std::uint16_t>(v);
    return;
  case DType::Bool:
    static_cast<bool*>(data)[i] = v != 0.0;
    return;
  case DType::String:
    break;
  }
  assert(false && "storeDouble called for a string dtype");
}

/// Reads element i of a buffer of `dtype` (not string) as a double.
double loadDouble(DType dtype, const void* data, std::int64_t i) {
  switch (dtype) {
  case DType::Float16:
    return half_bits_to_float(static_cast<const std::uint16_t*>(data)[i]);
  case DType::BFloat16:
    return bfloat16_bits_to_float(static_cast<const std::uint16_t*>(data)[i]);
  case DType::Float32:
    return static_cast<const float*>(data)[i];
  case DType::Float64:
    return static_cast<const double*>(data)[i];
  case DType::Int8:
    return static_cast<const std::int8_t*>(data)[i];
  case DType::Int16:
    return static_cast<const std::int16_t*>(data)[i];
  case DType::Int32:
    return static_cast<const std::int32_t*>(data)[i];
  case DType::Int64:
    return static_cast<double>(static_cast<const std::int64_t*>(data)[i]);
  case DType::UInt8:
    return static_cast<const std::uint8_t*>(data)[i];
  case DType::UInt16:
    return static_cast<const std::uint16_t*>(data)[i];
  case DType::Bool:
    return static_cast<const bool*>(data)[i] ? 1.0 : 0.0;
  case DType::String:
    break;
  }
  assert(false && "loadDouble called for a string dtype");
  return 0.0;
}

template <class F> std::string shortestFloat(F value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

std::string elementText(const Tensor& t, std::int64_t i) {
  switch (t.dtype()) {
  case DType::String:
    return "'" + t.data<std::string>()[i] + "'";
  case DType::Bool:
    return t.data<bool>()[i] ? "True" : "False";
  case DType::Float16:
  case DType::BFloat16:
  case DType::Float32:
    return shortestFloat(static_cast<float>(t.element_as_double(i)));
  case DType::Float64:
    return shortestFloat(t.data<double>()[i]);
  case DType::Int64:
    return std::to_string(t.data<std::int64_t>()[i]);
  default:
    return std::to_string(static_cast<std::int64_t>(t.element_as_double(i)));
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

Tensor::Tensor(DType dtype, Shape shape) : shape_(std::move(shape)), dtype_(dtype) {
  if (!shape_.is_fully_defined())
    throw ValueError("Cannot create a tensor of partially known shape " + shape_.to_string());
  num_elements_ = shape_.num_elements();
  buffer_ = detail::Ref<detail::TensorBuffer>(detail::TensorBuffer::create(dtype, num_elements_));
}

Tensor Tensor::uninitialized(DType dtype, Shape shape) {
  Tensor t;
  std::int64_t count = 1;
  bool known = true;
  for (std::int64_t d : shape.dims()) {
    known &= d >= 0;
    count *= d;
  }
  if (!known) throw ValueError("Cannot create a tensor of partially known shape " + shape.to_string());
  t.dtype_ = dtype;
  t.num_elements_ = count;
  t.shape_ = std::move(shape);
  t.buffer_ = detail::Ref<detail::TensorBuffer>(
      detail::TensorBuffer::create(dtype, t.num_elements_, /*zero_fill=*/false, /*name_slot=*/true));
  return t;
}

Tensor Tensor::from_floats(DType dtype, const std::vector<float>& values, Shape shape) {
  if (!is_floating(dtype))
    throw TypeError("Tensor::from_floats: dtype " + std::string(dtype_name(dtype)) + " is not floating");
  Tensor t(dtype, std::move(shape));
  if (static_cast<std::int64_t>(values.size()) != t.num_elements())
    throw ValueError("Tensor::from_floats: " + std::to_string(values.size()) + " values do not fill shape " +
                     t.shape().to_string());
  void* out = t.raw_data();
  for (std::size_t i = 0; i < values.size(); ++i)
    storeDouble(dtype, out, static_cast<std::int64_t>(i), values[i]);
  return t;
}

const std::string& Tensor::name() const {
  static const std::string kUnnamed;
  if (name_) return name_->name;
  if (name_in_buffer_ && buffer_) return *buffer_->name_slot();
  return kUnnamed;
}

void Tensor::set_name(std::string name) {
  name_.reset();
  // The buffer's name slot, when this Tensor is its only owner: no other
  // Tensor can read the slot now, and copies made later share the name
  // (name_in_buffer_ is copied with the buffer) until one is renamed.
  std::string* slot = buffer_ ? buffer_->name_slot() : nullptr;
  if (slot != nullptr && !name.empty() && buffer_->use_count() == 1) {
    *slot = std::move(name);
    name_in_buffer_ = true;
    return;
  }
  name_in_buffer_ = false;
  if (!name.empty()) name_ = detail::make_ref<detail::TensorName>(std::move(name));
}

std::size_t Tensor::nbytes() const { return buffer_ ? buffer_->bytes() : 0; }

void* Tensor::raw_data() {
  if (!buffer_) return nullptr;
  detail::TensorBuffer& buffer = *buffer_;
  // A writable pointer: the buffer may change from now on (buffer_state.h).
  if (buffer.access.load(std::memory_order_relaxed) == detail::TensorBuffer::kSealed) {
    buffer.access.store(detail::TensorBuffer::kExposed, std::memory_order_relaxed);
    if (detail::BufferAttachment* attachment = buffer.attachment.load(std::memory_order_acquire)) attachment->clear();
  }
  return buffer.data;
}

const void* Tensor::raw_data() const { return buffer_ ? buffer_->data : nullptr; }

bool Tensor::sole_owner() const noexcept {
  return buffer_ && buffer_->use_count() == 1 && buffer_->count == num_elements_;
}

void Tensor::type_mismatch(DType requested) const {
  throw TypeError("Tensor has dtype " + std::string(dtype_name(dtype_)) + " but its elements were accessed as " +
                  std::string(dtype_name(requested)));
}

double Tensor::element_as_double(std::int64_t i) const {
  if (dtype_ == DType::String) throw TypeError("Cannot convert an element of a string tensor to double");
  if (i < 0 || i >= num_elements_)
    throw ValueError("Element index " + std::to_string(i) + " is out of range for a tensor of " +
                     std::to_string(num_elements_) + " elements");
  return loadDouble(dtype_, raw_data(), i);
}

std::vector<double> Tensor::to_doubles() const {
  if (dtype_ == DType::String) throw TypeError("Cannot convert a string tensor to doubles");
  std::vector<double> out(static_cast<std::size_t>(num_elements_));
  const void* data = raw_data();
  for (std::int64_t i = 0; i < num_elements_; ++i) out[static_cast<std::size_t>(i)] = loadDouble(dtype_, data, i);
  return out;
}

Tensor Tensor::clone() const {
  if (!defined()) return Tensor();
  Tensor copy(dtype_, shape_);
  copy.name_ = name_;
  if (name_in_buffer_ && !name_) copy.name_ = detail::make_ref<detail::TensorName>(name());
  // Written through the buffer, not raw_data(): the copy is new, so it
  // stays Sealed (buffer_state.h).
  if (dtype_ == DType::String) {
    std::copy_n(data<std::string>(), num_elements_, static_cast<std::string*>(copy.buffer_->data));
    return copy;
  }
  std::memcpy(copy.buffer_->data, raw_data(), nbytes());
  return copy;
}

Tensor Tensor::cast(DType dtype) const {
  if (!defined()) throw ValueError("Cannot cast an undefined tensor");
  if (dtype_ == DType::String || dtype == DType::String)
    throw TypeError("Cannot cast a tensor of dtype " + std::string(dtype_name(dtype_)) + " to " +
                    std::string(dtype_name(dtype)));
  if (dtype == dtype_) return clone();
  Tensor out(dtype, shape_);
  const void* in = raw_data();
  void* dst = out.buffer_->data; // new: stays Sealed, as in clone()
  // float32 -> 16-bit goes straight from float, so it rounds exactly once.
  if (dtype_ == DType::Float32 && (dtype == DType::Float16 || dtype == DType::BFloat16)) {
    const float* src = static_cast<const float*>(in);
    auto* bits = static_cast<std::uint16_t*>(dst);
    for (std::int64_t i = 0; i < num_elements_; ++i)
      bits[i] = dtype == DType::Float16 ? float_to_half_bits(src[i]) : float_to_bfloat16_bits(src[i]);
    return out;
  }
  for (std::int64_t i = 0; i < num_elements_; ++i) storeDouble(dtype, dst, i, loadDouble(dtype_, in, i));
  return out;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (!defined()) throw ValueError("Cannot reshape an undefined tensor");
  if (!shape.is_fully_defined() || shape.num_elements() != num_elements_)
    throw ValueError("Cannot reshape a tensor with " + std::to_string(num_elements_) + " elements to shape " +
                     shape.to_string());
  Tensor view = *this;
  view.shape_ = std::move(shape);
  return view;
}

bool Tensor::equals(const Tensor& other) const {
  if (defined() != other.defined()) return false;
  if (!defined()) return true;
  if (dtype_ != other.dtype_ || shape_ != other.shape_) return false;
  if (dtype_ == DType::String)
    return std::equal(data<std::string>(), data<std::string>() + num_elements_, other.data<std::string>());
  return std::memcmp(raw_data(), other.raw_data(), nbytes()) == 0;
}

std::string Tensor::debug_string(int max_values) const {
  if (!defined()) return "Tensor(undefined)";
  std::string out = "Tensor(shape=" + shape_.to_string() + ", dtype=" + std::string(dtype_name(dtype_)) + ", values=[";
  std::int64_t shown = std::min<std::int64_t>(num_elements_, std::max(max_values, 0));
  for (std::int64_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    out += elementText(*this, i);
  }
  if (shown < num_elements_) out += shown > 0 ? ", ..." : "...";
  out += "])";
  return out;
}

} // namespace varscope
