// examples/lint/reuse_bug.cpp - a model with the reuse mistakes `varscope
// check` finds before anything runs. Not built: scripts/demo.sh analyses it.
//
// Run under the runtime, build_towers() would throw at the second tower:
//   ValueError: Variable tower/dense/kernel already exists, disallowed. ...
#include <string>

#include <varscope/v1.h>

namespace v1 = varscope::v1;

void dense(int in, int out) {
  v1::variable_scope scope("dense");
  v1::get_variable("kernel", {in, out});
  v1::get_variable("bias", {out}, {.initializer = v1::zeros_initializer()});
}

void build_towers() {
  for (int i = 0; i < 2; ++i) {
    v1::variable_scope tower("tower"); // same scope each time, reuse never set
    dense(8, 4);
  }
}

void load_head() {
  v1::variable_scope head("head", {.reuse = true}); // nothing created it
  v1::get_variable("w", {4, 1});
}

int main() {
  build_towers();
  load_head();
}
