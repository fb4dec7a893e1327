// Guards, get_variable, ops, default names, captured re-entry, recursion,
// overloads, default arguments and a helper called from scoped and unscoped
// contexts; main creates the store from reset_default_graph's options.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// Idempotent: a second run has nothing to do.
// RUN: %varscope migrate -p %t --dry-run > %t/second.diff
// RUN: count 0 < %t/second.diff
#include <string>
#include <vector>
#include <varscope/v1.h>
// CHECK-FIXES: {{^}}#include <varscope/varscope.h>{{$}}

namespace v1 = varscope::v1;
// CHECK-FIXES-NOT: {{^}}namespace v1

v1::Tensor dense(const v1::Tensor& x, int units, const char* name = nullptr) {
  v1::variable_scope scope(name, "dense");
  v1::Variable w = v1::get_variable("kernel", {x.dim(1), units});
  return v1::relu(v1::matmul(x, w));
}
// CHECK-FIXES: {{^}}varscope::Tensor dense(varscope::Scope& vs_scope, const varscope::Tensor& x, int units, const char* name = nullptr) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope scope = vs_scope.variable_scope(name, "dense");{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Variable w = scope.get_variable("kernel", {x.dim(1), units});{{$}}
// CHECK-FIXES-NEXT: {{^}}  return varscope::relu(scope, varscope::matmul(scope, x, w));{{$}}

// Overloads: only the one that needs a scope changes.
int width(int units) { return units; }
int width(const char* name) { return static_cast<int>(v1::get_variable(name, {1}).shape().dim(0)); }
// CHECK-FIXES: {{^}}int width(int units) { return units; }{{$}}
// CHECK-FIXES-NEXT: {{^}}int width(varscope::Scope& scope, const char* name) { return static_cast<int>(scope.get_variable(name, {1}).shape().dim(0)); }{{$}}

// Recursion.
v1::Tensor stack(const v1::Tensor& x, int depth) {
  if (depth == 0) return x;
  v1::variable_scope s("level");
  return stack(dense(x, 2), depth - 1);
}
// CHECK-FIXES: {{^}}varscope::Tensor stack(varscope::Scope& scope, const varscope::Tensor& x, int depth) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  if (depth == 0) return x;{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope("level");{{$}}
// CHECK-FIXES-NEXT: {{^}}  return stack(s, dense(s, x, 2), depth - 1);{{$}}

v1::Tensor model(const v1::Tensor& x) {
  v1::variable_scope outer("model");
  v1::Tensor h = x;
  for (int i = 0; i < 2; ++i) {
    v1::variable_scope layer(nullptr, "layer");
    v1::name_scope ns("ops");
    h = dense(h, 2);
    v1::get_variable_scope().reuse_variables();
  }
  v1::VariableScope captured = *outer;
  {
    v1::variable_scope again(captured, {.reuse = v1::AUTO_REUSE});
    again->reuse_variables();
    h = v1::add(h, dense(h, 2, again->name().c_str()));
  }
  return h;
}
// CHECK-FIXES: {{^}}varscope::Tensor model(varscope::Scope& scope, const varscope::Tensor& x) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope outer = scope.variable_scope("model");{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Tensor h = x;{{$}}
// CHECK-FIXES-NEXT: {{^}}  for (int i = 0; i < 2; ++i) {{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope layer = outer.variable_scope(nullptr, "layer");{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope ns = layer.name_scope("ops");{{$}}
// CHECK-FIXES-NEXT: {{^}}    h = dense(ns, h, 2);{{$}}
// CHECK-FIXES-NEXT: {{^}}    ns.get_variable_scope().reuse_variables();{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::VariableScope captured = outer.get_variable_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope again = outer.variable_scope(captured, {.reuse = varscope::AUTO_REUSE});{{$}}
// CHECK-FIXES-NEXT: {{^}}    again.reuse_variables();{{$}}
// CHECK-FIXES-NEXT: {{^}}    h = varscope::add(again, h, dense(again, h, 2, again.name().c_str()));{{$}}

// Called at the root and inside a scope: the same parameter serves both.
void count(const char* label) { (void)label, (void)v1::global_variables().size(); }
// CHECK-FIXES: {{^}}void count(varscope::Scope& scope, const char* label) { (void)label, (void)scope.store().global_variables().size(); }{{$}}

int main() {
  v1::reset_default_graph({.seed = 3});
  v1::Tensor x = v1::Tensor::from_vector(std::vector<float>{1, 2, 3, 4}, {2, 2});
  count("start");
  {
    v1::variable_scope s("scoped");
    count("inside");
    model(x);
  }
  stack(x, 2);
  return width("w") == 1 ? 0 : 1;
}
// CHECK-FIXES: {{^}}int main() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Store store({.seed = 3});{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope scope = store.root_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Tensor x = varscope::Tensor::from_vector(std::vector<float>{1, 2, 3, 4}, {2, 2});{{$}}
// CHECK-FIXES-NEXT: {{^}}  count(scope, "start");{{$}}
// CHECK-FIXES-NEXT: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope s = scope.variable_scope("scoped");{{$}}
// CHECK-FIXES-NEXT: {{^}}    count(s, "inside");{{$}}
// CHECK-FIXES-NEXT: {{^}}    model(s, x);{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  stack(scope, x, 2);{{$}}
// CHECK-FIXES-NEXT: {{^}}  return width(scope, "w") == 1 ? 0 : 1;{{$}}
