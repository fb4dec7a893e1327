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
