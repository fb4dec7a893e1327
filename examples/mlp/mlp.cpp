// examples/mlp/mlp.cpp - README: an MLP classifier whose `dense` helper opens
// `variable_scope(name, "dense")`, so unnamed layers get TF's uniquified
// default names (dense, dense_1) and a named layer keeps its name (logits).
//
// Python original (TF 1.15):
//   def dense(x, units, name=None):
//     with tf.variable_scope(name, default_name="dense"):
//       w = tf.get_variable("kernel", [x.shape[1], units])
//       b = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
//       return tf.nn.bias_add(tf.matmul(x, w), b)
#include <cstdint>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kBatch = 4;
constexpr int kFeatures = 5;
constexpr int kHidden = 8;
constexpr int kClasses = 3;

Tensor dense(const Tensor& x, int units, const char* name = nullptr) {
  v1::variable_scope scope(name, "dense");
  Variable w = v1::get_variable("kernel", {x.dim(1), units});
  Variable b = v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(x, w), b);
}

Tensor mlp(const Tensor& x) {
  Tensor h1 = v1::relu(dense(x, kHidden));  // dense/
  Tensor h2 = v1::relu(dense(h1, kHidden)); // dense_1/
  return dense(h2, kClasses, "logits");     // logits/
}

Tensor make_inputs() {
  std::vector<float> values;
  for (int i = 0; i < kBatch; ++i)
    for (int j = 0; j < kFeatures; ++j) values.push_back(static_cast<float>((i * 7 + j * 3) % 11) / 10.0f - 0.5f);
  return Tensor::from_vector(values, {kBatch, kFeatures});
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor x = make_inputs();
    Tensor labels = Tensor::from_vector<std::int32_t>({0, 2, 1, 2}, {kBatch});

    Tensor logits = mlp(x);
    Tensor probabilities = v1::softmax(logits);
    Tensor predictions = v1::argmax(logits, {.axis = 1});
    Tensor loss = v1::reduce_mean(v1::sparse_softmax_cross_entropy_with_logits(labels, logits));

    examples::print_summary("mlp");
    examples::print_tensor("inputs", x);
    examples::print_tensor("logits", logits);
    examples::print_tensor("probabilities", probabilities);
    examples::print_tensor("predictions", predictions);
    examples::print_scalar("loss", loss.item<float>());
    return examples::finish(args);
  });
}
