//===- thread.h - Starting threads on the root scope ------------*- C++ -*-===//
//
// In TF1 a new thread starts at the root variable scope (and an empty name
// scope) of the graph it shares. With explicit scopes that is a choice the
// spawning code writes down:
//
//   std::thread t(varscope::on_root_scope(scope.store(), worker), 4);
//
// runs `worker(root, 4)` in the new thread, where `root` is a fresh root scope
// of the same store, made in that thread. The store must outlive the thread.
// `varscope migrate` writes this for a thread started on a named function.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "varscope/scope.h"
#include "varscope/store.h"

#include <utility>

namespace varscope {

/// A callable that, when called with `args...`, makes a root scope of
/// `store` and calls `fn(root, args...)`. `fn` is copied (a function pointer
/// or a lambda); the store is held by reference.
template <class Fn> auto on_root_scope(Store& store, Fn fn) {
  return [&store, fn = std::move(fn)](auto&&... args) mutable -> decltype(auto) {
    Scope root = store.root_scope();
    return fn(root, std::forward<decltype(args)>(args)...);
  };
}

} // namespace varscope
