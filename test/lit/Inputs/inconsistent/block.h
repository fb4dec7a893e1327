#pragma once
#include <varscope/v1.h>

inline void block() {
  varscope::v1::variable_scope s("block");
#ifdef WIDE
  varscope::v1::get_variable("w", {8});
#else
  varscope::v1::get_variable("w", {4});
#endif
}

inline void same_everywhere() { varscope::v1::get_variable("b", {4}); }
