// Input of default-arguments.cpp: default arguments that need no scope.
#include <varscope/v1.h>
// CHECK-FIXES: {{^}}#include <varscope/varscope.h>{{$}}

namespace v1 = varscope::v1;

int default_units() { return 3; }

v1::Variable dense(int units = default_units(), const char* name = "dense") {
  v1::variable_scope scope(name);
  return v1::get_variable("kernel", {units});
}
// CHECK-FIXES: {{^}}varscope::Variable dense(varscope::Scope& vs_scope, int units = default_units(), const char* name = "dense") {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope scope = vs_scope.variable_scope(name);{{$}}
// CHECK-FIXES-NEXT: {{^}}  return scope.get_variable("kernel", {units});{{$}}

int main() {
  dense();
  dense(2, "second");
}
// CHECK-FIXES: {{^}}int main() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Store store;{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope scope = store.root_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  dense(scope);{{$}}
// CHECK-FIXES-NEXT: {{^}}  dense(scope, 2, "second");{{$}}
