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

/// Character classes of TF's scope-name patterns (§2.1): bit 0 = allowed
/// anywhere `[A-Za-z0-9_.\-/]`, bit 1 = allowed first at the root
/// `[A-Za-z0-9.]`.
struct ScopeCharTable {
  unsigned char bits[256] = {};
  constexpr ScopeCharTable() {
    for (int c = 0; c < 256; ++c) {
      bool first = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
      bool any = first || c == '_' || c == '-' || c == '/';
      bits[c] = static_cast<unsigned char>((any ? 1 : 0) | (first ? 2 : 0));
    }
  }
};
constexpr ScopeCharTable kScopeChars;

} // namespace

/// §2.1: `^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$` at the root,
/// `^[A-Za-z0-9_.\-/]*$` inside a scope.
void detail::validate_scope_name(std::string_view name, bool at_root) {
  bool ok = true;
  for (char c : name) ok &= (kScopeChars.bits[static_cast<unsigned char>(c)] & 1) != 0;
  if (ok && at_root) ok = (kScopeChars.bits[static_cast<unsigned char>(name.front())] & 2) != 0;
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
/// leaves them unset, from `base` (the parent, or the captured scope). The
/// expensive defaults are shared with `base` unless the call sets one.
void inherit_defaults(VariableScopeData& out, const VariableScopeData& base, VariableScopeOptions& options) {
  out.reuse = options.reuse.truthy() ? options.reuse.mode() : base.reuse;
  out.dtype = options.dtype.value_or(base.dtype);
  out.use_resource = options.use_resource ? options.use_resource : base.use_resource;
  out.constraint = std::move(options.constraint); // never inherited (§3.3)
  out.defaults = base.defaults;
  if (!options.initializer && !options.regularizer && !options.caching_device && !options.partitioner &&
      !options.custom_getter)
    return;
  detail::ScopeDefaults& d = out.mutable_defaults();
  if (options.initializer) d.initializer = std::move(options.initializer);
  if (options.regularizer) d.regularizer = std::move(options.regularizer);
  if (options.caching_device) d.caching_device = std::move(options.caching_device);
  if (options.partitioner) d.partitioner = std::move(options.partitioner);
  if (options.custom_getter)
    d.custom_getter = d.custom_getter ? wrap_getter(std::move(options.custom_getter), d.custom_getter)
                                      : std::move(options.custom_getter);
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
/// What std::map::lower_bound needs (key < bound).
bool operator<(const std::string& key, const DescendantsOf& d) { return d.compare(key) < 0; }

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
      name_stack_(std::move(other.name_stack_)), open_(other.open_), snapshot_(other.snapshot_),
      creators_(std::move(other.creators_)) {
  other.open_ = false;
  other.snapshot_ = nullptr;
}

Scope::~Scope() {
  if (open_) {
    const VariableScopeData* installed = &Access::data(scope_);
    auto& open = context_->open;
    if (open.empty() || open.back() != installed) context_->pending_nesting_error = detail::kImproperVariableScopeNesting;
    // Exit anyway (remove the entry wherever it is): the handle is going away.
    open.erase(std::remove(open.begin(), open.end(), installed), open.end());
    apply_exit(*context_, *installed, snapshot_);
  }
  delete snapshot_;
}

namespace {
void check_nesting(Context& context) {
  if (!context.pending_nesting_error) return;
  const char* message = context.pending_nesting_error;
  context.pending_nesting_error = nullptr;
  throw RuntimeError(message);
}
} // namespace

void Scope::exit() {
  if (!open_) return;
  const VariableScopeData* installed = &Access::data(scope_);
  auto& open = context_->open;
  if (open.empty() || open.back() != installed) throw RuntimeError(detail::kImproperVariableScopeNesting);
  apply_exit(*context_, *installed, snapshot_);
  open.pop_back();
  open_ = false;
}

bool Scope::is_open() const { return open_; }

Scope Scope::view() const { return derive(scope_, name_stack_); }

Scope Scope::derive(VariableScope scope, std::string name_stack) const {
  Scope handle(store_, context_, std::move(scope), std::move(name_stack));
  handle.creators_ = creators_;
  return handle;
}

Scope Scope::variable_creator_scope(VariableCreator creator) const {
  check_nesting(*context_);
  if (!creator) throw TypeError("variable_creator_scope: the creator is empty");
  Scope handle = view();
  handle.creators_ = detail::make_ref<detail::CreatorNode>(std::move(creator), creators_);
  return handle;
}

// -- Name scopes ---------------------------------------------------------------

namespace {

/// Graph.name_scope(name) from `old` (§2.2): the new stack. The context
/// value is `stack + "/"`, except "" for an empty name (root).
std::string enter_name_scope(Store& store, const std::string& old, std::string_view name) {
  if (name.empty()) return {};
  detail::validate_scope_name(name, old.empty());
  if (name.back() == '/') return std::string(name.substr(0, name.size() - 1));
  Store::Impl& impl = Access::impl(store);
  std::lock_guard<std::recursive_mutex> lock(impl.mu);
  return impl.unique_name(old, name, /*mark_as_used=*/true);
}

/// The name-scope half of entering a variable scope (§3.2): `name` relative
/// and uniquified, or with auxiliary_name_scope=False the current name scope
/// re-entered absolutely.
NameScopeEntry enter_scope_names(Store& store, const std::string& now, std::string_view name, bool aux) {
  NameScopeEntry e;
  if (aux) {
    e.stack = enter_name_scope(store, now, name);
    if (name.empty()) return e;
  } else {
    if (now.empty()) return e;
    detail::validate_scope_name(now, false); // `now + "/"` is checked as TF does; `now` cannot be empty here
    e.stack = now;
  }
  e.value.reserve(e.stack.size() + 1);
  e.value.append(e.stack).append(1, '/');
  return e;
}

} // namespace

Scope Scope::name_scope(std::string_view name) {
  check_nesting(*context_);
  return derive(scope_, enter_name_scope(*store_, name_stack_, name));
}

Scope Scope::name_scope(const char* name_or_null, const char* default_name) {
  const char* effective = name_or_null ? name_or_null : default_name;
  return name_scope(std::string_view(effective ? effective : ""));
}

const std::string& Scope::get_name_scope() const { return name_stack_; }

std::string Scope::unique_name(std::string_view name, bool mark_as_used) {
  Store::Impl& impl = Access::impl(*store_);
  std::lock_guard<std::recursive_mutex> lock(impl.mu);
  return impl.unique_name(name_stack_, name, mark_as_used);
}

// -- Variable scopes -----------------------------------------------------------

Scope Scope::variable_scope(std::string_view name, VariableScopeOptions options) {
  return enter_string_scope(name, nullptr, std::move(options));
}

Scope Scope::variable_scope(const char* name_or_null, VariableScopeOptions options) {
  if (!name_or_null) throw TypeError("If default_name is None then name_or_scope is required");
  return enter_string_scope(name_or_null, nullptr, std::move(options));
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
  auto data = detail::make_ref<VariableScopeData>();
  data->store = store_;
  std::string stack;

  if (!default_name) {
    // TF's `s` is `name`; no name scope at all when it is "" with aux=True.
    if (!name.empty() || !aux) {
      NameScopeEntry e = enter_scope_names(*store_, name_stack_, name, aux);
      stack = std::move(e.stack);
      data->original_name_scope = std::move(e.value);
    } else {
      stack = name_stack_;
      data->original_name_scope = std::string(name);
    }
    data->name.reserve(parent.name.size() + 1 + name.size());
    if (!parent.name.empty()) data->name.append(parent.name).append(1, '/');
    data->name.append(name);
  } else {
    if (options.reuse.truthy()) throw ValueError("reuse=True cannot be used without a name_or_scope");
    NameScopeEntry e = enter_scope_names(*store_, name_stack_, default_name, aux);
    stack = std::move(e.stack);
    data->original_name_scope = std::move(e.value);
    // unique_var_scope_name (§3.4), from the variable-scope counters only.
    std::string_view prefix(default_name);
    std::string full;
    full.reserve(parent.name.size() + 1 + prefix.size() + 12);
    if (!parent.name.empty()) full.append(parent.name).append(1, '/');
    full.append(prefix);
    auto count = [&](std::string_view key) {
      auto it = context_->counts.find(key);
      return it == context_->counts.end() ? 0 : it->second;
    };
    if (count(full) != 0) {
      int& hint = context_->probe_hints[full];
      int i = std::max(hint, 1);
      std::size_t base = full.size();
      auto probe = [&](int k) {
        full.resize(base);
        full += '_';
        detail::append_decimal(full, k);
        return count(full);
      };
      while (probe(i) > 0) ++i;
      hint = i;
    }
    data->name = std::move(full);
    options.reuse = ReuseArg(); // not passed: inherited
  }

  inherit_defaults(*data, parent, options);
  ++context_->counts[data->name];

  context_->open.push_back(&*data);
  Scope entered = derive(Access::scope(std::move(data)), std::move(stack));
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
  std::string_view ns_part = std::string_view(c.name).substr(slash == std::string::npos ? 0 : slash + 1);
  std::string stack = (!ns_part.empty() || !aux) ? enter_scope_names(*store_, name_stack_, ns_part, aux).stack
                                                 : name_stack_;

  auto data = detail::make_ref<VariableScopeData>();
  data->store = store_;
  data->name = c.name;
  inherit_defaults(*data, c, options);
  data->original_name_scope = c.original_name_scope;
  ++context_->counts[data->name];

  // The snapshot is taken after the increment (§3.3).
  auto* snapshot = new CounterSnapshot{context_->counts};
  context_->open.push_back(&*data);
  Scope entered = derive(Access::scope(std::move(data)), std::move(stack));
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

namespace {

/// "<scope>/<name>" (or "<name>" at the root) in a stack buffer when short,
/// so a reuse hit allocates nothing.
class FullName {
public:
  FullName(std::string_view scope, std::string_view name) {
    std::size_t size = scope.size() + (scope.empty() ? 0 : 1) + name.size();
    char* out = size <= sizeof small_ ? small_ : (big_.resize(size), big_.data());
    char* p = out;
    if (!scope.empty()) {
      std::copy(scope.begin(), scope.end(), p);
      p += scope.size();
      *p++ = '/';
    }
    std::copy(name.begin(), name.end(), p);
    view_ = std::string_view(out, size);
  }
  FullName(const FullName&) = delete;
  FullName& operator=(const FullName&) = delete;
  std::string_view view() const { return view_; }

private:
  char small_[176];
  std::string big_;
  std::string_view view_;
};

} // namespace

Variable Scope::get_variable_impl(std::string_view name, std::optional<Shape> shape, GetVariableOptions&& options,
                                  bool local) {
  check_nesting(*context_);
  const VariableScopeData& vs = Access::data(scope_);
  // Held for the call: a callback that changes this scope's defaults then
  // copies them first (copy on write) instead of changing these.
  const detail::Ref<detail::ScopeDefaults> held = vs.defaults;
  const detail::ScopeDefaults& defaults = vs.get_defaults();
  if (shape && options.shape)
    throw TypeError(std::string(local ? "get_local_variable" : "get_variable") +
                    "() got multiple values for argument 'shape'");

  // §5.2: arguments first, then the scope's defaults.
  std::optional<Shape>& the_shape = shape ? shape : options.shape;
  // §5.2 step 5: checked even when the variable exists.
  if (options.dtype && options.initializer.is_constant() && options.initializer.constant().dtype() != *options.dtype)
    throw ValueError("Initializer type '" + dtype_repr(options.initializer.constant().dtype()) +
                     "' and explicit dtype '" + dtype_repr(*options.dtype) + "' don't match.");
  DType dtype = options.dtype.value_or(vs.dtype);
  const Initializer& initializer = options.initializer ? options.initializer : defaults.initializer;
  const Regularizer& regularizer = options.regularizer ? options.regularizer : defaults.regularizer;
  bool trainable = local ? false : options.trainable.value_or(options.synchronization != VariableSynchronization::OnRead);
  std::optional<std::vector<std::string>> local_keys;
  if (local) {
    local_keys = options.collections.value_or(std::vector<std::string>{});
    local_keys->emplace_back(GraphKeys::LOCAL_VARIABLES);
  }
  const std::optional<std::vector<std::string>>& collections = local ? local_keys : options.collections;
  const std::optional<std::string>& caching_device =
      options.caching_device ? options.caching_device : defaults.caching_device;
  const Partitioner& partitioner = options.partitioner ? options.partitioner : defaults.partitioner;
  std::optional<bool> use_resource = options.use_resource ? options.use_resource : vs.use_resource;
  const Constraint& constraint = options.constraint ? options.constraint : vs.constraint;
  const detail::CreatorNode* creators = creators_.get();

  // An explicit custom_getter replaces the scope's; it is not chained (§5.2).
  const CustomGetter& getter = options.custom_getter ? options.custom_getter : defaults.custom_getter;
  if (!getter) {
    FullName full(vs.name, name);
    detail::VariableRequest request{full.view(),  the_shape,       dtype,       initializer,
                                    regularizer,  vs.reuse,        trainable,   collections,
                                    caching_device, partitioner,   options.validate_shape,
                                    use_resource, constraint,      options.synchronization,
                                    options.aggregation};
    return Access::get_variable(*store_, request, creators);
  }

  GetterArgs args;
  args.name = std::string(FullName(vs.name, name).view());
  args.shape = std::move(the_shape);
  args.dtype = dtype;
  args.initializer = initializer;
  args.regularizer = regularizer;
  args.reuse = vs.reuse;
  args.trainable = trainable;
  args.collections = collections;
  args.caching_device = caching_device;
  args.partitioner = partitioner;
  args.validate_shape = options.validate_shape;
  args.use_resource = use_resource;
  args.constraint = constraint;
  args.synchronization = options.synchronization;
  args.aggregation = options.aggregation;
  // Getters run at the root name scope (§5.2 step 4); creators run below
  // them, whatever handle a getter passes on (TF's creator stack is state of
  // the thread, not an argument).
  Scope root_names = derive(scope_, "");
  args.scope = &root_names;
  Store* store = store_;
  Getter true_getter = [store, creators](GetterArgs a) {
    return Access::get_variable(*store, detail::VariableRequest::of(a), creators);
  };
  return getter(true_getter, std::move(args));
}

} // namespace varscope
