#include "helper.h"

void encoder(); // defined in layers.cpp

int main() {
  encoder();
  {
    varscope::v1::variable_scope scope("decoder");
    dense_block(8);
  }
  encoder(); // builds encoder/kernel a second time
}
