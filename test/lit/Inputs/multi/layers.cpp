#include "helper.h"

void encoder() {
  varscope::v1::variable_scope scope("encoder");
  dense_block(16);
}
