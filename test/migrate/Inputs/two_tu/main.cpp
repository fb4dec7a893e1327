// A two-TU v1 program: helpers across TUs, default names, reuse, a captured
// re-entry, a name scope, a lambda, a thread, a virtual call and a template.
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <varscope/dump.h>
#include <varscope/v1.h>

#include "layers.h"

namespace v1 = varscope::v1;
using varscope::Tensor;

namespace {

Tensor input() {
  std::vector<float> values;
  for (int i = 0; i < 8; ++i) values.push_back(0.25f * static_cast<float>(i % 5) - 0.5f);
  return Tensor::from_vector(values, {2, 4});
}

Tensor tower(const Tensor& x) {
  v1::variable_scope scope("tower");
  return dense(v1::tanh(dense(x, 4)), 2, "logits");
}

Tensor apply(const Block& block, const Tensor& x) { return block.build(x); }

void report(const char* label) {
  std::cout << label << ": " << v1::global_variables().size() << " variables\n";
}

} // namespace

int main(int argc, char** argv) {
  v1::reset_default_graph({.seed = 7});
  Tensor x = input();
  Tensor a = encoder(x, false);
  Tensor b = encoder(x, true);
  report("after encoders");

  v1::VariableScope captured;
  {
    v1::variable_scope outer("outer");
    captured = *outer;
    v1::variable_scope inner(nullptr, "bar");
    v1::get_variable("a", {1});
  }
  {
    v1::variable_scope again(captured, {.reuse = v1::AUTO_REUSE});
    v1::get_variable("a", {1});
    v1::get_variable("b", {2});
    again->reuse_variables();
    std::cout << "re-entered " << again->name() << "\n";
  }

  std::vector<Tensor> outs;
  auto run_tower = [&](int i) {
    v1::name_scope ns("t" + std::to_string(i));
    outs.push_back(tower(x));
    v1::get_variable_scope().reuse_variables();
  };
  {
    v1::variable_scope shared("shared");
    for (int i = 0; i < 2; ++i) run_tower(i);
  }

  Tensor threaded;
  std::thread worker([&] {
    v1::variable_scope s(captured, {.reuse = true});
    threaded = v1::add(v1::get_variable("a", {1}).value(), v1::get_variable("b", {2}).value());
  });
  worker.join();

  std::unique_ptr<Block> block = std::make_unique<DenseBlock>(3);
  Tensor c = apply(*block, x);
  report("at the end");
  std::cout << "names: " << a.name() << " " << b.name() << " " << outs[1].name() << " " << c.name() << " "
            << threaded.name() << "\n";

  if (argc == 3 && std::string(argv[1]) == "--dump") varscope::dump_store(v1::get_default_graph(), argv[2]);
  return 0;
}
