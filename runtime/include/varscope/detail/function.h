// varscope/detail/function.h - a shared, type-erased callable.
//
// varscope::Function<R(Args...)> is what the runtime's callbacks
// (initializers, partitioners, regularizers, custom getters, constraints)
// are stored as. It is constructible from any callable like std::function,
// but copies share one heap object (callbacks are immutable once given to a
// scope), and it does not need <functional>, which keeps varscope.h cheap to
// parse (see ref.h).
#pragma once

#include <type_traits>

#include "varscope/detail/ref.h"

namespace varscope {

template <class Signature> class Function;

template <class R, class... Args> class Function<R(Args...)> {
public:
  Function() noexcept = default;
  Function(decltype(nullptr)) noexcept {}
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Function> && std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
  Function(F&& f) : impl_(new Holder<std::decay_t<F>>(static_cast<F&&>(f))) {}

  R operator()(Args... args) const { return impl_->call(static_cast<Args&&>(args)...); }
  explicit operator bool() const noexcept { return static_cast<bool>(impl_); }
  /// True when both share one callable.
  friend bool operator==(const Function& a, const Function& b) noexcept { return a.impl_ == b.impl_; }

private:
  struct Callable : detail::RefCounted {
    virtual R call(Args... args) = 0;
  };
  template <class F> struct Holder final : Callable {
    explicit Holder(F&& fn) : f(static_cast<F&&>(fn)) {}
    explicit Holder(const F& fn) : f(fn) {}
    R call(Args... args) override {
      if constexpr (std::is_void_v<R>)
        f(static_cast<Args&&>(args)...);
      else
        return f(static_cast<Args&&>(args)...);
    }
    F f;
  };
  detail::Ref<Callable> impl_;
};

} // namespace varscope
