// RUN: not %varscope check %s --checks=varscope-thread-root-scope -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
// RUN: %varscope names %s -- %cxxflags | FileCheck %s --check-prefix=NAMES
// NAMES:      v {{.*}}thread-root-scope.cpp:14:5
// NAMES-NEXT: main/w {{.*}}thread-root-scope.cpp:22:5
#include <thread>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main() {
  v1::variable_scope s("main");
  std::thread t([] {
    v1::get_variable("v", {1});
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this runs in a new thread, which starts at the root variable scope: the variable is 'v', not 'main/v'; re-enter a captured VariableScope inside the thread [varscope-thread-root-scope]
    // CHECK-NOTES: :[[@LINE-3]]:15: note: thread started here inside variable scope 'main'
  });
  t.join();
  v1::VariableScope captured = *s;
  std::thread u([captured] {
    v1::variable_scope again(captured);
    v1::get_variable("w", {1}); // OK: the captured scope is re-entered
  });
  u.join();
}
