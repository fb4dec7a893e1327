// runtime/src/v1.cpp - the implicit API: a thread-local stack of explicit
// Scope handles over a process-wide default Store.
#include "varscope/v1.h"

#include <atomic>
#include <mutex>
#include <vector>

#include <memory>

#include "internal.h"

namespace varscope::v1 {

namespace detail {

/// One entered guard: the explicit handle it entered and the frame below it
/// (kept alive, so a stale pointer is impossible even when guards are
/// destroyed out of order).
struct Frame : varscope::detail::RefCounted {
  Frame(Scope entered, varscope::detail::Ref<Frame> below) : scope(std::move(entered)), parent(std::move(below)) {}
  Scope scope;
  varscope::detail::Ref<Frame> parent;
  bool alive = true;
};

namespace {

/// TF's default graph: shared by every thread.
struct DefaultGraph {
  std::mutex mu;
  std::shared_ptr<Store> store = std::make_shared<Store>();
  std::atomic<std::uint64_t> generation{1};
};

DefaultGraph& default_graph() {
  static DefaultGraph graph;
  return graph;
}

/// Per thread (TF's _VariableScopeStore and name stack): the root handle of
/// this thread's context in the default store, and the top guard.
struct ThreadState {
  std::shared_ptr<Store> store;
  std::uint64_t generation = 0;
  std::unique_ptr<Scope> root;
  varscope::detail::Ref<Frame> top;
  /// TF's per-thread _variable_creator_stack, innermost first.
  varscope::detail::Ref<varscope::detail::CreatorNode> creators;

  ~ThreadState() {
    creators.reset();
    top.reset();
    root.reset();
  }
};

ThreadState& thread_state() {
  thread_local ThreadState state;
  return state;
}

varscope::detail::Ref<Frame> push(Scope entered) {
  ThreadState& ts = thread_state();
  ts.top = varscope::detail::make_ref<Frame>(std::move(entered), ts.top);
  return ts.top;
}

/// Pops `frame` if it is the top, then any dead frames below it.
void pop(const varscope::detail::Ref<Frame>& frame) {
  frame->alive = false;
  ThreadState& ts = thread_state();
  while (ts.top && !ts.top->alive) ts.top = ts.top->parent;
}

} // namespace

Scope& current_scope() {
  ThreadState& ts = thread_state();
  if (ts.top) return ts.top->scope;
  DefaultGraph& graph = default_graph();
  if (ts.generation != graph.generation.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(graph.mu);
    ts.root.reset();
    ts.store = graph.store;
    ts.generation = graph.generation.load(std::memory_order_relaxed);
    ts.root = std::make_unique<Scope>(ts.store->root_scope());
  }
  return *ts.root;
}

/// The current scope, with the thread's variable creators in effect (TF's
/// creator stack is thread state, whatever scope a call goes through).
Scope& creating_scope() {
  using varscope::detail::CreatorNode;
  ThreadState& ts = thread_state();
  Scope& scope = ts.top ? ts.top->scope : current_scope();
  if (!ts.creators) {
    varscope::detail::Access::set_creators(scope, ts.creators);
    return scope;
  }
  bool same_graph = true;
  for (const CreatorNode* c = ts.creators.get(); c; c = c->outer.get()) same_graph &= c->graph == ts.generation;
  if (same_graph) {
    varscope::detail::Access::set_creators(scope, ts.creators);
    return scope;
  }
  // Creators entered before reset_default_graph() belong to the old graph.
  std::vector<const CreatorNode*> kept; // innermost first
  for (const CreatorNode* c = ts.creators.get(); c; c = c->outer.get())
    if (c->graph == ts.generation && !c->dead) kept.push_back(c);
  varscope::detail::Ref<CreatorNode> list;
  for (auto it = kept.rbegin(); it != kept.rend(); ++it)
    list = varscope::detail::make_ref<CreatorNode>((*it)->creator, std::move(list));
  varscope::detail::Access::set_creators(scope, list);
  return scope;
}

} // namespace detail

// -- variable_creator_scope ------------------------------------------------------

variable_creator_scope::variable_creator_scope(VariableCreator creator) {
  if (!creator) throw TypeError("variable_creator_scope: the creator is empty");
  detail::current_scope(); // the thread's graph, fresh after a reset
  detail::ThreadState& ts = detail::thread_state();
  node_ = varscope::detail::make_ref<varscope::detail::CreatorNode>(std::move(creator), ts.creators);
  node_->graph = ts.generation;
  ts.creators = node_;
}

namespace {
/// Pops dead creators off the thread's stack.
void drop_dead_creators(detail::ThreadState& ts) {
  while (ts.creators && ts.creators->dead) ts.creators = ts.creators->outer;
}
} // namespace

void variable_creator_scope::exit() {
  if (!open_) return;
  detail::ThreadState& ts = detail::thread_state();
  if (ts.creators != node_) throw RuntimeError(varscope::detail::kImproperCreatorScopeNesting);
  open_ = false;
  node_->dead = true;
  drop_dead_creators(ts);
}

variable_creator_scope::~variable_creator_scope() {
  if (!open_) return;
  detail::ThreadState& ts = detail::thread_state();
  node_->dead = true; // out of order: skipped by the creators still open above it
  if (ts.creators != node_)
    varscope::detail::Access::context(detail::current_scope())->pending_nesting_error =
        varscope::detail::kImproperCreatorScopeNesting;
  drop_dead_creators(ts);
}

// -- variable_scope --------------------------------------------------------------

variable_scope::variable_scope(const char* name_or_null, VariableScopeOptions options) {
  if (!name_or_null) throw TypeError("If default_name is None then name_or_scope is required");
  enter(varscope::detail::Access::variable_scope(detail::current_scope(), name_or_null, nullptr, std::move(options)));
}

variable_scope::variable_scope(std::string_view name, VariableScopeOptions options) {
  enter(varscope::detail::Access::variable_scope(detail::current_scope(), name, nullptr, std::move(options)));
}

variable_scope::variable_scope(const char* name_or_null, const char* default_name, VariableScopeOptions options) {
  if (!name_or_null && !default_name) throw TypeError("If default_name is None then name_or_scope is required");
  enter(varscope::detail::Access::variable_scope(detail::current_scope(), name_or_null ? name_or_null : "",
                                                 name_or_null ? nullptr : default_name, std::move(options)));
}

void variable_scope::enter(Scope entered) {
  frame_ = detail::push(std::move(entered));
  object_ = frame_->scope.get_variable_scope();
}

variable_scope::variable_scope(const VariableScope& scope, VariableScopeOptions options) {
  enter(detail::current_scope().variable_scope(scope, std::move(options)));
}

void variable_scope::exit() {
  if (!frame_ || !frame_->alive) return;
  frame_->scope.exit(); // throws on improper nesting; the guard stays open
  detail::pop(frame_);
}

variable_scope::~variable_scope() {
  if (!frame_ || !frame_->alive) return;
  detail::pop(frame_);
  // Exit now, even when an inner frame still points at this one: the Scope
  // exits, or forces its exit and flags improper nesting when out of order.
  { Scope exiting(std::move(frame_->scope)); }
  frame_.reset();
}

// -- name_scope ------------------------------------------------------------------

namespace {
std::string name_scope_value(std::string_view name, const std::string& stack) {
  if (name.empty()) return "";
  if (name.back() == '/') return std::string(name);
  return stack + "/";
}
} // namespace

name_scope::name_scope(std::string_view name) {
  Scope& current = detail::current_scope();
  frame_ = detail::push(current.name_scope(name));
  value_ = name_scope_value(name, frame_->scope.get_name_scope());
}

name_scope::name_scope(const char* name_or_null, const char* default_name) {
  const char* effective = name_or_null ? name_or_null : default_name;
  std::string_view name(effective ? effective : "");
  Scope& current = detail::current_scope();
  frame_ = detail::push(current.name_scope(name));
  value_ = name_scope_value(name, frame_->scope.get_name_scope());
}

name_scope::~name_scope() {
  if (frame_) detail::pop(frame_);
}

// -- Free functions ----------------------------------------------------------------

using varscope::detail::Access;

Variable get_variable(std::string_view name, GetVariableOptions options) {
  return Access::get_variable(detail::creating_scope(), name, std::nullopt, std::move(options), false);
}
Variable get_variable(std::string_view name, std::initializer_list<std::int64_t> shape, GetVariableOptions options) {
  return Access::get_variable(detail::creating_scope(), name, Shape(shape), std::move(options), false);
}
Variable get_variable(std::string_view name, const Shape& shape, GetVariableOptions options) {
  return Access::get_variable(detail::creating_scope(), name, shape, std::move(options), false);
}
Variable get_local_variable(std::string_view name, GetVariableOptions options) {
  return Access::get_variable(detail::creating_scope(), name, std::nullopt, std::move(options), true);
}
Variable get_local_variable(std::string_view name, std::initializer_list<std::int64_t> shape,
                            GetVariableOptions options) {
  return Access::get_variable(detail::creating_scope(), name, Shape(shape), std::move(options), true);
}
Variable get_local_variable(std::string_view name, const Shape& shape, GetVariableOptions options) {
  return Access::get_variable(detail::creating_scope(), name, shape, std::move(options), true);
}

VariableScope get_variable_scope() { return detail::current_scope().get_variable_scope(); }
std::string get_name_scope() { return detail::current_scope().get_name_scope(); }

Scope& current_scope() { return detail::creating_scope(); }

Store& get_default_graph() { return detail::current_scope().store(); }

void reset_default_graph(StoreOptions options) {
  if (detail::thread_state().top)
    throw RuntimeError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared graph, "
                       "exit the nesting and create a new graph.");
  detail::DefaultGraph& graph = detail::default_graph();
  std::lock_guard<std::mutex> lock(graph.mu);
  graph.store = std::make_shared<Store>(options);
  graph.generation.fetch_add(1, std::memory_order_acq_rel);
}

void set_random_seed(std::uint64_t seed) { get_default_graph().set_seed(seed); }

std::vector<Variable> global_variables(std::string_view scope) { return get_default_graph().global_variables(scope); }
std::vector<Variable> trainable_variables(std::string_view scope) {
  return get_default_graph().trainable_variables(scope);
}
std::vector<Variable> local_variables(std::string_view scope) { return get_default_graph().local_variables(scope); }
std::vector<CollectionItem> get_collection(std::string_view key, std::string_view scope) {
  return get_default_graph().get_collection(key, scope);
}
void add_to_collection(std::string_view key, CollectionItem item) {
  get_default_graph().add_to_collection(key, std::move(item));
}
std::vector<Tensor> get_regularization_losses(std::string_view scope) {
  return get_default_graph().regularization_losses(scope);
}

} // namespace varscope::v1
