// examples/siamese/siamese.cpp - README: a siamese network: the left tower
// captures its scope object (`VariableScope`), and the right tower re-enters
// that captured scope with `{.reuse = true}`, so both towers share all
// weights; a name-scoped distance head has no variables.
//
// Python original (TF 1.15):
//   with tf.variable_scope("siamese") as scope:
//     left = tower(x_left)
//   with tf.variable_scope(scope, reuse=True):
//     right = tower(x_right)
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kPairs = 3;
constexpr int kFeatures = 6;

Tensor fc(const Tensor& x, int units, const char* name) {
  v1::variable_scope scope(name);
  Variable w = v1::get_variable("weights", {x.dim(1), units}, {.initializer = v1::glorot_normal_initializer()});
  Variable b = v1::get_variable("biases", {units}, {.initializer = v1::constant_initializer(0.01)});
  return v1::bias_add(v1::matmul(x, w), b);
}

/// One tower: two layers and a tanh embedding.
Tensor tower(const Tensor& x) {
  Tensor h = v1::relu(fc(x, 8, "fc1"));
  return v1::tanh(fc(h, 4, "fc2"));
}

Tensor inputs(float phase) {
  std::vector<float> values;
  for (int i = 0; i < kPairs; ++i)
    for (int j = 0; j < kFeatures; ++j)
      values.push_back(static_cast<float>(((i + 1) * (j + 2)) % 5) / 4.0f - phase * static_cast<float>(i));
  return Tensor::from_vector(values, {kPairs, kFeatures});
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor x_left = inputs(0.0f);
    Tensor x_right = inputs(0.25f);

    v1::VariableScope tower_scope;
    Tensor left;
    {
      v1::variable_scope scope("siamese");
      tower_scope = *scope;
      left = tower(x_left);
    }
    Tensor right;
    {
      v1::variable_scope scope(tower_scope, {.reuse = true});
      right = tower(x_right);
    }

    Tensor distance;
    {
      v1::name_scope ns("distance");
      Tensor diff = v1::sub(left, right);
      distance = v1::reduce_sum(v1::mul(diff, diff), {.axis = 1});
    }

    examples::print_summary("siamese");
    std::cout << "captured scope: " << tower_scope.name()
              << "  original name scope: " << tower_scope.original_name_scope() << "\n";
    examples::print_tensor("left embeddings", left);
    examples::print_tensor("right embeddings", right);
    examples::print_tensor("squared distances", distance);
    return examples::finish(args);
  });
}
