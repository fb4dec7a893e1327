// examples/demo.cpp - README: the project's showcase (scripts/demo.sh runs
// build/examples/demo). A TF1-style GAN discriminator written against the
// implicit API (varscope::v1) is applied to real and to fake samples; the
// second call reuses the first call's weights, a third call without reuse
// fails with TensorFlow's own error, and AUTO_REUSE builds an evaluation
// copy that creates nothing. Prints each step, the variables, the model
// summary and the outputs. `--dump DIR` writes the store dump.
#include <iostream>
#include <string>
#include <vector>

#include <varscope/v1.h>

#include "example_main.h"

namespace v1 = varscope::v1;
using varscope::Tensor;
using varscope::Variable;

namespace {

Tensor dense(const Tensor& x, int units, const char* name = nullptr) {
  v1::variable_scope scope(name, "dense");
  Variable w = v1::get_variable("kernel", {x.dim(1), units});
  Variable b = v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
  return v1::bias_add(v1::matmul(x, w), b);
}

Tensor discriminator(const Tensor& x, v1::VariableScopeOptions options = {}) {
  v1::variable_scope scope("discriminator", std::move(options));
  return dense(v1::relu(dense(x, 8)), 1, "logits");
}

Tensor samples(float offset) {
  std::vector<float> values;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j) values.push_back(0.2f * static_cast<float>((3 * i + j) % 5) + offset);
  return Tensor::from_vector(values, {2, 4});
}

void print_variables() {
  for (const Variable& v : v1::global_variables())
    std::cout << "    " << v.name() << "  shape " << v.shape().to_string() << "  " << v.dtype_string() << "  "
              << v.initializer_description() << "\n";
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});
    std::cout << "varscope demo: TF1 variable sharing on the implicit API (varscope::v1)\n\n";

    Tensor real = samples(-0.4f);
    Tensor fake = samples(0.3f);

    std::cout << "1. d_real = discriminator(real)   // variable_scope(\"discriminator\")\n";
    Tensor d_real = discriminator(real);
    std::cout << "   created " << v1::global_variables().size() << " variables (dense helper: default name \"dense\", "
              << "named layer \"logits\"):\n";
    print_variables();

    std::cout << "\n2. d_fake = discriminator(fake, {.reuse = true})\n";
    Tensor d_fake = discriminator(fake, {.reuse = true});
    std::cout << "   variables now: " << v1::global_variables().size() << " (the same weights were reused)\n";

    std::cout << "\n3. discriminator(fake) again without reuse:\n";
    try {
      discriminator(fake);
      std::cout << "   no error (unexpected)\n";
    } catch (const varscope::ValueError& e) {
      std::string message = e.what();
      std::cout << "   ValueError: " << message.substr(0, message.find('\n')) << "\n";
    }

    std::cout << "\n4. d_eval = discriminator(real, {.reuse = v1::AUTO_REUSE})\n";
    Tensor d_eval = discriminator(real, {.reuse = v1::AUTO_REUSE});
    std::cout << "   variables now: " << v1::global_variables().size()
              << "; same output as step 1: " << (d_eval.equals(d_real) ? "yes" : "no") << "\n\n";

    examples::print_summary("demo");
    std::cout << "\n";
    examples::print_tensor("D(real) logits", d_real);
    examples::print_tensor("D(fake) logits", d_fake);
    examples::print_tensor("D(real) probabilities", v1::sigmoid(d_real));
    examples::print_tensor("D(fake) probabilities", v1::sigmoid(d_fake));
    return examples::finish(args);
  });
}
