#include "mylib.h"

#include <cstdint>
#include <vector>

#include <varscope/v1.h>

namespace v1 = varscope::v1;
using varscope::Tensor;

namespace {

Tensor input(int width) {
  std::vector<float> values;
  for (int i = 0; i < 2 * width; ++i) values.push_back(0.125f * static_cast<float>(i % 7) - 0.375f);
  return Tensor::from_vector(values, {2, width});
}

Tensor dense(const Tensor& x, std::int64_t units) {
  v1::variable_scope s(nullptr, "dense");
  v1::Variable w = v1::get_variable("w", {x.dim(1), units});
  v1::Variable b = v1::get_variable("b", {units}, {.initializer = v1::constant_initializer(0.25)});
  return v1::relu(v1::bias_add(v1::matmul(x, w), b));
}

} // namespace

namespace mylib {

Tensor build_model(int width) {
  v1::variable_scope s("model");
  Tensor h = dense(input(width), width);
  return dense(h, 2);
}

long count_params() {
  long total = 0;
  for (const v1::Variable& v : v1::trainable_variables()) total += v.shape().num_elements();
  return total;
}

} // namespace mylib

extern "C" void mylib_reset(int seed) { v1::reset_default_graph({.seed = static_cast<std::uint64_t>(seed)}); }

extern "C" int mylib_build_head(int classes) {
  v1::variable_scope s("head", {.reuse = v1::AUTO_REUSE});
  v1::Variable w = v1::get_variable("w", {3, classes});
  return static_cast<int>(w.shape().num_elements());
}
