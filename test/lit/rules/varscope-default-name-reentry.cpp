// RUN: not %varscope check %s --checks=-*,varscope-default-name-reentry -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void dense() {
  v1::variable_scope scope(nullptr, "dense");
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: default-named variable_scope 'dense' is uniquified to 'dense_1' although the enclosing scope reuses variables (reuse=AUTO_REUSE): the variables under 'auto/dense_1' are created anew, not shared with 'auto/dense'; give the scope an explicit name to share them [varscope-default-name-reentry]
  // CHECK-NOTES: default-name-reentry.cpp:21:46: note: reuse was switched on here
  // CHECK-NOTES: default-name-reentry.cpp:23:3: note: 'dense' called here in variable scope 'auto'
  // CHECK-NOTES: default-name-reentry.cpp:78:3: note: 'autoReuseTwice' called here at the root variable scope
  // CHECK-MESSAGES: :[[@LINE-5]]:22: warning: default-named variable_scope 'dense' is uniquified to 'dense_1' although the enclosing scope reuses variables (reuse=True): the variables under 'tower/dense_1' are looked up and missing, not shared with 'tower/dense'; give the scope an explicit name to share them [varscope-default-name-reentry]
  // CHECK-NOTES: default-name-reentry.cpp:39:3: note: reuse was switched on here
  // CHECK-NOTES: default-name-reentry.cpp:40:3: note: 'dense' called here in variable scope 'tower'
  // CHECK-NOTES: default-name-reentry.cpp:79:3: note: 'reuseTrue' called here at the root variable scope
  v1::get_variable("kernel", {2, 2});
}

void autoReuseTwice() {
  v1::variable_scope outer("auto", {.reuse = v1::AUTO_REUSE});
  dense();
  dense();
}

// A template, run twice under AUTO_REUSE.
template <int Units> void projection() {
  v1::variable_scope scope(nullptr, "proj");
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: default-named variable_scope 'proj' is uniquified to 'proj_1' although the enclosing scope reuses variables (reuse=AUTO_REUSE): the variables under 'heads/proj_1' are created anew, not shared with 'heads/proj'; give the scope an explicit name to share them [varscope-default-name-reentry]
  // CHECK-NOTES: default-name-reentry.cpp:44:47: note: reuse was switched on here
  // CHECK-NOTES: default-name-reentry.cpp:46:3: note: 'projection' called here in variable scope 'heads'
  // CHECK-NOTES: default-name-reentry.cpp:80:3: note: 'templates' called here at the root variable scope
  v1::get_variable("w", {Units});
}

void reuseTrue() {
  v1::variable_scope outer("tower");
  dense();
  outer->reuse_variables();
  dense();
}

void templates() {
  v1::variable_scope outer("heads", {.reuse = v1::AUTO_REUSE});
  projection<4>();
  projection<4>();
}

// Without reuse, dense and dense_1 are what the author wants.
void noReuse() {
  v1::variable_scope outer("plain");
  dense(); // OK
  dense(); // OK
}

// An explicit name shares the variables.
void named() {
  v1::variable_scope outer("named", {.reuse = v1::AUTO_REUSE});
  for (int i = 0; i < 2; ++i) {
    v1::variable_scope layer("dense"); // OK
    v1::get_variable("kernel", {2, 2});
  }
}

// Re-entering the captured scope restores the counters: dense again.
void captured() {
  v1::VariableScope saved = v1::get_variable_scope();
  {
    v1::variable_scope outer("cap");
    saved = *outer;
    dense(); // OK
  }
  v1::variable_scope again(saved, {.reuse = true});
  dense(); // OK: 'cap/dense' again
}

int main() {
  autoReuseTwice();
  reuseTrue();
  templates();
  noReuse();
  named();
  captured();
}
