#include "helper.h"
void encoder() {
  varscope::v1::variable_scope s("encoder");
  kernel(4);
}
