// examples/multi_file/main.cpp - README: a model spread over several files:
// declarations in include/multi_file/*.h, definitions in src/*.cpp, function
// templates instantiated from two files (mlp_block, gated_projection<4>), a
// lambda that creates variables, and a class (Encoder) whose constructor
// captures its scope and whose methods re-enter it with AUTO_REUSE.
#include <vector>

#include "example_main.h"
#include "multi_file/model.h"

namespace v1 = varscope::v1;
using varscope::Tensor;

namespace {

Tensor features(int rows, int cols, int salt) {
  std::vector<float> values;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) values.push_back(static_cast<float>((i * 5 + j * 3 + salt) % 7) / 3.0f - 1.0f);
  return Tensor::from_vector(values, {rows, cols});
}

} // namespace

int main(int argc, char** argv) {
  const examples::Args args = examples::parse_args(argc, argv);
  return examples::run([&] {
    v1::reset_default_graph({.seed = 42});

    // Document row 1 equals query row 0, so one Encoder (shared weights)
    // gives both the same encoding.
    multi_file::ModelOutput out = multi_file::build_model(features(3, 5, 0), features(3, 5, 2));

    examples::print_summary("multi_file");
    examples::print_tensor("query encoding", out.query_encoding);
    examples::print_tensor("document encoding", out.document_encoding);
    examples::print_tensor("scores", out.scores);
    return examples::finish(args);
  });
}
