// Entry points other than main (extern "C", --public-api) keep their
// signature for callers outside the project, which still use v1: they
// continue in the caller's v1 scope, `varscope::v1::current_scope()`, and
// pass it on explicitly. A leading reset_default_graph() stays (it resets
// the graph the callers share) and the scope is taken after it; a leading
// set_random_seed() seeds that shared graph. Calls of such an entry point
// from code that is migrated anyway are reported (so are taking its
// address and starting a thread on it there): the callee would not see the
// caller's scope. main, which only calls an entry point, is untouched. A
// callback with a fixed signature is an entry point once it is listed in
// public_api; its address may be taken anywhere else.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: not %varscope migrate -p %t --public-api=lib::build --public-api=lib::unused --public-api=lib::on_event --apply > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/out.txt
// RUN: FileCheck %s --check-prefix=NOTE --input-file=%t/err.txt
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: not %varscope migrate -p %t --public-api=lib::build --public-api=lib::unused --public-api=lib::on_event --dry-run > %t/second.txt
// RUN: FileCheck %s --check-prefix=SECOND --input-file=%t/second.txt
#include <thread>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

namespace lib {
v1::Variable dense(int n) {
  v1::variable_scope s(nullptr, "dense");
  return v1::get_variable("w", {n});
}

int build() {
  v1::variable_scope s("model");
  dense(2);
  return static_cast<int>(v1::global_variables().size());
}

int unused() { return 3; }
} // namespace lib

extern "C" int vs_fresh_model(int n) {
  v1::reset_default_graph();
  v1::variable_scope s("fresh");
  lib::dense(n);
  return 0;
}

extern "C" void vs_seeded() {
  v1::set_random_seed(7);
  lib::dense(1);
}

// Migrated for its own guard: its call of lib::build() is reported, and
// with it everything it is connected to stays v1.
void tower() {
  v1::variable_scope t("tower");
  lib::build();
}

int main() {
  lib::build();
  return lib::unused();
}

// A callback with a fixed signature, listed in public_api: its pointer is
// handed to code outside the project, which calls it from v1 code.
namespace lib {
int on_event(int n) {
  v1::variable_scope s("event");
  return static_cast<int>(v1::get_variable("e", {n}).shape().num_elements());
}
} // namespace lib
using Callback = int (*)(int);
Callback install() { return &lib::on_event; }

// Migrated for its own guard: taking the callback's address here, or
// starting a thread on an entry point, is reported like a call.
void spawner() {
  v1::variable_scope g("spawner");
  Callback cb = &lib::on_event;
  std::thread t(vs_seeded);
  t.join();
  (void)cb;
}

// CHECK-FIXES:      {{^}}#include <varscope/v1.h>{{$}}
// CHECK-FIXES:      {{^}}namespace v1 = varscope::v1;{{$}}
// CHECK-FIXES:      {{^}}varscope::Variable dense(varscope::Scope& scope, int n) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope(nullptr, "dense");{{$}}
// CHECK-FIXES:      {{^}}int build() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope& scope = varscope::v1::current_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope("model");{{$}}
// CHECK-FIXES-NEXT: {{^}}  dense(s, 2);{{$}}
// CHECK-FIXES-NEXT: {{^}}  return static_cast<int>(s.store().global_variables().size());{{$}}
// CHECK-FIXES:      {{^}}int unused() { return 3; }{{$}}
// CHECK-FIXES:      {{^}}extern "C" int vs_fresh_model(int n) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  v1::reset_default_graph();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope& scope = varscope::v1::current_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope("fresh");{{$}}
// CHECK-FIXES-NEXT: {{^}}  lib::dense(s, n);{{$}}
// CHECK-FIXES:      {{^}}extern "C" void vs_seeded() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope& scope = varscope::v1::current_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  scope.store().set_seed(7);{{$}}
// CHECK-FIXES-NEXT: {{^}}  lib::dense(scope, 1);{{$}}
// CHECK-FIXES:      {{^}}void tower() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  v1::variable_scope t("tower");{{$}}
// CHECK-FIXES-NEXT: {{^}}  lib::build();{{$}}
// CHECK-FIXES:      {{^}}int main() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  lib::build();{{$}}
// CHECK-FIXES-NEXT: {{^}}  return lib::unused();{{$}}
// CHECK-FIXES:      {{^}}int on_event(int n) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope& scope = varscope::v1::current_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope s = scope.variable_scope("event");{{$}}
// CHECK-FIXES:      {{^}}Callback install() { return &lib::on_event; }{{$}}
// CHECK-FIXES:      {{^}}void spawner() {{{$}}
// CHECK-FIXES-NEXT: {{^}}  v1::variable_scope g("spawner");{{$}}
// CHECK-FIXES-NEXT: {{^}}  Callback cb = &lib::on_event;{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::thread t(vs_seeded);{{$}}

// WARN: a.cpp:57:3: warning: 'lib::build' is an entry point that keeps its signature and continues in v1's current scope; called from migrated code it would not see the caller's scope; left for manual migration [varscope-manual-migration]
// WARN-NEXT: a.cpp:80:23: warning: 'lib::on_event' is an entry point that keeps its signature
// WARN-NEXT: a.cpp:81:17: warning: 'vs_seeded' is an entry point that keeps its signature
// WARN-NOT: warning:

// NOTE-DAG: varscope: note: a.cpp:32: 'lib::build' keeps its signature and continues in its caller's v1 scope (varscope::v1::current_scope()), so its file keeps <varscope/v1.h> (docs/migration.md)
// NOTE-DAG: varscope: note: a.cpp:41: 'vs_fresh_model' keeps its signature
// NOTE-DAG: varscope: note: a.cpp:48: 'vs_seeded' keeps its signature
// NOTE-DAG: varscope: note: a.cpp:68: 'lib::on_event' keeps its signature

// Only the manual-migration site is reported again; no edits.
// SECOND:     warning: 'lib::build' is an entry point
// SECOND-NOT: {{^}}+
