// Lambdas (inline ones capture the scope by reference, stored ones take it as
// a parameter), threads (start at the root of the same store), a virtual
// hierarchy (base and override change together) and a function template
// (its spelled definition is edited once for every instantiation).
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: %varscope migrate -p %t --dry-run > %t/second.diff
// RUN: count 0 < %t/second.diff
#include <algorithm>
#include <thread>
#include <vector>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

struct Layer {
  virtual ~Layer() = default;
  virtual void build() const = 0;
};
struct Dense : Layer {
  void build() const override { v1::get_variable("w", {1}); }
};
// CHECK-FIXES: {{^}}  virtual void build(varscope::Scope& scope) const = 0;{{$}}
// CHECK-FIXES: {{^}}  void build(varscope::Scope& scope) const override { scope.get_variable("w", {1}); }{{$}}

template <class T> void make(const char* name) { v1::get_variable(name, {sizeof(T)}); }
// CHECK-FIXES: {{^}}template <class T> void make(varscope::Scope& scope, const char* name) { scope.get_variable(name, {sizeof(T)}); }{{$}}

int main() {
  std::vector<int> ids = {1, 2};
  std::for_each(ids.begin(), ids.end(), [](int i) { v1::get_variable("id" + std::to_string(i), {1}); });
  auto later = [&] { v1::get_variable("later", {1}); };
  {
    v1::variable_scope s("inner");
    later();
    Dense().build();
    make<int>("i");
    make<double>("d");
  }
  v1::VariableScope captured = v1::get_variable_scope();
  std::thread t([captured] {
    v1::variable_scope again(captured);
    v1::get_variable("in_thread", {1});
  });
  t.join();
}
// CHECK-FIXES: {{^}}int main() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Store store;{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope scope = store.root_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::vector<int> ids = {1, 2};{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::for_each(ids.begin(), ids.end(), [&scope](int i) { scope.get_variable("id" + std::to_string(i), {1}); });{{$}}
// CHECK-FIXES-NEXT: {{^}}  auto later = [&](varscope::Scope& scope) { scope.get_variable("later", {1}); };{{$}}
// CHECK-FIXES-NEXT: {{^}}  {{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope s = scope.variable_scope("inner");{{$}}
// CHECK-FIXES-NEXT: {{^}}    later(s);{{$}}
// CHECK-FIXES-NEXT: {{^}}    Dense().build(s);{{$}}
// CHECK-FIXES-NEXT: {{^}}    make<int>(s, "i");{{$}}
// CHECK-FIXES-NEXT: {{^}}    make<double>(s, "d");{{$}}
// CHECK-FIXES-NEXT: {{^}}  }{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::VariableScope captured = scope.get_variable_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t([captured, &vs_store = scope.store()] {{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope scope = vs_store.root_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}    varscope::Scope again = scope.variable_scope(captured);{{$}}
// CHECK-FIXES-NEXT: {{^}}    again.get_variable("in_thread", {1});{{$}}
// CHECK-FIXES-NEXT: {{^}}  });{{$}}
