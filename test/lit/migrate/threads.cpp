// A thread started on a named function that needs a scope (std::thread,
// emplace_back on a vector of threads, std::async with or without a launch
// policy) starts at the root scope of the same store, as in TF:
// varscope::on_root_scope(store, fn) calls fn(root, args...) in the thread.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: %varscope migrate -p %t --dry-run > %t/second.diff
// RUN: count 0 < %t/second.diff
#include <future>
#include <string>
#include <thread>
#include <vector>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

void worker(int id) {
  v1::variable_scope s("worker_" + std::to_string(id));
  v1::get_variable("w", {2});
}

int count(int n) {
  v1::get_variable("c" + std::to_string(n), {1});
  return n;
}

int main() {
  v1::variable_scope outer("outer");
  std::thread t(worker, 0);
  t.join();
  std::vector<std::thread> pool;
  for (int i = 1; i < 3; ++i)
    pool.emplace_back(&worker, i);
  for (std::thread& p : pool)
    p.join();
  auto f = std::async(std::launch::async, count, 7);
  int seven = f.get();
  worker(seven);
}

// CHECK-FIXES: {{^}}void worker(varscope::Scope& scope, int id) {{{$}}
// CHECK-FIXES: {{^}}int count(varscope::Scope& scope, int n) {{{$}}
// CHECK-FIXES: {{^}}  varscope::Scope outer = scope.variable_scope("outer");{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t(varscope::on_root_scope(outer.store(), worker), 0);{{$}}
// CHECK-FIXES: {{^}}    pool.emplace_back(varscope::on_root_scope(outer.store(), &worker), i);{{$}}
// CHECK-FIXES: {{^}}  auto f = std::async(std::launch::async, varscope::on_root_scope(outer.store(), count), 7);{{$}}
// CHECK-FIXES: {{^}}  worker(outer, seven);{{$}}
