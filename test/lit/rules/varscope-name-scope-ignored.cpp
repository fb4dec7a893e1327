// RUN: not %varscope check %s --checks=varscope-name-scope-ignored -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void f() {
  v1::variable_scope s("model");
  v1::name_scope ns("block");
  v1::get_variable("w", {1});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: name_scope 'block' does not prefix variable names: this is 'model/w', not 'model/block/w'; use a variable_scope to prefix it [varscope-name-scope-ignored]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: name_scope 'block' opened here
}

void g() {
  v1::name_scope ns("outer");
  v1::variable_scope s("inner");
  v1::get_variable("w", {1}); // OK: the variable scope is innermost
}

void h() {
  v1::name_scope ns("top");
  v1::get_variable("v", {1}); // NOLINT(varscope-name-scope-*)
}
