// The varscope checks inside Debian's clang-tidy-19 (--load): the same ids,
// messages, notes and fixes as `varscope check`, exported with
// --export-fixes and applied with --fix.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/checks.cpp
// RUN: %clang_tidy_varscope --checks='-*,varscope-*' --export-fixes=%t/fixes.yaml %t/checks.cpp -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
// RUN: FileCheck %s --check-prefix=CHECK-YAML --input-file=%t/fixes.yaml
//
// A glob selects some of the ids.
// RUN: %clang_tidy_varscope --checks='-*,varscope-unnamed-*' %t/checks.cpp -- %cxxflags \
// RUN:   | FileCheck %s --check-prefix=GLOB --implicit-check-not='{{warning|note}}:'
// GLOB-COUNT-2: warning: unnamed v1::{{.*}} [varscope-unnamed-guard]
//
// --fix applies the fixes; checking again finds only what has no fix (no
// edit inside a macro).
// RUN: %clang_tidy_varscope --checks='-*,varscope-*' --fix %t/checks.cpp -- %cxxflags > /dev/null
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/checks.cpp
// RUN: %clang_tidy_varscope --checks='-*,varscope-*' %t/checks.cpp -- %cxxflags \
// RUN:   | FileCheck %s --check-prefix=AFTER --implicit-check-not='{{warning|note}}:'
// AFTER: warning: variable 'helper/w' does not exist; {{.*}} [varscope-reuse-does-not-exist]
// AFTER: note: reuse was turned on here
// AFTER: note: resolved within this file only: 'helper' has no caller here {{.*}}
// AFTER: warning: unnamed v1::name_scope 'block' {{.*}} [varscope-unnamed-guard]
// AFTER: warning: variable 'tmpl/t' already exists; {{.*}} [varscope-reuse-already-exists]
// AFTER: note: 'tmpl/t' was first created here
// AFTER: note: 'tmpl' called here in variable scope 'tmpl'
// AFTER: note: resolved within this file only: 'useTemplate' has no caller here {{.*}}
#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main() {
  v1::get_variable("kernel", {4, 4});
  {
    v1::variable_scope("decoder");
    // CHECK-MESSAGES: checks.cpp:[[@LINE-1]]:5: warning: unnamed v1::variable_scope 'decoder' is destroyed at the end of this statement, so the scope applies to nothing; give the guard a name [varscope-unnamed-guard]
    // CHECK-FIXES: {{^}}    v1::variable_scope vs_decoder("decoder");{{$}}
    v1::get_variable("kernel", {4, 4});
    // CHECK-MESSAGES: checks.cpp:[[@LINE-1]]:5: warning: variable 'kernel' already exists; TF raises: Variable kernel already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-already-exists]
    // CHECK-MESSAGES-NEXT: {{^}} {{ *}}[[@LINE-2]] |     v1::get_variable("kernel", {4, 4});{{$}}
    // CHECK-MESSAGES-NEXT: {{^}} {{ *}}| {{ *}}^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~{{$}}
    // CHECK-NOTES: checks.cpp:[[@LINE-9]]:3: note: 'kernel' was first created here
  }
  {
    v1::variable_scope outer("outer", {.reuse = true});
    v1::variable_scope inner("inner", {.reuse = false});
    // CHECK-MESSAGES: checks.cpp:[[@LINE-1]]:49: warning: 'reuse = false' has no effect: variable_scope treats false as 'inherit' and cannot turn reuse off; remove it [varscope-redundant-reuse-false]
    // CHECK-NOTES: checks.cpp:[[@LINE-3]]:49: note: variables are still reused here: the enclosing scope 'outer' has reuse=True
    // CHECK-FIXES: {{^}}    v1::variable_scope inner("inner");{{$}}
  }
  v1::variable_scope named("ok"); // OK: a named guard
  v1::get_variable("kernel", {4, 4}); // NOLINT(varscope-reuse-already-exists)
}

// No caller in this file: analysed at the root scope, and the note says so.
void helper() {
  v1::variable_scope s("helper", {.reuse = true});
  v1::get_variable("w", {2});
  // CHECK-MESSAGES: checks.cpp:[[@LINE-1]]:3: warning: variable 'helper/w' does not exist; TF raises: Variable helper/w does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope? [varscope-reuse-does-not-exist]
  // CHECK-NOTES: checks.cpp:[[@LINE-3]]:44: note: reuse was turned on here
  // CHECK-NOTES: checks.cpp:[[@LINE-5]]:6: note: resolved within this file only: 'helper' has no caller here and was analysed at the root variable scope; callers in other files are used when the varscope index is available
}

#define OPEN_SCOPE(n) v1::name_scope(n)
void inMacro() {
  v1::variable_scope s("m", {.reuse = v1::AUTO_REUSE});
  OPEN_SCOPE("block");
  // CHECK-MESSAGES: checks.cpp:[[@LINE-1]]:3: warning: unnamed v1::name_scope 'block' is destroyed {{.*}} [varscope-unnamed-guard]
}

template <int N> void tmpl() {
  v1::get_variable("t", {N});
  // CHECK-MESSAGES: checks.cpp:[[@LINE-1]]:3: warning: variable 'tmpl/t' already exists; {{.*}} [varscope-reuse-already-exists]
  // CHECK-NOTES: checks.cpp:[[@LINE-2]]:3: note: 'tmpl/t' was first created here
  // CHECK-NOTES: checks.cpp:[[@LINE+7]]:3: note: 'tmpl' called here in variable scope 'tmpl'
  // CHECK-NOTES: checks.cpp:[[@LINE+3]]:6: note: resolved within this file only: 'useTemplate' has no caller here {{.*}}
}

void useTemplate() {
  v1::variable_scope s("tmpl");
  tmpl<2>();
  tmpl<2>();
}

// CHECK-YAML:      MainSourceFile: '{{.*}}checks.cpp'
// CHECK-YAML:      - DiagnosticName: varscope-unnamed-guard
// CHECK-YAML-NEXT:   DiagnosticMessage:
// CHECK-YAML-NEXT:     Message: 'unnamed v1::variable_scope ''decoder'' is destroyed at the end of this statement, so the scope applies to nothing; give the guard a name'
// CHECK-YAML-NEXT:     FilePath: '{{.*}}checks.cpp'
// CHECK-YAML-NEXT:     FileOffset: {{[0-9]+}}
// CHECK-YAML-NEXT:     Replacements:
// CHECK-YAML-NEXT:       - FilePath: '{{.*}}checks.cpp'
// CHECK-YAML-NEXT:         Offset: {{[0-9]+}}
// CHECK-YAML-NEXT:         Length: 0
// CHECK-YAML-NEXT:         ReplacementText: ' vs_decoder'
// CHECK-YAML:      - DiagnosticName: varscope-reuse-already-exists
// CHECK-YAML-NEXT:   DiagnosticMessage:
// CHECK-YAML-NEXT:     Message: 'variable ''kernel'' already exists; TF raises: Variable kernel already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?'
// CHECK-YAML:          Replacements: []
// CHECK-YAML:        Notes:
// CHECK-YAML-NEXT:     - Message: '''kernel'' was first created here'
// CHECK-YAML:      - DiagnosticName: varscope-redundant-reuse-false
// CHECK-YAML:            ReplacementText: ''
