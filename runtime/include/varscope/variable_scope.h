// varscope/variable_scope.h - TF's VariableScope object and the keyword
// arguments of variable_scope() and get_variable().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "varscope/detail/function.h"
#include "varscope/detail/ref.h"
#include "varscope/dtype.h"
#include "varscope/initializers.h"
#include "varscope/partitioners.h"
#include "varscope/shape.h"
#include "varscope/tensor.h"
#include "varscope/variable.h"

namespace varscope {

class Scope;
class Store;

/// The type of AUTO_REUSE (TF's `tf.compat.v1.AUTO_REUSE`).
struct AutoReuseType {
  explicit constexpr AutoReuseType(int) {}
};
/// Create variables that do not exist and return those that do.
inline constexpr AutoReuseType AUTO_REUSE{0};

/// The reuse flag of a scope, as the store sees it.
enum class ReuseMode : std::uint8_t { False, True, AutoReuse };

/// The `reuse` keyword argument of variable_scope: `true`, `AUTO_REUSE`, or
/// unset. `false` means unset ("inherit"), exactly as in TF since 1.1: it
/// can never switch reuse off.
class ReuseArg {
public:
  constexpr ReuseArg() = default;
  constexpr ReuseArg(bool reuse) : mode_(reuse ? Mode::True : Mode::Inherit), explicit_false_(!reuse) {}
  constexpr ReuseArg(AutoReuseType) : mode_(Mode::AutoReuse) {}
  constexpr ReuseArg(std::nullopt_t) {}
  /// Only bool, AUTO_REUSE and std::nullopt are reuse values (TF's
  /// "The reuse parameter must be True or False or None." is a compile error).
  template <class T>
    requires(!std::is_same_v<T, bool>)
  ReuseArg(T) = delete;

  /// True or AUTO_REUSE.
  constexpr bool truthy() const { return mode_ != Mode::Inherit; }
  /// The mode when truthy().
  constexpr ReuseMode mode() const { return mode_ == Mode::AutoReuse ? ReuseMode::AutoReuse : ReuseMode::True; }
  /// `false` was written explicitly (it means the same as unset).
  constexpr bool explicitly_false() const { return explicit_false_; }

private:
  enum class Mode : std::uint8_t { Inherit, True, AutoReuse };
  Mode mode_ = Mode::Inherit;
  bool explicit_false_ = false;
};

/// TF's regularizer: called once when a variable (or each shard) is created,
/// with a scope whose name scope is "<variable>/Regularizer"; a returned
/// tensor is added to REGULARIZATION_LOSSES. Empty = None.
using RegularizerFn = Function<std::optional<Tensor>(Scope& scope, const Tensor& weights)>;
class Regularizer {
public:
  Regularizer() = default;
  Regularizer(RegularizerFn fn, std::string description = "custom_regularizer")
      : fn_(std::move(fn)), description_(std::move(description)) {}
  /// A callable taking only the weights.
  template <class F>
    requires(std::is_invocable_r_v<std::optional<Tensor>, const F&, const Tensor&> &&
             !std::is_invocable_v<const F&, Scope&, const Tensor&>)
  Regularizer(F fn, std::string description = "custom_regularizer")
      : Regularizer(RegularizerFn([fn = std::move(fn)](Scope&, const Tensor& w) { return fn(w); }),
                    std::move(description)) {}
  template <class F>
    requires(std::is_invocable_r_v<std::optional<Tensor>, const F&, Scope&, const Tensor&> &&
             !std::is_same_v<std::decay_t<F>, Regularizer> && !std::is_same_v<std::decay_t<F>, RegularizerFn>)
  Regularizer(F fn, std::string description = "custom_regularizer")
      : Regularizer(RegularizerFn(std::move(fn)), std::move(description)) {}

  explicit operator bool() const { return static_cast<bool>(fn_); }
  std::optional<Tensor> operator()(Scope& scope, const Tensor& weights) const { return fn_(scope, weights); }
  const std::string& description() const { return description_; }

private:
  RegularizerFn fn_;
  std::string description_;
};

/// TF's l2_regularizer(scale): scale * sum(w^2) / 2, named "l2_regularizer".
Regularizer l2_regularizer(double scale);
/// TF's l1_regularizer(scale): scale * sum(|w|), named "l1_regularizer".
Regularizer l1_regularizer(double scale);
/// TF's no_regularizer: a regularizer that returns nothing (disables an
/// inherited one).
Regularizer no_regularizer();

/// Everything a getter receives, already resolved (scope defaults applied,
/// trainable resolved, dtype base), as TF passes its keyword arguments.
struct GetterArgs {
  std::string name; // full store name
  std::optional<Shape> shape = {};
  DType dtype = DType::Float32;
  Initializer initializer = {};
  Regularizer regularizer = {};
  ReuseMode reuse = ReuseMode::False;
  bool trainable = true;
  std::optional<std::vector<std::string>> collections = {};
  std::optional<std::string> caching_device = {};
  Partitioner partitioner = {};
  bool validate_shape = true;
  std::optional<bool> use_resource = {};
  Constraint constraint = {};
  VariableSynchronization synchronization = VariableSynchronization::Auto;
  VariableAggregation aggregation = VariableAggregation::None;
  /// A handle at the root name scope of the calling context: ops a getter
  /// creates are named there (TF: "custom_getter/add").
  Scope* scope = nullptr;
};

/// The store's true getter, or the next getter in a chain.
using Getter = Function<Variable(GetterArgs args)>;
/// TF's custom_getter(getter, name, **kwargs).
using CustomGetter = Function<Variable(const Getter& getter, GetterArgs args)>;

/// What a variable creator receives: the keyword arguments TF's
/// get_variable passes to VariableV1 when it creates a variable (after the
/// custom getters, the reuse checks and the initializer checks), in TF's
/// order. A creator may change any of them before calling next_creator.
struct CreatorArgs {
  /// TF's initial_value: the initializer get_variable resolved (argument,
  /// scope, or the dtype's default), called with `shape` and `dtype` when
  /// the variable is made; or a constant value, which gives the variable its
  /// shape and dtype.
  Initializer initial_value = {};
  bool trainable = true;
  /// Unset: GLOBAL_VARIABLES (and TRAINABLE_VARIABLES when trainable).
  std::optional<std::vector<std::string>> collections = {};
  bool validate_shape = true;
  std::optional<std::string> caching_device = {};
  /// The full name ("foo/bar/v"; a shard's is "foo/emb/part_0"). The
  /// variable op is named unique_name(name) at the root, so a creator that
  /// changes it changes Variable::name(); the store still keeps the variable
  /// under get_variable's name, as TF's `_vars[name] = v` does.
  std::string name = {};
  DType dtype = DType::Float32;
  Constraint constraint = {};
  /// Resolved: the argument, the scope's, else the store's default.
  bool use_resource = false;
  VariableSynchronization synchronization = VariableSynchronization::Auto;
  VariableAggregation aggregation = VariableAggregation::None;
  /// The shape `initial_value` is called with (a shard's slice shape);
  /// unset when initializing from a constant value.
  std::optional<Shape> shape = {};
  /// For a shard of a partitioned variable: where it sits (passed on to the
  /// initializer).
  const PartitionInfo* partition_info = nullptr;
};

/// Creates the variable: the enclosing creator, or finally the store.
using NextCreator = Function<Variable(CreatorArgs args)>;
/// TF's variable creator `creator(next_creator, **kwargs)`, installed with
/// Scope::variable_creator_scope / v1::variable_creator_scope. Unlike TF, it
/// must call next_creator exactly once and return that variable (ValueError
/// otherwise): the store keeps one variable per name. Creators run with the
/// store's lock held, like initializers.
using VariableCreator = Function<Variable(const NextCreator& next_creator, CreatorArgs args)>;

namespace detail {
struct VariableScopeData;
struct Access;
} // namespace detail

/// TF's VariableScope object: the name and defaults a variable_scope block
/// established. A handle: copies refer to the same object, so
/// reuse_variables() and the setters are seen by every copy (as in Python),
/// and later scopes entered below it copy its fields when they are entered.
/// Capture one with Scope::get_variable_scope() and re-enter it with
/// Scope::variable_scope(captured).
///
/// Thread-safety: reading is safe; mutate only from one thread at a time.
class VariableScope {
public:
  VariableScope() = default;

  const std::string& name() const;
  /// The name scope this scope opened ("scope1/tower/"), kept on re-entry.
  const std::string& original_name_scope() const;
  ReuseMode reuse() const;
  /// Sets reuse to True; there is no way back (TF).
  void reuse_variables();

  const Initializer& initializer() const;
  const Regularizer& regularizer() const;
  const std::optional<std::string>& caching_device() const;
  const Partitioner& partitioner() const;
  const CustomGetter& custom_getter() const;
  DType dtype() const;
  std::optional<bool> use_resource() const;
  const Constraint& constraint() const;

  void set_initializer(Initializer initializer);
  void set_regularizer(Regularizer regularizer);
  void set_caching_device(std::optional<std::string> device);
  void set_partitioner(Partitioner partitioner);
  /// Replaces (does not chain) the getter.
  void set_custom_getter(CustomGetter getter);
  void set_dtype(DType dtype);
  void set_use_resource(std::optional<bool> use_resource);

  /// Collection items whose name starts with name() + "/" (the prefix is
  /// used as a regular expression, as in TF); the root scope sees all.
  std::vector<Variable> get_collection(std::string_view key) const;
  std::vector<Variable> global_variables() const;
  std::vector<Variable> trainable_variables() const;
  std::vector<Variable> local_variables() const;

  bool defined() const { return static_cast<bool>(data_); }
  friend bool operator==(const VariableScope& a, const VariableScope& b) { return a.data_ == b.data_; }

private:
  friend class Scope;
  friend class Store;
  friend struct detail::Access;
  explicit VariableScope(detail::Ref<detail::VariableScopeData> data) : data_(std::move(data)) {}
  detail::Ref<detail::VariableScopeData> data_;
};

/// Keyword arguments of variable_scope(), in TF's order (designated
/// initializers must follow it): initializer, regularizer, caching_device,
/// partitioner, custom_getter, reuse, dtype, use_resource, constraint,
/// auxiliary_name_scope.
struct VariableScopeOptions {
  Initializer initializer = {};
  Regularizer regularizer = {};
  std::optional<std::string> caching_device = {};
  Partitioner partitioner = {};
  CustomGetter custom_getter = {};
  ReuseArg reuse = {};
  std::optional<DType> dtype = {};
  std::optional<bool> use_resource = {};
  Constraint constraint = {};
  bool auxiliary_name_scope = true;
};

/// Keyword arguments of get_variable() and get_local_variable(), in TF's
/// order: shape, dtype, initializer, regularizer, trainable, collections,
/// caching_device, partitioner, validate_shape, use_resource, custom_getter,
/// constraint, synchronization, aggregation.
struct GetVariableOptions {
  std::optional<Shape> shape = {};
  std::optional<DType> dtype = {};
  Initializer initializer = {};
  Regularizer regularizer = {};
  std::optional<bool> trainable = {};
  std::optional<std::vector<std::string>> collections = {};
  std::optional<std::string> caching_device = {};
  Partitioner partitioner = {};
  bool validate_shape = true;
  std::optional<bool> use_resource = {};
  CustomGetter custom_getter = {};
  Constraint constraint = {};
  VariableSynchronization synchronization = VariableSynchronization::Auto;
  VariableAggregation aggregation = VariableAggregation::None;
};

/// Collection keys (tf.GraphKeys).
namespace GraphKeys {
inline constexpr const char* GLOBAL_VARIABLES = "variables";
inline constexpr const char* LOCAL_VARIABLES = "local_variables";
inline constexpr const char* TRAINABLE_VARIABLES = "trainable_variables";
inline constexpr const char* REGULARIZATION_LOSSES = "regularization_losses";
inline constexpr const char* CONCATENATED_VARIABLES = "concatenated_variables";
} // namespace GraphKeys

} // namespace varscope
