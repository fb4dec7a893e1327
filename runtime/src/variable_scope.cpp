// runtime/src/variable_scope.cpp - TF's VariableScope object and the
// built-in regularizers.
#include "varscope/variable_scope.h"

#include <cmath>

#include "internal.h"
#include "varscope/scope.h"
#include "varscope/store.h"

namespace varscope {

namespace {
const std::string kEmpty;
}

const std::string& VariableScope::name() const { return data_ ? data_->name : kEmpty; }
const std::string& VariableScope::original_name_scope() const { return data_ ? data_->original_name_scope : kEmpty; }
ReuseMode VariableScope::reuse() const { return data_ ? data_->reuse : ReuseMode::False; }
void VariableScope::reuse_variables() { data_->reuse = ReuseMode::True; }

const Initializer& VariableScope::initializer() const { return data_->get_defaults().initializer; }
const Regularizer& VariableScope::regularizer() const { return data_->get_defaults().regularizer; }
const std::optional<std::string>& VariableScope::caching_device() const {
  return data_->get_defaults().caching_device;
}
const Partitioner& VariableScope::partitioner() const { return data_->get_defaults().partitioner; }
const CustomGetter& VariableScope::custom_getter() const { return data_->get_defaults().custom_getter; }
DType VariableScope::dtype() const { return data_->dtype; }
std::optional<bool> VariableScope::use_resource() const { return data_->use_resource; }
const Constraint& VariableScope::constraint() const { return data_->constraint; }

void VariableScope::set_initializer(Initializer initializer) {
  data_->mutable_defaults().initializer = std::move(initializer);
}
void VariableScope::set_regularizer(Regularizer regularizer) {
  data_->mutable_defaults().regularizer = std::move(regularizer);
}
void VariableScope::set_caching_device(std::optional<std::string> device) {
  data_->mutable_defaults().caching_device = std::move(device);
}
void VariableScope::set_partitioner(Partitioner partitioner) {
  data_->mutable_defaults().partitioner = std::move(partitioner);
}
void VariableScope::set_custom_getter(CustomGetter getter) {
  data_->mutable_defaults().custom_getter = std::move(getter);
}
void VariableScope::set_dtype(DType dtype) { data_->dtype = dtype; }
void VariableScope::set_use_resource(std::optional<bool> use_resource) { data_->use_resource = use_resource; }

std::vector<Variable> VariableScope::get_collection(std::string_view key) const {
  std::string prefix = name().empty() ? std::string() : name() + "/";
  return data_->store->get_collection_variables(key, prefix);
}
std::vector<Variable> VariableScope::global_variables() const { return get_collection(GraphKeys::GLOBAL_VARIABLES); }
std::vector<Variable> VariableScope::trainable_variables() const {
  return get_collection(GraphKeys::TRAINABLE_VARIABLES);
}
std::vector<Variable> VariableScope::local_variables() const { return get_collection(GraphKeys::LOCAL_VARIABLES); }

// -- Regularizers --------------------------------------------------------------

namespace {

/// sum(f(w)) over the weights, accumulated in double.
template <class F> double reduce_weights(const Tensor& w, F f) {
  double sum = 0;
  for (std::int64_t i = 0; i < w.num_elements(); ++i) sum += f(w.element_as_double(i));
  return sum;
}

Tensor scalar_like(const Tensor& w, double value) {
  if (w.dtype() == DType::Float64) return Tensor::scalar<double>(value);
  return Tensor::from_floats(w.dtype(), {static_cast<float>(value)}, Shape{});
}

Regularizer norm_regularizer(const char* op, double scale, double (*f)(double), double factor) {
  if (scale < 0) throw ValueError("Setting a scale less than 0 on a regularizer: " + std::to_string(scale));
  if (scale == 0) return no_regularizer();
  return Regularizer(
      [op, scale, f, factor](Scope& scope, const Tensor& w) -> std::optional<Tensor> {
        if (!is_floating(w.dtype())) throw TypeError(std::string(op) + ": weights must be floating point");
        Tensor loss = scalar_like(w, scale * factor * reduce_weights(w, f));
        loss.set_name(scope.unique_name(op) + ":0");
        return loss;
      },
      std::string(op) + "(" + std::to_string(scale) + ")");
}

} // namespace

Regularizer l2_regularizer(double scale) {
  return norm_regularizer("l2_regularizer", scale, [](double x) { return x * x; }, 0.5);
}
Regularizer l1_regularizer(double scale) {
  return norm_regularizer("l1_regularizer", scale, [](double x) { return std::fabs(x); }, 1.0);
}
Regularizer no_regularizer() {
  return Regularizer([](Scope&, const Tensor&) -> std::optional<Tensor> { return std::nullopt; }, "no_regularizer");
}

} // namespace varscope
