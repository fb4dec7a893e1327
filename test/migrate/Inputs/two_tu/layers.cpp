#include "layers.h"

#include <string>

varscope::Tensor dense(const varscope::Tensor& x, int units, const char* name) {
  v1::variable_scope scope(name, "dense");
  v1::Variable w = v1::get_variable("kernel", {x.dim(1), units});
  v1::Variable b = v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(x, w), b);
}

varscope::Tensor DenseBlock::build(const varscope::Tensor& x) const {
  v1::variable_scope s("block");
  return v1::relu(dense(x, units_));
}

varscope::Tensor encoder(const varscope::Tensor& x, bool reuse) {
  v1::variable_scope scope("encoder", {.reuse = reuse});
  varscope::Tensor h = x;
  for (int i = 0; i < 2; ++i) {
    v1::name_scope ns("layer_" + std::to_string(i));
    h = dense(h, 4);
  }
  h = scale(h);
  return projection<3>(h, "proj");
}
