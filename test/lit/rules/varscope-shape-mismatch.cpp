// RUN: not %varscope check %s --checks=varscope-shape-mismatch -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void direct() {
  v1::variable_scope s("s", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("w", {2, 3});
  v1::get_variable("w", {3, 4});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 's/w' is reused with shape (3, 4) but was created with shape (2, 3); TF raises: Trying to share variable s/w, but specified shape (3, 4) and found shape (2, 3). [varscope-shape-mismatch]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 's/w' was created here with shape (2, 3)
  v1::get_variable("w");                                      // OK: no shape given
  v1::get_variable("w", {.shape = varscope::Shape{2, 3}});   // OK: same shape
  v1::get_variable("w", {.shape = varscope::Shape{2}});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 's/w' is reused with shape (2,) but was created with shape (2, 3); {{.*}} [varscope-shape-mismatch]
  // CHECK-NOTES: :[[@LINE-8]]:3: note: 's/w' was created here with shape (2, 3)
}

// Context sensitive: the helper's shape depends on its argument.
void dense(int units) {
  v1::variable_scope s("dense", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("kernel", {4, units});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'dense/kernel' is reused with shape (4, 16) but was created with shape (4, 8); TF raises: Trying to share variable dense/kernel, but specified shape (4, 16) and found shape (4, 8). [varscope-shape-mismatch]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'dense/kernel' was created here with shape (4, 8)
  // CHECK-NOTES: :[[@LINE+6]]:3: note: 'dense' called here at the root variable scope
}

int main() {
  dense(8);
  dense(8); // OK: same shape
  dense(16);
}
