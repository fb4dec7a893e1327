// A thread started on a function template specialisation (explicit template
// arguments, `&f<T>`, a dependent `f<T>` inside another template, an explicit
// specialisation) starts at the root scope of the same store, exactly like a
// thread on a named function: on_root_scope deduces the function type from
// the template-id, and the template gains its scope parameter once, in its
// spelled definition. An explicit specialisation and its primary template
// change together even when only one of them uses v1.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: %varscope migrate -p %t --dry-run > %t/second.diff
// RUN: count 0 < %t/second.diff
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <vector>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

template <class T> void build_tower(int id) {
  v1::variable_scope s("tower_" + std::to_string(id));
  v1::get_variable("w", {static_cast<std::int64_t>(sizeof(T))});
}

template <class T> int count(T n) {
  v1::get_variable("c" + std::to_string(n), {1});
  return static_cast<int>(n);
}

template <class T> void spawn(int id) {
  v1::variable_scope s("spawn");
  std::thread t(build_tower<T>, id);
  t.join();
}

template <class T> void head(int id) {}
template <> void head<int>(int id) {
  v1::get_variable("head_" + std::to_string(id), {2});
}

int main() {
  v1::variable_scope outer("outer");
  std::thread t(build_tower<float>, 0);
  t.join();
  std::thread u(&build_tower<double>, 1);
  u.join();
  std::vector<std::thread> pool;
  for (int i = 2; i < 4; ++i)
    pool.emplace_back(build_tower<float>, i);
  for (std::thread& p : pool)
    p.join();
  auto f = std::async(std::launch::async, count<long>, 7L);
  int seven = f.get();
  spawn<char>(seven);
  std::thread h(head<int>, 8);
  h.join();
  build_tower<float>(9);
}

// CHECK-FIXES: {{^}}#include <varscope/varscope.h>{{$}}
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: {{^}}template <class T> void build_tower(varscope::Scope& scope, int id) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope("tower_" + std::to_string(id));{{$}}
// CHECK-FIXES-NEXT: {{^}}  s.get_variable("w", {static_cast<std::int64_t>(sizeof(T))});{{$}}
// CHECK-FIXES: {{^}}template <class T> int count(varscope::Scope& scope, T n) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  scope.get_variable("c" + std::to_string(n), {1});{{$}}
// CHECK-FIXES: {{^}}template <class T> void spawn(varscope::Scope& scope, int id) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope("spawn");{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t(varscope::on_root_scope(s.store(), build_tower<T>), id);{{$}}
// CHECK-FIXES: {{^}}template <class T> void head(varscope::Scope& scope, int id) {}{{$}}
// CHECK-FIXES-NEXT: {{^}}template <> void head<int>(varscope::Scope& scope, int id) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  scope.get_variable("head_" + std::to_string(id), {2});{{$}}
// CHECK-FIXES: {{^}}int main() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Store store;{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope scope = store.root_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope outer = scope.variable_scope("outer");{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t(varscope::on_root_scope(outer.store(), build_tower<float>), 0);{{$}}
// CHECK-FIXES-NEXT: {{^}}  t.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread u(varscope::on_root_scope(outer.store(), &build_tower<double>), 1);{{$}}
// CHECK-FIXES: {{^}}    pool.emplace_back(varscope::on_root_scope(outer.store(), build_tower<float>), i);{{$}}
// CHECK-FIXES: {{^}}  auto f = std::async(std::launch::async, varscope::on_root_scope(outer.store(), count<long>), 7L);{{$}}
// CHECK-FIXES-NEXT: {{^}}  int seven = f.get();{{$}}
// CHECK-FIXES-NEXT: {{^}}  spawn<char>(outer, seven);{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread h(varscope::on_root_scope(outer.store(), head<int>), 8);{{$}}
// CHECK-FIXES-NEXT: {{^}}  h.join();{{$}}
// CHECK-FIXES-NEXT: {{^}}  build_tower<float>(outer, 9);{{$}}
