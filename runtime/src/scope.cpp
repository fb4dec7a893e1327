// runtime/src/scope.cpp - entering and exiting scopes, and get_variable's
// argument resolution (tf-semantics.md §2.2, §3, §5.2, §7).
#include "varscope/scope.h"

#include <algorithm>
#include <cassert>

#include "internal.h"
#include "varscope/errors.h"
#include "varscope/store.h"

namespace varscope {

using detail::Access;
using detail::Context;
using detail::CounterSnapshot;
using detail::NameScopeEntry;
using detail::VariableScopeData;

Scope detail::Access::make_scope(Store* store, detail::Ref<Context> context, VariableScope scope,
                                 std::string stack) {
  return Scope(store, std::move(context), std::move(scope), std::move(stack));
}

namespace {

bool valid_first_root_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
}
bool valid_scope_char(char c) { return valid_first_root_char(c) || c == '_' || c == '-' || c == '/'; }

} // namespace

/// §2.1: `^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$` at the root,
/// `^[A-Za-z0-9_.\-/]*$` inside a scope.
void detail::validate_scope_name(std::string_view name, bool at_root) {
  bool ok = std::all_of(name.begin(), name.end(), valid_scope_char);
  if (ok && at_root) ok = valid_first_root_char(name.front());
  if (!ok) throw ValueError("'" + std::string(name) + "' is not a valid scope name");
}

namespace {

/// TF's wrap(new, old): the newest getter runs first and receives a getter
/// that runs the enclosing scope's getter (§7).
CustomGetter wrap_getter(CustomGetter newer, CustomGetter older) {
  return [newer = std::move(newer), older = std::move(older)](const Getter& getter, GetterArgs args) -> Variable {
    Getter partial = [&older, &getter](GetterArgs inner) { return older(getter, std::move(inner)); };
    return newer(partial, std::move(args));
  };
}

/// Fields every new VariableScope takes from the call or, when the call
/// leaves them unset, from `base` (the parent, or the captured scope).
void inherit_defaults(VariableScopeData& out, const VariableScopeData& base, VariableScopeOptions& options) {
  out.reuse = options.reuse.truthy() ? options.reuse.mode() : base.reuse;
  out.initializer = options.initializer ? std::move(options.initializer) : base.initializer;
  out.regularizer = options.regularizer ? std::move(options.regularizer) : base.regularizer;
  out.caching_device = options.caching_device ? std::move(options.caching_device) : base.caching_device;
  out.partitioner = options.partitioner ? std::move(options.partitioner) : base.partitioner;
  if (options.custom_getter)
    out.custom_getter = base.custom_getter ? wrap_getter(std::move(options.custom_getter), base.custom_getter)
                                           : std::move(options.custom_getter);
  else
    out.custom_getter = base.custom_getter;
  out.dtype = options.dtype.value_or(base.dtype);
  out.use_resource = options.use_resource ? options.use_resource : base.use_resource;
  out.constraint = std::move(options.constraint); // never inherited (§3.3)
}

/// `name + "/"` as a map key bound, compared without building the string.
struct DescendantsOf {
  std::string_view name;
  /// <0, 0, >0 as `key` compares with name + "/".
  int compare(std::string_view key) const {
    std::size_t n = std::min(key.size(), name.size());
    if (int c = key.substr(0, n).compare(name.substr(0, n))) return c;
    if (key.size() < name.size()) return -1;
    if (key.size() == name.size()) return -1; // key is a proper prefix of name + "/"
    return static_cast<unsigned char>(key[name.size()]) < '/' ? -1 : (key[name.size()] == '/' ? 0 : 1);
  }
  bool covers(std::string_view key) const { return compare(key) == 0; }
};
bool operator<(const std::string& key, const DescendantsOf& d) { return d.compare(key) < 0; }
bool operator<(const DescendantsOf& d, const std::string& key) { return d.compare(key) > 0; }

void apply_exit(Context& context, const VariableScopeData& installed, CounterSnapshot* snapshot) {
  if (snapshot) {
    context.counts = std::move(snapshot->counts);
    context.probe_hints.clear();
    return;
  }
  // Descendant counters are discarded; the scope's own counter stays.
  DescendantsOf range{installed.name};
  auto first = context.counts.lower_bound(range);
  auto last = first;
  while (last != context.counts.end() && range.covers(last->first)) ++last;
  if (first == last) return;
  context.counts.erase(first, last);
  context.probe_hints.clear();
}

} // namespace

Scope::Scope(Store* store, detail::Ref<Context> context, VariableScope scope, std::string name_stack)
    : store_(store), context_(std::move(context)), scope_(std::move(scope)), name_stack_(std::move(name_stack)) {}

Scope::Scope(Scope&& other) noexcept
    : store_(other.store_), context_(std::move(other.context_)), scope_(std::move(other.scope_)),
      name_stack_(std::move(other.name_stack_)), open_(other.open_), snapshot_(other.snapshot_) {
  other.open_ = false;
  other.snapshot_ = nullptr;
}

Scope::~Scope() {
  if (open_) {
    const VariableScopeData* installed = &Access::data(scope_);
    auto& open = context_->open;
    if (open.empty() || open.back() != installed) context_->improper_nesting_pending = true;
    // Exit anyway (remove the entry wherever it is): the handle is going away.
    open.erase(std::remove(open.begin(), open.end(), installed), open.end());
    apply_exit(*context_, *installed, snapshot_);
  }
  delete snapshot_;
}

namespace {
void check_nesting(Context& context) {
  if (!context.improper_nesting_pending) return;
  context.improper_nesting_pending = false;
  throw RuntimeError("Improper nesting of variable_scope.");
}
} // namespace

void Scope::exit() {
  if (!open_) return;
  const VariableScopeData* installed = &Access::data(scope_);
  auto& open = context_->open;
  if (open.empty() || open.back() != installed) throw RuntimeError("Improper nesting of variable_scope.");
  apply_exit(*context_, *installed, snapshot_);
  open.pop_back();
  open_ = false;
}

bool Scope::is_open() const { return open_; }

Scope Scope::view() const { return Scope(store_, context_, scope_, name_stack_); }

// -- Name scopes ---------------------------------------------------------------

namespace {

/// Graph.name_scope(name) from `old` (§2.2).
NameScopeEntry enter_name_scope(Store& store, const std::string& old, std::string_view name) {
  if (name.empty()) return {"", ""};
  detail::validate_scope_name(name, old.empty());
  if (name.back() == '/') return {std::string(name.substr(0, name.size() - 1)), std::string(name)};
  std::string full = old.empty() ? std::string(name) : old + "/" + std::string(name);
  std::string stack = store.unique_name(full, /*mark_as_used=*/true);
  return {stack, stack + "/"};
}

/// auxiliary_name_scope=False: re-enter the current name scope absolutely.
NameScopeEntry reenter_current(Store& store, const std::string& now) {
  return now.empty() ? enter_name_scope(store, now, "") : enter_name_scope(store, now, now + "/");
}

} // namespace

Scope Scope::name_scope(std::string_view name) {
  check_nesting(*context_);
  NameScopeEntry entry = enter_name_scope(*store_, name_stack_, name);
  return Scope(store_, context_, scope_, std::move(entry.stack));
}

Scope Scope::name_scope(const char* name_or_null, const char* default_name) {
  const char* effective = name_or_null ? name_or_null : default_name;
  return name_scope(std::string_view(effective ? effective : ""));
}

const std::string& Scope::get_name_scope() const { return name_stack_; }

std::string Scope::unique_name(std::string_view name, bool mark_as_used) {
  std::string full = name_stack_.empty() ? std::string(name) : name_stack_ + "/" + std::string(name);
  return store_->unique_name(full, mark_as_used);
}

// -- Variable scopes -----------------------------------------------------------

Scope Scope::variable_scope(std::string_view name, VariableScopeOptions options) {
  std::string owned(name);
  return enter_string_scope(owned, nullptr, std::move(options));
}

Scope Scope::variable_scope(const char* name_or_null, VariableScopeOptions options) {
  return variable_scope(name_or_null, nullptr, std::move(options));
}

Scope Scope::variable_scope(const char* name_or_null, const char* default_name, VariableScopeOptions options) {
  if (!name_or_null && !default_name) throw TypeError("If default_name is None then name_or_scope is required");
  if (!name_or_null) return enter_string_scope({}, default_name, std::move(options));
  return enter_string_scope(name_or_null, nullptr, std::move(options));
}

Scope Scope::enter_string_scope(std::string_view name, const char* default_name, VariableScopeOptions&& options) {
  check_nesting(*context_);
  const VariableScopeData& parent = Access::data(scope_);
  bool aux = options.auxiliary_name_scope;
  std::string scope_name; // TF's `s`
  std::string stack = name_stack_;
  std::optional<std::string> old_name_scope;

  if (!default_name) {
    scope_name = std::string(name);
    if (!scope_name.empty() || !aux) {
      NameScopeEntry e = aux ? enter_name_scope(*store_, name_stack_, scope_name) : reenter_current(*store_, name_stack_);
      stack = std::move(e.stack);
      old_name_scope = std::move(e.value);
    }
  } else {
    if (options.reuse.truthy()) throw ValueError("reuse=True cannot be used without a name_or_scope");
    NameScopeEntry e = aux ? enter_name_scope(*store_, name_stack_, default_name) : reenter_current(*store_, name_stack_);
    stack = std::move(e.stack);
    old_name_scope = std::move(e.value);
    // unique_var_scope_name (§3.4), from the variable-scope counters only.
    std::string prefix(default_name);
    std::string full = parent.name.empty() ? prefix : parent.name + "/" + prefix;
    auto count = [&](const std::string& key) {
      auto it = context_->counts.find(key);
      return it == context_->counts.end() ? 0 : it->second;
    };
    scope_name = prefix;
    if (count(full) != 0) {
      int& hint = context_->probe_hints[full];
      int i = std::max(hint, 1);
      while (count(full + "_" + std::to_string(i)) > 0) ++i;
      hint = i;
      scope_name = prefix + "_" + std::to_string(i);
    }
    options.reuse = ReuseArg(); // not passed: inherited
  }

  auto data = detail::make_ref<VariableScopeData>();
  data->store = store_;
  data->name = parent.name.empty() ? scope_name : parent.name + "/" + scope_name;
  inherit_defaults(*data, parent, options);
  data->original_name_scope = old_name_scope ? std::move(*old_name_scope) : scope_name;
  context_->counts[data->name] += 1;

  context_->open.push_back(&*data);
  Scope entered(store_, context_, Access::scope(std::move(data)), std::move(stack));
  entered.open_ = true;
  return entered;
}

Scope Scope::variable_scope(const VariableScope& captured, VariableScopeOptions options) {
  check_nesting(*context_);
  if (!captured.defined()) throw TypeError("VariableScope: name_or_scope must be a string or VariableScope.");
  const VariableScopeData& c = Access::data(captured);
  if (c.store != store_) throw ValueError("VariableScope '" + c.name + "' belongs to another Store");
  bool aux = options.auxiliary_name_scope;
  std::size_t slash = c.name.rfind('/');
  std::string ns_part = slash == std::string::npos ? c.name : c.name.substr(slash + 1);
  std::string stack = name_stack_;
  if (!ns_part.empty() || !aux) {
    NameScopeEntry e = aux ? enter_name_scope(*store_, name_stack_, ns_part) : reenter_current(*store_, name_stack_);
    stack = std::move(e.stack);
  }

  auto data = detail::make_ref<VariableScopeData>();
  data->store = store_;
  data->name = c.name;
  inherit_defaults(*data, c, options);
  data->original_name_scope = c.original_name_scope;
  context_->counts[data->name] += 1;

  // The snapshot is taken after the increment (§3.3).
  auto* snapshot = new CounterSnapshot{context_->counts};
  context_->open.push_back(&*data);
  Scope entered(store_, context_, Access::scope(std::move(data)), std::move(stack));
  entered.open_ = true;
  entered.snapshot_ = snapshot;
  return entered;
}

// -- The scope object ----------------------------------------------------------

VariableScope Scope::get_variable_scope() const { return scope_; }
void Scope::reuse_variables() { scope_.reuse_variables(); }
const std::string& Scope::name() const { return scope_.name(); }
const std::string& Scope::original_name_scope() const { return scope_.original_name_scope(); }
ReuseMode Scope::reuse() const { return scope_.reuse(); }

// -- get_variable --------------------------------------------------------------

Variable Scope::get_variable(std::string_view name, GetVariableOptions options) {
  return get_variable_impl(name, std::nullopt, std::move(options), false);
}
Variable Scope::get_variable(std::string_view name, std::initializer_list<std::int64_t> shape,
                             GetVariableOptions options) {
  return get_variable_impl(name, Shape(shape), std::move(options), false);
}
Variable Scope::get_variable(std::string_view name, const Shape& shape, GetVariableOptions options) {
  return get_variable_impl(name, shape, std::move(options), false);
}
Variable Scope::get_local_variable(std::string_view name, GetVariableOptions options) {
  return get_variable_impl(name, std::nullopt, std::move(options), true);
}
Variable Scope::get_local_variable(std::string_view name, std::initializer_list<std::int64_t> shape,
                                   GetVariableOptions options) {
  return get_variable_impl(name, Shape(shape), std::move(options), true);
}
Variable Scope::get_local_variable(std::string_view name, const Shape& shape, GetVariableOptions options) {
  return get_variable_impl(name, shape, std::move(options), true);
}

Variable Scope::get_variable_impl(std::string_view name, std::optional<Shape> shape, GetVariableOptions&& options,
                                  bool local) {
  check_nesting(*context_);
  const VariableScopeData& vs = Access::data(scope_);
  if (shape && options.shape)
    throw TypeError(std::string(local ? "get_local_variable" : "get_variable") +
                    "() got multiple values for argument 'shape'");

  GetterArgs args;
  args.name = vs.name.empty() ? std::string(name) : vs.name + "/" + std::string(name);
  args.shape = shape ? std::move(shape) : std::move(options.shape);
  // §5.2 step 5: checked even when the variable exists.
  if (options.dtype && options.initializer.is_constant() && options.initializer.constant().dtype() != *options.dtype)
    throw ValueError("Initializer type '" + dtype_repr(options.initializer.constant().dtype()) +
                     "' and explicit dtype '" + dtype_repr(*options.dtype) + "' don't match.");
  args.dtype = options.dtype.value_or(vs.dtype);
  args.initializer = options.initializer ? std::move(options.initializer) : vs.initializer;
  args.regularizer = options.regularizer ? std::move(options.regularizer) : vs.regularizer;
  args.reuse = vs.reuse;
  if (local) {
    args.trainable = false;
    std::vector<std::string> keys = options.collections.value_or(std::vector<std::string>{});
    keys.emplace_back(GraphKeys::LOCAL_VARIABLES);
    args.collections = std::move(keys);
  } else {
    args.trainable = options.trainable.value_or(options.synchronization != VariableSynchronization::OnRead);
    args.collections = std::move(options.collections);
  }
  args.caching_device = options.caching_device ? std::move(options.caching_device) : vs.caching_device;
  args.partitioner = options.partitioner ? std::move(options.partitioner) : vs.partitioner;
  args.validate_shape = options.validate_shape;
  args.use_resource = options.use_resource ? options.use_resource : vs.use_resource;
  args.constraint = options.constraint ? std::move(options.constraint) : vs.constraint;
  args.synchronization = options.synchronization;
  args.aggregation = options.aggregation;

  // An explicit custom_getter replaces the scope's; it is not chained (§5.2).
  const CustomGetter& getter = options.custom_getter ? options.custom_getter : vs.custom_getter;
  if (!getter) return store_->get_variable(std::move(args));
  // Getters run at the root name scope (§5.2 step 4).
  Scope root_names(store_, context_, scope_, "");
  args.scope = &root_names;
  Store* store = store_;
  Getter true_getter = [store](GetterArgs a) { return store->get_variable(std::move(a)); };
  return getter(true_getter, std::move(args));
}

} // namespace varscope
