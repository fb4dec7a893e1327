// RUN: not %varscope check %s --checks=varscope-unnamed-guard -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES --implicit-check-not='{{warning|note}}:'
// RUN: not %varscope check %s --checks=varscope-unnamed-guard --format=json -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-FIXES
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void f() {
  v1::variable_scope("encoder");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed v1::variable_scope 'encoder' is destroyed at the end of this statement, so the scope applies to nothing; give the guard a name [varscope-unnamed-guard]
  // CHECK-MESSAGES-NEXT: {{^}}  v1::variable_scope("encoder");{{$}}
  // CHECK-MESSAGES-NEXT: {{^}}  ^{{$}}
  // CHECK-MESSAGES-NEXT: {{^}}                     vs_encoder{{$}}
  // CHECK-FIXES: "replacement": " vs_encoder"
  v1::get_variable("w", {1});
  v1::name_scope("block");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed v1::name_scope 'block' is destroyed at the end of this statement, so the scope applies to nothing; give the guard a name [varscope-unnamed-guard]
  // CHECK-FIXES: "replacement": " vs_block"
  v1::variable_scope named("ok"); // OK
  v1::name_scope ns("ok");        // OK
}

#define OPEN_SCOPE(n) v1::variable_scope(n)
void inMacro() {
  OPEN_SCOPE("m");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed v1::variable_scope 'm' is destroyed {{.*}} [varscope-unnamed-guard]
}

template <class T> void inTemplate() {
  v1::variable_scope("t");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: unnamed v1::variable_scope 't' is destroyed {{.*}} [varscope-unnamed-guard]
}
template void inTemplate<int>();
