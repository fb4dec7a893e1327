// RUN: not %varscope check %s --checks=varscope-redundant-reuse-false -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
// RUN: not %varscope check %s --checks=varscope-redundant-reuse-false --format=json -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-FIXES
// RUN: cp %s %t.cpp && not %varscope check %t.cpp --checks=varscope-redundant-reuse-false --format=json -- %cxxflags > %t.json
// RUN: python3 %inputs/apply_fixes.py %t.json && FileCheck %s --check-prefix=CHECK-APPLIED --input-file=%t.cpp
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void only() {
  v1::variable_scope s("a", {.reuse = false});
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'reuse = false' has no effect: variable_scope treats false as 'inherit' and cannot turn reuse off; remove it [varscope-redundant-reuse-false]
  // CHECK-FIXES: "length": 18,
  // CHECK-APPLIED: v1::variable_scope s("a");
}

void withOthers() {
  v1::variable_scope s("b", {.reuse = false, .dtype = varscope::float16});
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'reuse = false' has no effect{{.*}} [varscope-redundant-reuse-false]
  // CHECK-APPLIED: v1::variable_scope s("b", {.dtype = varscope::float16});
  v1::variable_scope t("c", {.partitioner = v1::fixed_size_partitioner(2), .reuse = false});
  // CHECK-MESSAGES: :[[@LINE-1]]:85: warning: 'reuse = false' has no effect{{.*}} [varscope-redundant-reuse-false]
  // CHECK-APPLIED: v1::variable_scope t("c", {.partitioner = v1::fixed_size_partitioner(2)});
}

// The parent reuses, so this scope reuses too: false cannot undo it.
void underReusingParent() {
  v1::variable_scope outer("outer", {.reuse = true});
  v1::variable_scope inner("inner", {.reuse = false});
  // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'reuse = false' has no effect{{.*}} [varscope-redundant-reuse-false]
  // CHECK-NOTES: :[[@LINE-3]]:47: note: variables are still reused here: the enclosing scope 'outer' has reuse=True
}

void fine() {
  v1::variable_scope s("d", {.reuse = true});       // OK
  v1::variable_scope t("e", {.reuse = v1::AUTO_REUSE}); // OK
  v1::variable_scope u("f");                        // OK
}
