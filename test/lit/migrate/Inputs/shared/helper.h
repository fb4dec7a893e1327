#pragma once
#include <varscope/v1.h>

inline varscope::Variable kernel(int n) {
  varscope::v1::variable_scope s(nullptr, "dense");
  return varscope::v1::get_variable("kernel", {n});
}
