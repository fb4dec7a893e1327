// varscope/scope.h - the explicit scope handle.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "varscope/variable.h"
#include "varscope/variable_scope.h"

namespace varscope {

class Store;

namespace detail {
struct Context;
struct CounterSnapshot;
struct CreatorNode;
struct Access;
} // namespace detail

/// A position in a Store: a variable scope, a name scope and the context they
/// were entered in. Everything TF1 keeps in thread-local state travels with
/// the handle instead (shared/spec/explicit-api.md):
///
///   Store store;
///   Scope root = store.root_scope();
///   Scope scope = root.variable_scope("discriminator", {.reuse = reuse});
///   Variable w = scope.get_variable("w", {784, 10});
///
/// A Scope returned by variable_scope() is an *entered* scope: when it is
/// destroyed (or exit() is called) the scope exits exactly as TF's
/// `__exit__` does (default-name counters reset or restored; entering and
/// exiting out of order raises "Improper nesting of variable_scope."). That
/// is why a Scope is move-only: pass it by reference (`Scope&`). To capture a
/// scope and re-enter it later, keep its VariableScope (get_variable_scope()).
///
/// The "context" is TF's per-thread state: default-name counters and the
/// stack of open variable scopes. Store::root_scope() starts a new context,
/// as a new thread does in TF; every handle derived from it shares it.
///
/// Thread-safety: handles of one context must be used by one thread at a
/// time; the Store behind them is thread-safe. A thread starts its own
/// context with store.root_scope() (and re-enters a captured VariableScope to
/// keep the spawning thread's prefix, as in TF).
class Scope {
public:
  Scope(Scope&& other) noexcept;
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  Scope& operator=(Scope&&) = delete;
  /// Exits an entered variable scope that is still open. A destructor cannot
  /// throw, so when scopes are destroyed out of order the exit is forced and
  /// the next scope operation in the same context raises RuntimeError
  /// ("Improper nesting of variable_scope."); exit() raises it at once.
  ~Scope();

  // -- Entering scopes (TF's variable_scope(name_or_scope, default_name, ...))

  /// Opens the variable scope `name` below this one (never uniquified) and a
  /// uniquified name scope for it.
  [[nodiscard]] Scope variable_scope(std::string_view name, VariableScopeOptions options = {});
  /// `name_or_null` may be nullptr only when a default name is given
  /// (otherwise TypeError "If default_name is None then name_or_scope is
  /// required").
  [[nodiscard]] Scope variable_scope(const char* name_or_null, VariableScopeOptions options = {});
  /// TF's variable_scope(name, default_name): when `name_or_null` is nullptr
  /// the scope is named `default_name`, uniquified per context ("bar",
  /// "bar_1", ...).
  [[nodiscard]] Scope variable_scope(const char* name_or_null, const char* default_name,
                                     VariableScopeOptions options = {});
  /// Re-enters a captured scope: its name, reuse and defaults, wherever this
  /// handle is ("jumping").
  [[nodiscard]] Scope variable_scope(const VariableScope& scope, VariableScopeOptions options = {});

  /// TF v1's name_scope(name): a uniquified name scope below the current one;
  /// "" goes to the root; a name ending in "/" re-enters that scope
  /// absolutely. Does not affect variable names.
  [[nodiscard]] Scope name_scope(std::string_view name);
  /// name_scope(name, default_name): `default_name` when `name_or_null` is
  /// nullptr; both nullptr goes to the root.
  [[nodiscard]] Scope name_scope(const char* name_or_null, const char* default_name = nullptr);

  /// TF's variable_creator_scope(creator): a handle to the same scopes
  /// whose get_variable (and that of every scope entered from it) creates
  /// variables through `creator`. Creators run only when a variable is
  /// actually created (never on reuse), after custom getters, once per shard
  /// of a partitioned variable; the innermost creator runs first and its
  /// next_creator runs the enclosing one, then the store. Like name_scope()
  /// it enters nothing: the creator is in effect for handles derived from
  /// the result and ends with them. TypeError for an empty creator.
  [[nodiscard]] Scope variable_creator_scope(VariableCreator creator) const;

  // -- Variables

  /// TF's get_variable(name, shape=None, ...): creates or returns the
  /// variable "<scope name>/<name>" according to the scope's reuse flag.
  Variable get_variable(std::string_view name, GetVariableOptions options = {});
  Variable get_variable(std::string_view name, std::initializer_list<std::int64_t> shape,
                        GetVariableOptions options = {});
  Variable get_variable(std::string_view name, const Shape& shape, GetVariableOptions options = {});
  /// TF's get_local_variable: trainable=false, in LOCAL_VARIABLES.
  Variable get_local_variable(std::string_view name, GetVariableOptions options = {});
  Variable get_local_variable(std::string_view name, std::initializer_list<std::int64_t> shape,
                              GetVariableOptions options = {});
  Variable get_local_variable(std::string_view name, const Shape& shape, GetVariableOptions options = {});

  // -- The scope object

  /// TF's get_variable_scope(): the VariableScope object of this handle.
  VariableScope get_variable_scope() const;
  /// Sets reuse on this scope's object (TF: scope.reuse_variables()).
  void reuse_variables();
  /// The variable scope's name ("foo/bar"; "" at the root).
  const std::string& name() const;
  const std::string& original_name_scope() const;
  ReuseMode reuse() const;
  /// TF's get_name_scope(): the current name scope without trailing slash.
  const std::string& get_name_scope() const;
  /// TF's Graph.unique_name(name) under this handle's name scope.
  std::string unique_name(std::string_view name, bool mark_as_used = true);

  Store& store() const { return *store_; }

  /// TF's __exit__ for an entered variable scope: RuntimeError("Improper
  /// nesting of variable_scope.") when a scope entered after this one in the
  /// same context is still open; the handle then stays open and exit() may
  /// be called again later. Does nothing for handles that entered nothing.
  void exit();
  /// True while an entered variable scope has not exited.
  bool is_open() const;

  /// A handle to the same variable scope and name scope that owns nothing
  /// (exits nothing). Used by the v1 layer and by callbacks.
  Scope view() const;

private:
  friend class Store;
  friend struct detail::Access;
  Scope(Store* store, detail::Ref<detail::Context> context, VariableScope scope, std::string name_stack);
  /// A handle in the same context with the same creators.
  Scope derive(VariableScope scope, std::string name_stack) const;
  Scope enter_string_scope(std::string_view name, const char* default_name, VariableScopeOptions&& options);
  Variable get_variable_impl(std::string_view name, std::optional<Shape> shape, GetVariableOptions&& options,
                             bool local);

  Store* store_;
  detail::Ref<detail::Context> context_;
  VariableScope scope_;
  std::string name_stack_;
  /// Set for an entered variable scope until it exits.
  bool open_ = false;
  /// Owned; the counters to restore when a captured scope's re-entry exits.
  detail::CounterSnapshot* snapshot_ = nullptr;
  /// The variable creators in effect, innermost first (null: none).
  detail::Ref<detail::CreatorNode> creators_;
};

} // namespace varscope
