#include <varscope/v1.h>

#include "blocks.h"
#include "guarded.h"
#include "plain.h"

namespace v1 = varscope::v1;

void encoder_block(int units) {
  v1::variable_scope s("encoder");
  v1::get_variable("w", {units});
}

void decoder_block(int units) {
  v1::variable_scope s("decoder");
  v1::get_variable("w", {units});
}

void head(const std::vector<int>& sizes) {
  v1::variable_scope s("head");
  for (int n : sizes) encoder_block(n);
}
