// RUN: not %varscope check %s --checks=varscope-unresolved-name -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <cstdlib>
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void layer(const std::string &name) {
  v1::variable_scope s(name);
  v1::get_variable("w", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: cannot resolve the name of this variable statically ('<?>/w'); reuse checks are skipped for it [varscope-unresolved-name]
  // CHECK-NOTES: :[[@LINE+7]]:9: note: the name depends on run-time data: 'std::getenv("LAYER")'
  // CHECK-NOTES: :[[@LINE+6]]:3: note: 'layer' called here at the root variable scope
}

int main(int argc, char **argv) {
  for (int i = 0; i < 2; ++i)
    layer("l" + std::to_string(i)); // OK: known
  layer(std::getenv("LAYER"));
  v1::get_variable(argv[1], {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: cannot resolve the name of this variable statically ('<?>'); reuse checks are skipped for it [varscope-unresolved-name]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: the name depends on run-time data: 'argv[1]'
  std::string prefix = "p";
  v1::get_variable(prefix + "_w", {1}); // OK: a constant local
}

// The shard count of a custom partitioner that reads the shape is not known:
// the shards are not listed, and that is reported. Constant counts are known.
void customPartitioner() {
  v1::get_variable("emb", {8, 4}, {.partitioner = [](const varscope::Shape &s, varscope::DType) {
                     return std::vector<std::int64_t>{s.dims()[0] / 4, 1};
                   }});
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: cannot resolve the partitioning of 'emb' statically (partitioner '[](const varscope::Shape &s, varscope::DType)...'); its shards emb/part_<?> are not listed [varscope-unresolved-name]
  v1::get_variable("fixed", {8, 4}, {.partitioner = [](const varscope::Shape &, varscope::DType) {
                     return std::vector<std::int64_t>{2, 1};
                   }}); // OK: constant counts
}
