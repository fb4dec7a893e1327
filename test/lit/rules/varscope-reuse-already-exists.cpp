// RUN: not %varscope check %s --checks=varscope-reuse-already-exists -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
// The fix (AUTO_REUSE on the guard) is offered only when one statement
// creates the name twice; applied, nothing is left to report there.
// RUN: cp %s %t.cpp && not %varscope check %t.cpp --checks=varscope-reuse-already-exists --format=json -- %cxxflags > %t.json
// RUN: python3 %inputs/apply_fixes.py %t.json && FileCheck %s --check-prefix=CHECK-APPLIED --input-file=%t.cpp
// RUN: not %varscope check %t.cpp --checks=varscope-reuse-already-exists -- %cxxflags \
// RUN:   | FileCheck %s --check-prefix=CHECK-AFTER --implicit-check-not='warning:'
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void dense(const std::string &name) {
  v1::variable_scope scope(name);
  // CHECK-APPLIED: {{^}}  v1::variable_scope scope(name, {.reuse = v1::AUTO_REUSE});{{$}}
  v1::get_variable("w", {2, 2});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'layer/w' already exists; TF raises: Variable layer/w already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'layer/w' was first created here
  // CHECK-NOTES: :[[@LINE+17]]:3: note: 'dense' called here at the root variable scope
  // CHECK-NOTES: :[[@LINE-6]]:22: note: this statement runs more than once under the scope opened here; AUTO_REUSE shares 'layer/w' between the runs
}

void twiceInOneScope() {
  v1::variable_scope scope("foo");
  v1::get_variable("v", {1});
  v1::get_variable("v", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'foo/v' already exists; TF raises: Variable foo/v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 'foo/v' was first created here
  // CHECK-AFTER: :[[@LINE-3]]:3: warning: variable 'foo/v' already exists
  // CHECK-NOTES: :[[@LINE+7]]:3: note: 'twiceInOneScope' called here at the root variable scope
}

int main() {
  dense("layer");
  dense("layer_1"); // OK: another scope
  dense("layer");
  twiceInOneScope();
}

// Reopening a string scope gives the same variable scope: "tower/v" twice.
void towers() {
  {
    v1::variable_scope t("tower");
    v1::get_variable("v", {1});
  }
  {
    v1::variable_scope t("tower");
    v1::get_variable("v", {1});
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: variable 'tower/v' already exists; {{.*}} [varscope-reuse-already-exists]
    // CHECK-NOTES: :[[@LINE-6]]:5: note: 'tower/v' was first created here
    // CHECK-AFTER: :[[@LINE-3]]:5: warning: variable 'tower/v' already exists
  }
}

void autoReuse() {
  v1::variable_scope s("shared", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("v", {1});
  v1::get_variable("v", {1}); // OK: AUTO_REUSE
}

void reuseVariables() {
  v1::variable_scope s("rv");
  v1::get_variable("v", {1});
  s->reuse_variables();
  v1::get_variable("v", {1}); // OK: reuse_variables()
}

void currentScopeReuse() {
  v1::variable_scope s("cur");
  v1::get_variable("v", {1});
  v1::get_variable_scope().reuse_variables();
  v1::get_variable("v", {1}); // OK
}

void branches(bool train) {
  v1::variable_scope s("br");
  if (train)
    v1::get_variable("v", {1});
  else
    v1::get_variable("v", {1}); // OK: the two arms never both run
}

void loops() {
  v1::variable_scope s("loop");
  // CHECK-APPLIED: {{^}}  v1::variable_scope s("loop", {.reuse = v1::AUTO_REUSE});{{$}}
  for (int i = 0; i < 3; ++i)
    v1::get_variable("layer_" + std::to_string(i), {1}); // OK: distinct names
  for (int i = 0; i < 2; ++i) {
    v1::get_variable("same", {1});
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: variable 'loop/same' already exists; {{.*}} [varscope-reuse-already-exists]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: 'loop/same' was first created here
    // CHECK-NOTES: :[[@LINE-8]]:22: note: this statement runs more than once under the scope opened here; AUTO_REUSE shares 'loop/same' between the runs
  }
}

// The option goes in declaration order among designated options; an explicit
// `.reuse = false` is replaced; the qualifier follows the guard's spelling.
void withOptions() {
  v1::variable_scope s("opt", {.initializer = v1::zeros_initializer(), .dtype = varscope::float32});
  // CHECK-APPLIED: {{^}}  v1::variable_scope s("opt", {.initializer = v1::zeros_initializer(), .reuse = v1::AUTO_REUSE, .dtype = varscope::float32});{{$}}
  for (int i = 0; i < 2; ++i)
    v1::get_variable("w", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: variable 'opt/w' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: 'opt/w' was first created here
  // CHECK-NOTES: :[[@LINE-6]]:22: note: this statement runs more than once{{.*}}
}

void withFalse() {
  varscope::v1::variable_scope s("f", {.reuse = false});
  // CHECK-APPLIED: {{^}}  varscope::v1::variable_scope s("f", {.reuse = varscope::v1::AUTO_REUSE});{{$}}
  for (int i = 0; i < 2; ++i)
    v1::get_variable("w", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: variable 'f/w' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-2]]:5: note: 'f/w' was first created here
  // CHECK-NOTES: :[[@LINE-6]]:32: note: this statement runs more than once{{.*}}
}

#define MAKE_BIAS() v1::get_variable("bias", {4})
void inMacro() {
  v1::variable_scope s("macro");
  MAKE_BIAS();
  MAKE_BIAS();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'macro/bias' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 'macro/bias' was first created here
  // CHECK-AFTER: :[[@LINE-3]]:3: warning: variable 'macro/bias' already exists
}

template <int N> void tmpl() {
  v1::get_variable("t", {N});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'tmpl/t' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'tmpl/t' was first created here
  // CHECK-NOTES: :[[@LINE+7]]:3: note: 'tmpl' called here in variable scope 'tmpl'
  // CHECK-AFTER: :[[@LINE-4]]:3: warning: variable 'tmpl/t' already exists
}

void useTemplate() {
  v1::variable_scope s("tmpl");
  tmpl<2>();
  tmpl<2>();
}

void suppressed() {
  v1::variable_scope s("quiet");
  v1::get_variable("v", {1});
  v1::get_variable("v", {1}); // NOLINT(varscope-reuse-already-exists)
  // NOLINTNEXTLINE(varscope-reuse-*)
  v1::get_variable("v", {1});
}
