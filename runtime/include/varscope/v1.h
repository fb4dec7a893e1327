// varscope/v1.h - the implicit, TF1-style API (`namespace varscope::v1`).
//
// A line-by-line port of tf.compat.v1's names for legacy code:
//
//   v1::variable_scope scope("foo", {.reuse = v1::AUTO_REUSE});
//   v1::Variable v = v1::get_variable("v", {1});   // "foo/v:0"
//
// State lives where TF keeps it: a process-wide default store (TF's default
// graph, shared by all threads) and, per thread, the current scope handle
// (variable scope, name scope, default-name counters). A new thread starts at
// the root scope. Every guard enters an explicit Scope (varscope/scope.h)
// from the thread's current one and every call forwards to it: one
// semantics, two faces.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "varscope/varscope.h"

namespace varscope::v1 {

using varscope::AUTO_REUSE;
using varscope::CollectionItem;
using varscope::DType;
using varscope::GetVariableOptions;
using varscope::Initializer;
using varscope::PartitionedVariable;
using varscope::Partitioner;
using varscope::Regularizer;
using varscope::ReuseMode;
using varscope::Shape;
using varscope::Tensor;
using varscope::Variable;
using varscope::VariableScope;
using varscope::VariableScopeOptions;
using varscope::CreatorArgs;
using varscope::NextCreator;
using varscope::VariableCreator;
namespace GraphKeys = varscope::GraphKeys;

using varscope::constant_initializer;
using varscope::glorot_normal_initializer;
using varscope::glorot_uniform_initializer;
using varscope::he_normal_initializer;
using varscope::he_uniform_initializer;
using varscope::identity_initializer;
using varscope::lecun_normal_initializer;
using varscope::lecun_uniform_initializer;
using varscope::ones_initializer;
using varscope::orthogonal_initializer;
using varscope::random_normal_initializer;
using varscope::random_uniform_initializer;
using varscope::truncated_normal_initializer;
using varscope::variance_scaling_initializer;
using varscope::xavier_initializer;
using varscope::zeros_initializer;

using varscope::fixed_size_partitioner;
using varscope::min_max_variable_partitioner;
using varscope::variable_axis_size_partitioner;

using varscope::l1_regularizer;
using varscope::l2_regularizer;
using varscope::no_regularizer;

namespace detail {
struct Frame;
/// The calling thread's current scope handle (in the default store).
Scope& current_scope();
} // namespace detail

/// TF's `with tf.compat.v1.variable_scope(...) as scope:`, as an RAII guard
/// used as a named local. Its three constructor forms are TF's: a name, a
/// captured VariableScope, or nullptr with a default name.
/// `scope->reuse_variables()`, `scope->name()`, `scope->original_name_scope()`
/// act on the VariableScope object the block installed.
class variable_scope {
public:
  variable_scope(const char* name_or_null, VariableScopeOptions options = {});
  variable_scope(std::string_view name, VariableScopeOptions options = {});
  variable_scope(const char* name_or_null, const char* default_name, VariableScopeOptions options = {});
  variable_scope(const VariableScope& scope, VariableScopeOptions options = {});
  variable_scope(const variable_scope&) = delete;
  variable_scope& operator=(const variable_scope&) = delete;
  /// TF's __exit__. Out of order, the exit is forced and the thread's next
  /// scope operation raises RuntimeError (see Scope::~Scope).
  ~variable_scope();

  VariableScope* operator->() { return &object_; }
  const VariableScope* operator->() const { return &object_; }
  /// The VariableScope object (TF's `as scope` target), to capture and
  /// re-enter later: `v1::variable_scope again(*scope);`.
  const VariableScope& operator*() const { return object_; }
  const VariableScope& get() const { return object_; }
  /// TF's __exit__, callable early; see Scope::exit().
  void exit();

private:
  void enter(Scope entered);
  varscope::detail::Ref<detail::Frame> frame_;
  VariableScope object_;
};

/// TF v1's `with tf.compat.v1.name_scope(name, default_name) as ns:`.
class name_scope {
public:
  name_scope(std::string_view name);
  name_scope(const char* name_or_null, const char* default_name = nullptr);
  name_scope(const name_scope&) = delete;
  name_scope& operator=(const name_scope&) = delete;
  ~name_scope();
  /// The context value: "foo/" (or "" at the root).
  const std::string& name() const { return value_; }

private:
  varscope::detail::Ref<detail::Frame> frame_;
  std::string value_;
};

/// TF1's `with tf.variable_creator_scope(creator):`: while the guard lives,
/// variables this thread creates through v1::get_variable (in any variable
/// scope) are made through `creator` (see Scope::variable_creator_scope;
/// the innermost creator runs first). TypeError for an empty creator.
class variable_creator_scope {
public:
  explicit variable_creator_scope(VariableCreator creator);
  variable_creator_scope(const variable_creator_scope&) = delete;
  variable_creator_scope& operator=(const variable_creator_scope&) = delete;
  /// Out of order, the creator is removed anyway and the thread's next scope
  /// operation raises RuntimeError("Exiting variable_creator_scope without
  /// proper nesting.").
  ~variable_creator_scope();
  /// TF's __exit__, callable early: RuntimeError("Exiting
  /// variable_creator_scope without proper nesting.") while a creator scope
  /// entered after this one on the thread is still open (the guard then
  /// stays open).
  void exit();

private:
  varscope::detail::Ref<varscope::detail::CreatorNode> node_;
  bool open_ = true;
};

/// TF's get_variable / get_local_variable in the current variable scope.
Variable get_variable(std::string_view name, GetVariableOptions options = {});
Variable get_variable(std::string_view name, std::initializer_list<std::int64_t> shape, GetVariableOptions options = {});
Variable get_variable(std::string_view name, const Shape& shape, GetVariableOptions options = {});
Variable get_local_variable(std::string_view name, GetVariableOptions options = {});
Variable get_local_variable(std::string_view name, std::initializer_list<std::int64_t> shape,
                            GetVariableOptions options = {});
Variable get_local_variable(std::string_view name, const Shape& shape, GetVariableOptions options = {});

/// The calling thread's current VariableScope object.
VariableScope get_variable_scope();
/// tf.get_name_scope(): the thread's current name scope ("a/b", "" at root).
std::string get_name_scope();

/// The calling thread's current scope as an explicit handle: the innermost
/// open guard's, or the root scope of the default graph, with the thread's
/// variable creators in effect. This is where the two faces meet. A
/// function that keeps its signature for v1 callers (a public API, an
/// `extern "C"` entry point) continues in its caller's scope and passes it
/// on explicitly:
///
///   int build_model() {
///     varscope::Scope& scope = varscope::v1::current_scope();
///     varscope::Scope s = scope.variable_scope("model");
///     ...
///
/// so its variables land where v1 code would have put them: under the
/// caller's guards, in the default graph that the caller's
/// global_variables() lists, shared by every call. `varscope migrate`
/// writes exactly this at such entry points. The handle is valid while the
/// guard it belongs to is open (the root's until reset_default_graph());
/// a guard opened after the call is not seen through it.
Scope& current_scope();

/// The default store (TF's default graph).
Store& get_default_graph();
/// A fresh default store; RuntimeError while the calling thread is inside a
/// scope (TF refuses to reset a graph that is in use).
void reset_default_graph(StoreOptions options = {});
/// tf.compat.v1.set_random_seed: the default store's graph seed.
void set_random_seed(std::uint64_t seed);

std::vector<Variable> global_variables(std::string_view scope = {});
std::vector<Variable> trainable_variables(std::string_view scope = {});
std::vector<Variable> local_variables(std::string_view scope = {});
std::vector<CollectionItem> get_collection(std::string_view key, std::string_view scope = {});
void add_to_collection(std::string_view key, CollectionItem item);
/// tf.losses.get_regularization_losses(scope).
std::vector<Tensor> get_regularization_losses(std::string_view scope = {});

} // namespace varscope::v1

#include "varscope/v1_ops.h"
