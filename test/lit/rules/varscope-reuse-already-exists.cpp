// RUN: not %varscope check %s --checks=varscope-reuse-already-exists -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void dense(const std::string &name) {
  v1::variable_scope scope(name);
  v1::get_variable("w", {2, 2});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'layer/w' already exists; TF raises: Variable layer/w already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'layer/w' was first created here
  // CHECK-NOTES: :[[@LINE+15]]:3: note: 'dense' called here at the root variable scope
}

void twiceInOneScope() {
  v1::variable_scope scope("foo");
  v1::get_variable("v", {1});
  v1::get_variable("v", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'foo/v' already exists; TF raises: Variable foo/v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 'foo/v' was first created here
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
  for (int i = 0; i < 3; ++i)
    v1::get_variable("layer_" + std::to_string(i), {1}); // OK: distinct names
  for (int i = 0; i < 2; ++i) {
    v1::get_variable("same", {1});
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: variable 'loop/same' already exists; {{.*}} [varscope-reuse-already-exists]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: 'loop/same' was first created here
  }
}

#define MAKE_BIAS() v1::get_variable("bias", {4})
void inMacro() {
  v1::variable_scope s("macro");
  MAKE_BIAS();
  MAKE_BIAS();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'macro/bias' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: 'macro/bias' was first created here
}

template <int N> void tmpl() {
  v1::get_variable("t", {N});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: variable 'tmpl/t' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'tmpl/t' was first created here
  // CHECK-NOTES: :[[@LINE+6]]:3: note: 'tmpl' called here in variable scope 'tmpl'
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
