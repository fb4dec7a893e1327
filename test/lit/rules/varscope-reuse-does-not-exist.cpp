// RUN: not %varscope check %s --checks=varscope-reuse-does-not-exist -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void reuseTrueMissing() {
  v1::variable_scope s("enc", {.reuse = true});
  v1::get_variable("w", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'enc/w' does not exist; TF raises: Variable enc/w does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-does-not-exist]
  // CHECK-NOTES: :[[@LINE-3]]:41: note: reuse was turned on here
}

void afterReuseVariables() {
  v1::variable_scope s("dec");
  v1::get_variable("w", {1});
  s->reuse_variables();
  v1::get_variable("w", {1}); // OK: created above
  v1::get_variable("b", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'dec/b' does not exist; {{.*}} [varscope-reuse-does-not-exist]
  // CHECK-NOTES: :[[@LINE-4]]:3: note: reuse was turned on here
}

// reuse is inherited by child scopes, and reuse=false cannot switch it off.
void inherited() {
  v1::variable_scope outer("outer", {.reuse = true});
  v1::variable_scope inner("inner", {.reuse = false});
  v1::get_variable("v", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'outer/inner/v' does not exist; {{.*}} [varscope-reuse-does-not-exist]
  // CHECK-NOTES: :[[@LINE-4]]:47: note: reuse was turned on here
}

void autoReuseCreates() {
  v1::variable_scope s("auto", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("v", {1}); // OK: AUTO_REUSE creates
}

// Re-entering a captured scope keeps its reuse flag.
void capturedReentry() {
  v1::VariableScope captured = v1::get_variable_scope();
  {
    v1::variable_scope s("model");
    v1::get_variable("w", {1});
    s->reuse_variables();
    captured = *s;
  }
  v1::variable_scope again(captured);
  v1::get_variable("w", {1}); // OK: model/w exists
  v1::get_variable("x", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'model/x' does not exist; {{.*}} [varscope-reuse-does-not-exist]
  // CHECK-NOTES: :[[@LINE-7]]:5: note: reuse was turned on here
}

void helper() {
  v1::get_variable("h", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'tower/h' does not exist; {{.*}} [varscope-reuse-does-not-exist]
  // CHECK-NOTES: :[[@LINE+5]]:43: note: reuse was turned on here
  // CHECK-NOTES: :[[@LINE+5]]:3: note: 'helper' called here in variable scope 'tower'
}

void viaHelper() {
  v1::variable_scope s("tower", {.reuse = true});
  helper();
}

void suppressed() {
  v1::variable_scope s("quiet", {.reuse = true});
  v1::get_variable("v", {1}); // NOLINT
}
