// multi_file/layers.h - the layer library of the multi-file example:
// functions defined in src/layers.cpp, and a function template defined here
// (so it is instantiated in every file that uses it).
#pragma once

#include <initializer_list>

#include <varscope/v1.h>

namespace multi_file {

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

/// x @ kernel + bias in `variable_scope(name, "dense")`.
Tensor dense(const Tensor& x, int units, const char* name = nullptr);

/// Layer norm with gamma/beta in `variable_scope(name)`.
Tensor layer_norm(const Tensor& x, const char* name = "layer_norm");

/// A stack of dense layers with one activation, in `variable_scope(name,
/// "mlp")`: the layers are "<scope>/dense", "<scope>/dense_1", ...
template <class Activation>
Tensor mlp_block(const Tensor& x, std::initializer_list<int> units, Activation activation, const char* name = nullptr) {
  v1::variable_scope scope(name, "mlp");
  Tensor h = x;
  for (int n : units) h = activation(dense(h, n));
  return h;
}

/// A gated projection whose width is a template argument: "<name>/gate" and
/// "<name>/value".
template <int Units> Tensor gated_projection(const Tensor& x, const char* name) {
  v1::variable_scope scope(name);
  Tensor gate = v1::sigmoid(dense(x, Units, "gate"));
  return v1::mul(gate, dense(x, Units, "value"));
}

} // namespace multi_file
