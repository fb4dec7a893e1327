// Code that cannot be migrated safely is reported and left untouched, with
// everything connected to it through scope-needing calls (a half-migrated
// program would use two stores).
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: not %varscope migrate -p %t --apply | FileCheck %s --implicit-check-not='warning:'
// RUN: diff %s %t/a.cpp
// A read-only file: clear error, nothing written.
// RUN: mkdir -p %t/ro && cp %migrate_inputs/readonly.cpp %t/ro/r.cpp && %make_db %t/ro %include r.cpp
// RUN: chmod a-w %t/ro/r.cpp
// RUN: not %varscope migrate -p %t/ro --apply 2>&1 | FileCheck %s --check-prefix=RO
// RUN: chmod u+w %t/ro/r.cpp
// RUN: diff %migrate_inputs/readonly.cpp %t/ro/r.cpp
// RO: varscope: error: '{{.*}}r.cpp' is not writable
#include <functional>
#include <varscope/v1.h>

#define MAKE(name, n) varscope::v1::get_variable(#name, {n})

void helper() { varscope::v1::get_variable("h", {1}); }

void uses_macro() { MAKE(x, 1); }
// CHECK: a.cpp:[[@LINE-1]]:21: warning: cannot edit code expanded from the macro 'MAKE' (v1::get_variable); left for manual migration [varscope-manual-migration]

void via_pointer() {
  std::function<void()> f = helper;
  // CHECK: a.cpp:[[@LINE-1]]:29: warning: 'helper' needs a scope but its address is taken (a function pointer, std::function or thread entry whose callers are unknown); left for manual migration [varscope-manual-migration]
  f();
}

int main() {
  uses_macro();
  via_pointer();
  helper();
}
