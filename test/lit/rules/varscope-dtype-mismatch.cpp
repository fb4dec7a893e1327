// RUN: not %varscope check %s --checks=varscope-dtype-mismatch -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main() {
  v1::variable_scope s("s", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("w", {2});
  v1::get_variable("w", {2}, {.dtype = varscope::int32});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 's/w' is reused with dtype int32 but was created with dtype float32; TF raises: Trying to share variable s/w, but specified dtype int32 and found dtype float32_ref. [varscope-dtype-mismatch]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 's/w' was created here with dtype float32
  v1::get_variable("w", {2}, {.dtype = varscope::float32}); // OK
  v1::get_variable("w", {2});                                // OK: no explicit dtype
}
