// runtime/src/variable_store.cpp - TF's _VariableStore.get_variable pipeline
// (tf-semantics.md §5.3, §5.4, §6): the true getter, single and partitioned
// variables, with TensorFlow's checks in TensorFlow's order.
#include <memory>
#include <algorithm>
#include <cassert>
#include <mutex>
#include <string>

#include "internal.h"
#include "varscope/errors.h"
#include "varscope/scope.h"

namespace varscope {

using detail::Access;
using detail::PartitionedNode;
using detail::VariableNode;

namespace {

bool is_lower(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool has_key(const std::optional<std::vector<std::string>>& keys, std::string_view key) {
  return keys && std::find(keys->begin(), keys->end(), key) != keys->end();
}

std::string found_dtype_string(const VariableNode& node) {
  std::string s(dtype_name(node.value.dtype()));
  if (!node.use_resource) s += "_ref";
  return s;
}

/// Slices `value` (the full tensor) to one shard.
Tensor slice_tensor(const Tensor& value, const SliceSpec& spec) {
  Tensor out(value.dtype(), spec.shape);
  const Shape& full = value.shape();
  int rank = full.rank();
  // Row-major copy: iterate over the shard's elements.
  std::int64_t n = out.num_elements();
  std::vector<std::int64_t> index(static_cast<std::size_t>(rank), 0);
  std::size_t elem = dtype_size(value.dtype());
  const auto* src = static_cast<const unsigned char*>(value.raw_data());
  auto* dst = static_cast<unsigned char*>(out.raw_data());
  for (std::int64_t i = 0; i < n; ++i) {
    std::int64_t flat = 0;
    for (int d = 0; d < rank; ++d) flat = flat * full[d] + spec.offset[static_cast<std::size_t>(d)] + index[static_cast<std::size_t>(d)];
    if (value.dtype() == DType::String) {
      static_cast<std::string*>(out.raw_data())[i] = static_cast<const std::string*>(value.raw_data())[flat];
    } else {
      std::copy_n(src + flat * static_cast<std::int64_t>(elem), elem, dst + i * static_cast<std::int64_t>(elem));
    }
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[static_cast<std::size_t>(d)] < spec.shape[d]) break;
      index[static_cast<std::size_t>(d)] = 0;
    }
  }
  return out;
}

std::vector<std::int64_t> call_partitioner(const Partitioner& partitioner, const std::optional<Shape>& shape,
                                           DType dtype) {
  if (!shape || !shape->is_fully_defined())
    throw ValueError("Shape of a new partitioned variable must be fully defined, but instead was " +
                     shape_string(shape ? &*shape : nullptr) + ".");
  if (shape->rank() < 1)
    throw ValueError("A partitioned Variable must have rank at least 1, shape: " + shape->to_string());
  std::vector<std::int64_t> slicing = partitioner(*shape, dtype);
  if (static_cast<int>(slicing.size()) != shape->rank())
    throw ValueError("Partitioner returned a partition list that does not match the Variable's rank: " +
                     detail::format_int_list(slicing) + " vs. " + shape->to_string());
  if (std::any_of(slicing.begin(), slicing.end(), [](std::int64_t p) { return p < 1; }))
    throw ValueError("Partitioner returned zero partitions for some axes: " + detail::format_int_list(slicing));
  if (std::count_if(slicing.begin(), slicing.end(), [](std::int64_t p) { return p > 1; }) > 1)
    throw ValueError("Can only slice a variable along one dimension: shape: " + shape->to_string() +
                     ", partitioning: " + detail::format_int_list(slicing));
  return slicing;
}

} // namespace

namespace detail {

std::string format_int_list(const std::vector<std::int64_t>& values) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(values[i]);
  }
  return s + "]";
}

/// The creation half of the store, with `Store::Impl::mu` held.
class VariableStoreOps {
public:
  VariableStoreOps(Store& store, Store::Impl& impl, const CreatorNode* creators)
      : store_(store), impl_(impl), creators_(creators) {}

  Variable true_getter(const VariableRequest& args) {
    bool is_scalar = args.shape && args.shape->rank() == 0;
    if (args.partitioner && !is_scalar) return partitioned(args);
    if (args.reuse == ReuseMode::True && !args.partitioner && !impl_.pvars.empty() && impl_.pvars.count(args.name))
      return partitioned(args);
    if (!impl_.part0_bases.empty() && impl_.part0_bases.count(args.name))
      throw ValueError("No partitioner was provided, but a partitioned version of the variable was found: " +
                       std::string(args.name) +
                       "/part_0. Perhaps a variable of the same name was already created with partitioning?");
    return Access::variable(single(args, args.name, args.shape, args.initializer, nullptr, args.name));
  }

private:
  /// `init_name`: the name initializers are keyed by (for a shard, the
  /// partitioned variable's).
  VariableNode* single(const VariableRequest& args, std::string_view name, const std::optional<Shape>& shape,
                       const Initializer& initializer, const PartitionInfo* partition_info,
                       std::string_view init_name) {
    bool from_value = initializer.is_constant();
    if (shape && from_value) throw ValueError("If initializer is a constant, do not specify shape.");

    if (VariableNode* existing = impl_.vars.find(name)) {
      VariableNode& found = *existing;
      if (args.reuse == ReuseMode::False)
        throw ValueError("Variable " + std::string(name) +
                         " already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in "
                         "VarScope?");
      if (shape && !shape->is_compatible_with(found.value.shape()))
        throw ValueError("Trying to share variable " + std::string(name) + ", but specified shape " + shape->to_string() +
                         " and found shape " + found.value.shape().to_string() + ".");
      if (args.dtype != found.value.dtype())
        throw ValueError("Trying to share variable " + std::string(name) + ", but specified dtype " +
                         std::string(dtype_name(args.dtype)) + " and found dtype " + found_dtype_string(found) + ".");
      return &found;
    }
    if (args.reuse == ReuseMode::True)
      throw ValueError("Variable " + std::string(name) +
                       " does not exist, or was not created with tf.get_variable(). Did you mean to set "
                       "reuse=tf.AUTO_REUSE in VarScope?");

    // Creation. TF checks the initializer before building the variable
    // (and so before any variable creator runs).
    const Initializer& init = initializer ? initializer : default_initializer_for(args.dtype);
    if (!init.is_constant() && (!shape || !shape->is_fully_defined())) throw invalid_initializer();
    VariableNode* node;
    if (!live_creators()) {
      node = &create(NewVariable{name, init, shape, args.dtype, args.trainable, args.collections, args.caching_device,
                                 args.constraint, args.use_resource.value_or(impl_.options.use_resource),
                                 args.synchronization, args.aggregation, partition_info},
                     init_name, /*keyed=*/true);
    } else {
      node = create_through_creators(args, name, init, shape, partition_info, init_name);
    }
    impl_.vars.insert(node);
    constexpr std::string_view kPart0 = "/part_0";
    if (name.size() > kPart0.size() && std::string_view(name).substr(name.size() - kPart0.size()) == kPart0)
      impl_.part0_bases.emplace(std::string(name.substr(0, name.size() - kPart0.size())), 1);

    // Regularizer (§9): once per created variable, named under
    // "<name>/Regularizer/".
    if (args.regularizer) {
      auto root_object = make_ref<VariableScopeData>();
      root_object->store = &store_;
      Scope scope = Access::make_scope(&store_, make_ref<Context>(), Access::scope(std::move(root_object)),
                                       std::string(name) + "/Regularizer");
      std::optional<Tensor> loss = args.regularizer(scope, node->value);
      if (loss) {
        Tensor named = *loss;
        if (named.name().empty()) named.set_name(scope.unique_name("Regularizer_loss") + ":0");
        impl_.add_tensor(GraphKeys::REGULARIZATION_LOSSES, std::move(named));
      }
    }
    return node;
  }

  static ValueError invalid_initializer() {
    return ValueError("The initializer passed is not valid. It should be a callable with no arguments and the "
                      "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
                      "should be fully defined.");
  }

  /// What the store's own creator needs, as views of the caller's values.
  struct NewVariable {
    std::string_view name;
    const Initializer& initial_value;
    const std::optional<Shape>& shape;
    DType dtype;
    bool trainable;
    const std::optional<std::vector<std::string>>& collections;
    const std::optional<std::string>& caching_device;
    const Constraint& constraint;
    bool use_resource;
    VariableSynchronization synchronization;
    VariableAggregation aggregation;
    const PartitionInfo* partition_info;
  };

  /// TF's default variable creator: builds the variable (initial value, op
  /// name, collections). A `keyed` variable is about to be indexed under
  /// its own name, which lets its op name be recorded implicitly. Otherwise
  /// (inside a creator chain) the op name is registered, the node keeps it
  /// as its store name and stays pending, and `pending_keys` receives its
  /// collections, until the chain returns it.
  VariableNode& create(const NewVariable& v, std::string_view init_name, bool keyed,
                       std::vector<std::string>* pending_keys = nullptr) {
    Tensor value;
    DType dtype = v.dtype;
    const Initializer& init = v.initial_value ? v.initial_value : default_initializer_for(dtype);
    if (init.is_constant()) {
      value = init.constant().clone();
      dtype = value.dtype();
    } else {
      if (!v.shape || !v.shape->is_fully_defined()) throw invalid_initializer();
      InitContext ctx{.name = init_name, .graph_seed = impl_.options.seed, .partition_info = v.partition_info};
      value = init(*v.shape, dtype, ctx);
    }

    // The variable op is created by name_scope(full name) at the root.
    std::string_view name = v.name;
    validate_scope_name(name, /*at_root=*/true);
    VariableNode& node = impl_.nodes.emplace_back();
    node.store = &store_;
    node.value = std::move(value);
    node.initializer_description = impl_.intern(init.description());
    node.trainable = v.trainable;
    node.use_resource = v.use_resource;
    node.synchronization = v.synchronization;
    node.aggregation = v.aggregation;
    // The op name is unique_name(name) at the root (§5.6). The common case,
    // an unused all-lower-case name, is recorded implicitly by `vars`.
    std::string op_name = keyed && impl_.use_count(name) == 0 && is_lower(name)
                              ? std::string(name)
                              : impl_.unique_name(name, /*mark_as_used=*/true);
    bool renamed = keyed && op_name != name;
    node.store_name = keyed ? std::string(name) : std::move(op_name);
    if (renamed || v.caching_device || v.constraint) {
      node.extras = std::make_unique<VariableExtras>();
      if (renamed) node.extras->op_name = std::move(op_name);
      if (v.caching_device) node.extras->caching_device = *v.caching_device;
      node.extras->constraint = v.constraint;
    }

    // Collections (§5.5).
    std::vector<std::string> keys =
        v.collections ? *v.collections : std::vector<std::string>{GraphKeys::GLOBAL_VARIABLES};
    if (v.trainable && !has_key(keys, GraphKeys::TRAINABLE_VARIABLES)) keys.emplace_back(GraphKeys::TRAINABLE_VARIABLES);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keyed) {
      for (const std::string& key : keys) impl_.add_item(key, Store::Impl::Item::of(&node));
    } else {
      node.pending = true;
      ++impl_.pending_nodes;
      *pending_keys = std::move(keys);
    }
    return node;
  }

  bool live_creators() const {
    for (const CreatorNode* c = creators_; c; c = c->outer.get())
      if (!c->dead) return true;
    return false;
  }

  /// TF's VariableV1 call through the creator stack (§8): the innermost
  /// creator runs first; its next_creator runs the enclosing one, and the
  /// last runs the store's own creator. The chain must return the variable
  /// the store's creator made, made once; it is then keyed under `name`
  /// and enters its collections. If the chain fails, that variable stays
  /// pending (its op name stays taken, as TF's op stays in the graph).
  VariableNode* create_through_creators(const VariableRequest& args, std::string_view name, const Initializer& init,
                                        const std::optional<Shape>& shape, const PartitionInfo* partition_info,
                                        std::string_view init_name) {
    CreatorArgs first{.initial_value = init,
                      .trainable = args.trainable,
                      .collections = args.collections,
                      .validate_shape = args.validate_shape,
                      .caching_device = args.caching_device,
                      .name = std::string(name),
                      .dtype = args.dtype,
                      .constraint = args.constraint,
                      .use_resource = args.use_resource.value_or(impl_.options.use_resource),
                      .synchronization = args.synchronization,
                      .aggregation = args.aggregation,
                      .shape = init.is_constant() ? std::nullopt : shape,
                      .partition_info = partition_info};
    VariableNode* made = nullptr;
    std::vector<std::string> keys;
    NextCreator next = [this, &made, &keys, name, init_name](CreatorArgs a) -> Variable {
      if (made)
        throw ValueError("The variable creator for " + std::string(name) +
                         " called next_creator more than once; a creator must create exactly one variable");
      made = &create(NewVariable{a.name, a.initial_value, a.shape, a.dtype, a.trainable, a.collections,
                                 a.caching_device, a.constraint, a.use_resource, a.synchronization, a.aggregation,
                                 a.partition_info},
                     init_name, /*keyed=*/false, &keys);
      return Access::variable(made);
    };
    std::vector<const CreatorNode*> stack; // innermost first
    for (const CreatorNode* c = creators_; c; c = c->outer.get())
      if (!c->dead) stack.push_back(c);
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      const VariableCreator& creator = (*it)->creator;
      next = [&creator, enclosing = std::move(next)](CreatorArgs a) { return creator(enclosing, std::move(a)); };
    }
    Variable result = next(std::move(first));

    VariableNode* node = Access::node(result);
    if (!node || node != made)
      throw ValueError("The variable creator for " + std::string(name) +
                       " must return the variable its next_creator created");
    if (impl_.vars.find(name))
      throw ValueError("Variable " + std::string(name) + " was created by a variable creator while being created");
    node->pending = false;
    --impl_.pending_nodes;
    if (node->store_name != name) {
      // The creator renamed it: the op keeps the new name, the store the key.
      if (!node->extras) node->extras = std::make_unique<VariableExtras>();
      node->extras->op_name = std::move(node->store_name);
      node->store_name = std::string(name);
    }
    for (const std::string& key : keys) impl_.add_item(key, Store::Impl::Item::of(node));
    return node;
  }

  static const Initializer& default_initializer_for(DType dtype) {
    // One per dtype, built once (thread-safe static initialization).
    static const std::vector<Initializer> defaults = [] {
      std::vector<Initializer> all;
      for (int d = 0; d <= static_cast<int>(DType::String); ++d) all.push_back(default_initializer(static_cast<DType>(d)));
      return all;
    }();
    return defaults[static_cast<std::size_t>(dtype)];
  }

  Variable partitioned(const VariableRequest& args) {
    const std::string name(args.name);
    bool from_tensor = args.initializer.is_constant();
    if (impl_.vars.count(name))
      throw ValueError("A partitioner was provided, but an unpartitioned version of the variable was found: " + name +
                       ".  Perhaps a variable of the same name was already created without partitioning?");
    std::optional<Shape> shape = args.shape;
    DType dtype = args.dtype;
    if (from_tensor) {
      const Tensor& init = args.initializer.constant();
      if (shape && !shape->is_compatible_with(init.shape()))
        throw ValueError("Shapes " + shape->to_string() + " and " + init.shape().to_string() +
                         " are not compatible");
      shape = init.shape();
      dtype = init.dtype();
    }
    std::optional<std::vector<std::int64_t>> partitions;
    if (args.reuse != ReuseMode::True || args.partitioner)
      partitions = call_partitioner(args.partitioner, shape, dtype);

    if (auto it = impl_.pvars.find(name); it != impl_.pvars.end()) {
      PartitionedNode& found = *it->second;
      if (args.reuse == ReuseMode::False)
        throw ValueError("Partitioned variable with name " + name +
                         " already exists. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?");
      if (shape && !shape->is_compatible_with(found.shape))
        throw ValueError("Trying to reuse partitioned variable " + name + ", but specified shape " +
                         shape->to_string() + " and found shape " + found.shape.to_string() + ".");
      if (dtype != found.dtype)
        throw ValueError("Trying to reuse partitioned variable " + name + ", but specified dtype " +
                         std::string(dtype_name(dtype)) + " and found dtype " + std::string(dtype_name(found.dtype)) +
                         ".");
      if (partitions && *partitions != found.partitions)
        throw ValueError("Trying to reuse partitioned variable " + name + ", but specified partitions " +
                         detail::format_int_list(*partitions) + " and found partitions " +
                         detail::format_int_list(found.partitions) + ".");
      return Access::variable(&found);
    }
    if (args.reuse == ReuseMode::True)
      throw ValueError("PartitionedVariable " + name +
                       " does not exist, or was not created with tf.get_variable(). Did you mean to set "
                       "reuse=False or reuse=tf.AUTO_REUSE in VarScope?");
    assert(partitions && "a new partitioned variable always calls its partitioner");

    int slice_dim = 0;
    std::int64_t num_slices = 1;
    for (std::size_t i = 0; i < partitions->size(); ++i) {
      if ((*partitions)[i] > 1) {
        slice_dim = static_cast<int>(i);
        num_slices = (*partitions)[i];
        break;
      }
    }
    if (impl_.vars.count(name + "/part_0")) {
      if (!impl_.vars.count(name + "/part_" + std::to_string(num_slices - 1)))
        throw ValueError("Partitioner returned a different partitioning than what was already found.  Partitioner "
                         "returned " +
                         std::to_string(num_slices) + " shards, and shard " + name + "/part_0 was found, but " + name +
                         "/part_" + std::to_string(num_slices - 1) + " was not.");
      if (impl_.vars.count(name + "/part_" + std::to_string(num_slices)))
        throw ValueError("Partitioner returned a different partitioning than what was already found.  Partitioner "
                         "returned " +
                         std::to_string(num_slices) + " shards, and shard " + name + "/part_0 was found, but so was "
                         "the extra shard " + name + "/part_" + std::to_string(num_slices) + ".");
    }

    std::vector<SliceSpec> slices = compute_slices(*shape, *partitions);
    std::vector<VariableNode*> shards;
    shards.reserve(slices.size());
    for (std::size_t i = 0; i < slices.size(); ++i) {
      const SliceSpec& slice = slices[i];
      PartitionInfo info(*shape, slice.offset);
      std::string shard_name = name + "/part_" + std::to_string(i);
      VariableNode* shard;
      if (from_tensor) {
        Initializer sliced(slice_tensor(args.initializer.constant(), slice));
        VariableRequest shard_args = args;
        shard_args.dtype = dtype;
        shard = single(shard_args, shard_name, std::nullopt, sliced, &info, name);
      } else {
        shard = single(args, shard_name, slice.shape, args.initializer, &info, name);
      }
      if (!shard->extras) shard->extras = std::make_unique<VariableExtras>();
      shard->extras->save_slice_info = std::make_unique<SaveSliceInfo>(
          SaveSliceInfo{.full_name = name, .full_shape = *shape, .var_offset = slice.offset, .var_shape = slice.shape});
      shards.push_back(shard);
    }

    PartitionedNode& node = impl_.pnodes.emplace_back();
    node.store = &store_;
    node.name = name;
    node.shape = *shape;
    node.dtype = dtype;
    node.shards = std::move(shards);
    node.partitions = *partitions;
    node.slice_dim = slice_dim;
    impl_.pvars.emplace(node.name, &node);
    return Access::variable(&node);
  }

  Store& store_;
  Store::Impl& impl_;
  const CreatorNode* creators_;
};

} // namespace detail

Variable Store::get_variable(GetterArgs args) {
  return Access::get_variable(*this, detail::VariableRequest::of(args), nullptr);
}

Variable detail::Access::get_variable(Store& store, const VariableRequest& args, const CreatorNode* creators) {
  Store::Impl& impl = *store.impl_;
  std::lock_guard<std::recursive_mutex> lock(impl.mu);
  detail::VariableStoreOps ops(store, impl, creators);
  return ops.true_getter(args);
}

} // namespace varscope
