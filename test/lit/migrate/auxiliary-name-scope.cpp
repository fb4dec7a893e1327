// auxiliary_name_scope and original_name_scope keep their options and
// meaning; re-entering the guard's own scope (`*outer`) becomes its
// VariableScope object.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: %varscope migrate -p %t --dry-run > %t/second.diff
// RUN: count 0 < %t/second.diff
#include <cstdio>
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void head(const v1::Tensor& x) {
  v1::variable_scope outer("outer");
  std::string ns = outer->original_name_scope();
  {
    v1::variable_scope s("foo", {.auxiliary_name_scope = false});
    v1::get_variable("w", {2});
    v1::Tensor y = v1::add(x, x);
    std::printf("%s %s\n", ns.c_str(), y.name().c_str());
  }
  v1::variable_scope again(*outer, {.auxiliary_name_scope = false});
  v1::Tensor z = v1::mul(x, x);
  std::printf("%s\n", z.name().c_str());
}

int main() {
  head(v1::Tensor::from_vector<float>({1, 2}));
}
// CHECK-FIXES: {{^}}void head(varscope::Scope& scope, const varscope::Tensor& x) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope outer = scope.variable_scope("outer");{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::string ns = outer.original_name_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope s = outer.variable_scope("foo", {.auxiliary_name_scope = false});{{$}}
// CHECK-FIXES-NEXT: {{^}}    s.get_variable("w", {2});{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Tensor y = varscope::add(s, x, x);{{$}}
// CHECK-FIXES: {{^}}  varscope::Scope again = outer.variable_scope(outer.get_variable_scope(), {.auxiliary_name_scope = false});{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Tensor z = varscope::mul(again, x, x);{{$}}
