// examples/gan/gan.cpp - README: a GAN whose discriminator is applied twice,
// to real and to generated samples; the second call passes `{.reuse = true}`
// so both calls share one set of discriminator weights.
//
// Python original (TF 1.15):
//   def discriminator(x, reuse):
//     with tf.variable_scope("discriminator", reuse=reuse):
//       return dense(tf.nn.relu(dense(x, 16)), 1, name="logits")
//   d_real = discriminator(real, reuse=False)
//   d_fake = discriminator(generator(z), reuse=True)
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

constexpr int kBatch = 3;
constexpr int kNoise = 4;
constexpr int kData = 6;
constexpr int kHidden = 16;

Tensor dense(const Tensor& x, int units, const char* name = nullptr) {
  v1::variable_scope scope(name, "dense");
  Variable w = v1::get_variable("kernel", {x.dim(1), units});
  Variable b = v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(x, w), b);
}

Tensor generator(const Tensor& z) {
  v1::variable_scope scope("generator");
  Tensor h = v1::relu(dense(z, kHidden));
  return v1::tanh(dense(h, kData, "output"));
}

Tensor discriminator(const Tensor& x, bool reuse) {
  v1::variable_scope scope("discriminator", {.reuse = reuse});
  return dense(v1::relu(dense(x, kHidden)), 1, "logits");
}

Tensor ramp(int rows, int cols, float scale, float offset) {
  std::vector<float> values;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) values.push_back(scale * static_cast<float>((i * cols + j) % 7) + offset);
  return Tensor::from_vector(values, {rows, cols});
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    Tensor real = ramp(kBatch, kData, 0.25f, -0.75f);
    Tensor z = ramp(kBatch, kNoise, 0.3f, -0.9f);

    Tensor fake = generator(z);
    Tensor d_real = discriminator(real, false);
    Tensor d_fake = discriminator(fake, true);

    Tensor p_real = v1::sigmoid(d_real);
    Tensor p_fake = v1::sigmoid(d_fake);

    examples::print_summary("gan");
    std::cout << "discriminator variables: " << v1::trainable_variables("discriminator").size()
              << "  generator variables: " << v1::trainable_variables("generator").size() << "\n";
    examples::print_tensor("generated samples", fake);
    examples::print_tensor("D(real) logits", d_real);
    examples::print_tensor("D(fake) logits", d_fake);
    examples::print_tensor("D(real) probabilities", p_real);
    examples::print_tensor("D(fake) probabilities", p_fake);
    return examples::finish(args);
  });
}
