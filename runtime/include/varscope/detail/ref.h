// varscope/detail/ref.h - a small intrusive reference-counted pointer.
//
// Public headers use this instead of std::shared_ptr because <memory> alone
// costs a user translation unit about 0.15 s of parsing, and every model
// file (and every run of the analyser) pays for what varscope.h includes.
// The pointee derives from RefCounted; Ref<T> may name an incomplete T, so
// handles can hold private implementation types.
#pragma once

namespace varscope::detail {

/// Base of reference-counted objects. The count is atomic; the object is
/// deleted through the virtual destructor when the last Ref goes away.
class RefCounted {
public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;
  virtual ~RefCounted() = default;

  void retain() const noexcept { __atomic_fetch_add(&refs_, 1, __ATOMIC_RELAXED); }
  /// True when this released the last reference.
  bool release() const noexcept { return __atomic_sub_fetch(&refs_, 1, __ATOMIC_ACQ_REL) == 0; }
  /// The number of Refs to this object (exact only while no other thread
  /// copies or drops one; used for copy-on-write by the only owner).
  long use_count() const noexcept { return __atomic_load_n(&refs_, __ATOMIC_ACQUIRE); }

private:
  mutable long refs_ = 0;
};

/// A shared owning pointer to a RefCounted object. Copying shares; the
/// object dies with the last Ref. Thread-safe like std::shared_ptr: distinct
/// Refs to one object may be copied and destroyed concurrently.
template <class T> class Ref {
public:
  Ref() noexcept = default;
  /// Adopts a freshly allocated object (`Ref<T>(new T(...))`); T must be
  /// complete here.
  explicit Ref(T* object) noexcept : p_(object) {
    if (p_) p_->retain();
  }
  Ref(const Ref& other) noexcept : p_(other.p_) {
    if (p_) p_->retain();
  }
  Ref(Ref&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
  Ref& operator=(Ref other) noexcept {
    RefCounted* old = p_;
    p_ = other.p_;
    other.p_ = old;
    return *this;
  }
  ~Ref() { reset(); }

  void reset() noexcept {
    if (p_ && p_->release()) delete p_;
    p_ = nullptr;
  }

  /// The object; T must be complete where this is called.
  T* get() const noexcept { return static_cast<T*>(p_); }
  T* operator->() const noexcept { return get(); }
  T& operator*() const noexcept { return *get(); }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  const void* identity() const noexcept { return p_; }

  friend bool operator==(const Ref& a, const Ref& b) noexcept { return a.p_ == b.p_; }
  friend bool operator==(const Ref& a, decltype(nullptr)) noexcept { return a.p_ == nullptr; }

private:
  RefCounted* p_ = nullptr;
};

/// `Ref<T>(new T(args...))`.
template <class T, class... Args> Ref<T> make_ref(Args&&... args) {
  return Ref<T>(new T(static_cast<Args&&>(args)...));
}

} // namespace varscope::detail
