// multi_file/src/layers.cpp - definitions of the layer functions.
#include "multi_file/layers.h"

namespace multi_file {

Tensor dense(const Tensor& x, int units, const char* name) {
  v1::variable_scope scope(name, "dense");
  Variable kernel = v1::get_variable("kernel", {x.dim(1), units});
  Variable bias = v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(x, kernel), bias);
}

Tensor layer_norm(const Tensor& x, const char* name) {
  v1::variable_scope scope(name);
  Variable gamma = v1::get_variable("gamma", {x.dim(-1)}, {.initializer = v1::ones_initializer()});
  Variable beta = v1::get_variable("beta", {x.dim(-1)}, {.initializer = v1::zeros_initializer()});
  return v1::layer_norm(x, gamma, beta, {.epsilon = 1e-6});
}

} // namespace multi_file
