// test/unit/runtime/on_root_scope_test.cpp - varscope::on_root_scope: a
// thread started on a function begins at the root scope of the same store
// (TF's per-thread scope stack), as migrated code writes it.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "varscope/varscope.h"

namespace varscope {
namespace {

void worker(Scope& scope, int id) {
  Scope s = scope.variable_scope("worker_" + std::to_string(id));
  s.get_variable("w", {.shape = Shape{2}});
}

int make_and_count(Scope& scope, int n) {
  scope.get_variable("c" + std::to_string(n), {.shape = Shape{1}});
  return static_cast<int>(scope.store().global_variables().size());
}

TEST(OnRootScopeTest, ThreadStartsAtTheRootOfTheSameStore) {
  Store store;
  Scope root = store.root_scope();
  Scope outer = root.variable_scope("outer");
  std::thread t(on_root_scope(outer.store(), worker), 3);
  t.join();
  worker(outer, 4);
  std::vector<std::string> names;
  for (const Variable& v : store.global_variables())
    names.push_back(v.name());
  EXPECT_EQ(names, (std::vector<std::string>{"worker_3/w:0", "outer/worker_4/w:0"}));
}

TEST(OnRootScopeTest, ResultsAndFunctionPointersPassThrough) {
  Store store;
  Scope root = store.root_scope();
  Scope outer = root.variable_scope("outer");
  auto f = std::async(std::launch::async, on_root_scope(store, &make_and_count), 7);
  EXPECT_EQ(f.get(), 1);
  EXPECT_EQ(store.global_variables().at(0).name(), "c7:0");
}

TEST(OnRootScopeTest, LambdasWorkAndTheNameScopeIsEmpty) {
  Store store;
  Scope root = store.root_scope();
  Scope ns = root.name_scope("busy");
  std::string seen;
  std::thread t(on_root_scope(store, [&seen](Scope& s) { seen = s.name() + "|" + s.get_name_scope(); }));
  t.join();
  EXPECT_EQ(seen, "|");
}

} // namespace
} // namespace varscope
