// multi_file/src/encoder.cpp - the Encoder's methods: they create (first
// call) or reuse (later calls) variables in the captured scope.
#include "multi_file/encoder.h"

namespace multi_file {

Encoder::Encoder(const std::string& name, int input_dim, int units) : units_(units) {
  v1::variable_scope scope(name);
  scope_ = *scope;
  v1::get_variable("input_projection", {input_dim, units}, {.initializer = v1::orthogonal_initializer(/*gain=*/1.0)});
}

Tensor Encoder::residual_block(const Tensor& x) const {
  v1::variable_scope scope("residual");
  Tensor h = mlp_block(x, {units_, units_}, [](const Tensor& t) { return v1::relu(t); });
  return layer_norm(v1::add(x, h));
}

Tensor Encoder::operator()(const Tensor& x) const {
  v1::variable_scope scope(scope_, {.reuse = v1::AUTO_REUSE});
  Variable projection = v1::get_variable("input_projection");
  Tensor h = v1::matmul(x, projection);
  h = residual_block(h);
  return gated_projection<4>(h, "output");
}

} // namespace multi_file
