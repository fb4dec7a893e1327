#include <varscope/v1.h>

namespace v1 = varscope::v1;

void tower() {
  v1::get_variable("w", {2, 2});
}

void shared_bias() {
  v1::variable_scope s("bias", {.reuse = true});
  v1::get_variable("b", {2});
}
