// examples/cnn/cnn.cpp - README: a CIFAR-10-style CNN (conv, pool, conv,
// pool, fully connected, softmax) with one variable scope per layer
// (conv1/weights, conv2/biases, ...) and a scope-level default: the fully
// connected layers inherit an L2 weight-decay regularizer from their scope.
//
// Python original (TF 1.15, after models/tutorials/image/cifar10):
//   with tf.variable_scope("conv1") as scope:
//     kernel = tf.get_variable("weights", [3, 3, 1, 4], initializer=...)
//     conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], padding="SAME")
//     ...
//   pool1 = tf.nn.max_pool(conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME", name="pool1")
#include <cstdint>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kBatch = 2;
constexpr int kImage = 8;
constexpr int kClasses = 5;

Tensor conv_relu(const Tensor& images, int ksize, int out_channels, const char* name) {
  v1::variable_scope scope(name);
  Variable kernel = v1::get_variable("weights", {ksize, ksize, images.dim(3), out_channels},
                                     {.initializer = v1::truncated_normal_initializer({.stddev = 0.1})});
  Variable biases = v1::get_variable("biases", {out_channels}, {.initializer = v1::constant_initializer(0.1)});
  Tensor conv = v1::conv2d(images, kernel, {.strides = {1, 1, 1, 1}, .padding = "SAME"});
  return v1::relu(v1::bias_add(conv, biases), {.name = scope->name()});
}

Tensor fully_connected(const Tensor& x, int units, const char* name, bool activation = true) {
  v1::variable_scope scope(name);
  Variable weights = v1::get_variable("weights", {x.dim(1), units},
                                      {.initializer = v1::truncated_normal_initializer({.stddev = 0.04})});
  // Decay the weights only: biases opt out of the scope's regularizer.
  Variable biases = v1::get_variable(
      "biases", {units}, {.initializer = v1::constant_initializer(0.1), .regularizer = v1::no_regularizer()});
  Tensor y = v1::bias_add(v1::matmul(x, weights), biases);
  return activation ? v1::relu(y) : y;
}

Tensor inference(const Tensor& images) {
  Tensor conv1 = conv_relu(images, 3, 4, "conv1");
  Tensor pool1 =
      v1::max_pool(conv1, {.ksize = {1, 2, 2, 1}, .strides = {1, 2, 2, 1}, .padding = "SAME", .name = "pool1"});
  Tensor conv2 = conv_relu(pool1, 3, 8, "conv2");
  Tensor pool2 =
      v1::max_pool(conv2, {.ksize = {1, 2, 2, 1}, .strides = {1, 2, 2, 1}, .padding = "SAME", .name = "pool2"});
  Tensor flat = v1::reshape(pool2, {kBatch, -1});

  // Weight decay on the fully connected layers only, as a scope default.
  v1::variable_scope fc("fc", {.regularizer = v1::l2_regularizer(0.004)});
  Tensor local3 = fully_connected(flat, 16, "local3");
  return fully_connected(local3, kClasses, "softmax_linear", /*activation=*/false);
}

Tensor make_images() {
  std::vector<float> pixels;
  for (int n = 0; n < kBatch; ++n)
    for (int y = 0; y < kImage; ++y)
      for (int x = 0; x < kImage; ++x) pixels.push_back(static_cast<float>((x * (n + 1) + 3 * y) % 9) / 8.0f);
  return Tensor::from_vector(pixels, {kBatch, kImage, kImage, 1});
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor images = make_images();
    Tensor labels = Tensor::from_vector<std::int64_t>({1, 3}, {kBatch});
    Tensor logits = inference(images);
    Tensor cross_entropy = v1::reduce_mean(v1::sparse_softmax_cross_entropy_with_logits(labels, logits));

    double weight_decay = 0.0;
    for (const Tensor& loss : v1::get_regularization_losses()) weight_decay += loss.item<float>();

    examples::print_summary("cnn");
    std::cout << "regularization losses: " << v1::get_regularization_losses().size() << "\n";
    examples::print_tensor("logits", logits);
    examples::print_tensor("probabilities", v1::softmax(logits));
    examples::print_scalar("cross entropy", cross_entropy.item<float>());
    examples::print_scalar("weight decay", weight_decay);
    return examples::finish(args);
  });
}
