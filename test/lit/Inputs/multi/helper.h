#pragma once
#include <varscope/v1.h>

inline void dense_block(int units) {
  varscope::v1::get_variable("kernel", {4, units});
  varscope::v1::get_variable("bias", {units});
}
