// `ns.name()` of a v1::name_scope guard is TF's context value: "" for an
// empty name (the root) and "<name scope>/" otherwise ("foo/" re-enters foo
// and yields "foo/"). The explicit handle keeps the stack without the slash,
// so a guard whose name is a non-empty literal (or a sum with one) becomes
// `ns.get_name_scope() + "/"` where the string is used up in its expression,
// and an empty one (`""`, nullptr without a default) `ns.get_name_scope()`.
// Other names, and uses that may keep a reference, are in manual.cpp.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp
// RUN: %make_db %t %include a.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: %varscope migrate -p %t --dry-run > %t/second.diff
// RUN: count 0 < %t/second.diff
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

struct Named {
  std::string name;
};

void take(const std::string& s) { std::cout << s << "\n"; }
void take_view(std::string_view s) { std::cout << s << "\n"; }

std::string block(int i) {
  v1::name_scope ns("block");
  std::string n = ns.name();
  const std::string& r = ns.name();
  auto a = ns.name();
  std::cout << "in " << ns.name() << "\n";
  std::printf("%s %zu\n", ns.name().c_str(), ns.name().size());
  take(ns.name());
  take(ns.name() + "mm");
  if (ns.name() == "block/")
    take(r + a);
  v1::get_variable("w" + std::to_string(i), {1});
  v1::name_scope root("");
  const std::string& at_root = root.name();
  v1::name_scope none(nullptr);
  auto& also_root = none.name();
  v1::name_scope fallback(nullptr, "dflt");
  take(fallback.name());
  v1::name_scope tower("t" + std::to_string(i));
  take(tower.name());
  v1::name_scope again("block/");
  n += again.name();
  n = again.name();
  char first = ns.name()[0];
  take_view(ns.name());
  Named named{ns.name()};
  take(named.name + first);
  return n + at_root + also_root + ns.name();
}

template <class T> std::string typed() {
  v1::name_scope ns("typed");
  v1::get_variable("v", {static_cast<std::int64_t>(sizeof(T))});
  return ns.name();
}

int main() {
  v1::variable_scope outer("outer");
  take(block(1));
  take(typed<int>() + typed<double>());
}

// CHECK-FIXES: {{^}}std::string block(varscope::Scope& scope, int i) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope ns = scope.name_scope("block");{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::string n = ns.get_name_scope() + "/";{{$}}
// CHECK-FIXES-NEXT: {{^}}  const std::string& r = ns.get_name_scope() + "/";{{$}}
// CHECK-FIXES-NEXT: {{^}}  auto a = ns.get_name_scope() + "/";{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::cout << "in " << (ns.get_name_scope() + "/") << "\n";{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::printf("%s %zu\n", (ns.get_name_scope() + "/").c_str(), (ns.get_name_scope() + "/").size());{{$}}
// CHECK-FIXES-NEXT: {{^}}  take(ns.get_name_scope() + "/");{{$}}
// CHECK-FIXES-NEXT: {{^}}  take(ns.get_name_scope() + "/" + "mm");{{$}}
// CHECK-FIXES-NEXT: {{^}}  if ((ns.get_name_scope() + "/") == "block/"){{$}}
// CHECK-FIXES-NEXT: {{^}}    take(r + a);{{$}}
// CHECK-FIXES-NEXT: {{^}}  ns.get_variable("w" + std::to_string(i), {1});{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope root = ns.name_scope("");{{$}}
// CHECK-FIXES-NEXT: {{^}}  const std::string& at_root = root.get_name_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope none = root.name_scope(nullptr);{{$}}
// CHECK-FIXES-NEXT: {{^}}  auto& also_root = none.get_name_scope();{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope fallback = none.name_scope(nullptr, "dflt");{{$}}
// CHECK-FIXES-NEXT: {{^}}  take(fallback.get_name_scope() + "/");{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope tower = fallback.name_scope("t" + std::to_string(i));{{$}}
// CHECK-FIXES-NEXT: {{^}}  take(tower.get_name_scope() + "/");{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope again = tower.name_scope("block/");{{$}}
// CHECK-FIXES-NEXT: {{^}}  n += again.get_name_scope() + "/";{{$}}
// CHECK-FIXES-NEXT: {{^}}  n = again.get_name_scope() + "/";{{$}}
// CHECK-FIXES-NEXT: {{^}}  char first = (ns.get_name_scope() + "/")[0];{{$}}
// CHECK-FIXES-NEXT: {{^}}  take_view(ns.get_name_scope() + "/");{{$}}
// CHECK-FIXES-NEXT: {{^}}  Named named{ns.get_name_scope() + "/"};{{$}}
// CHECK-FIXES-NEXT: {{^}}  take(named.name + first);{{$}}
// CHECK-FIXES-NEXT: {{^}}  return n + at_root + also_root + (ns.get_name_scope() + "/");{{$}}
// CHECK-FIXES: {{^}}template <class T> std::string typed(varscope::Scope& scope) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  varscope::Scope ns = scope.name_scope("typed");{{$}}
// CHECK-FIXES-NEXT: {{^}}  ns.get_variable("v", {static_cast<std::int64_t>(sizeof(T))});{{$}}
// CHECK-FIXES-NEXT: {{^}}  return ns.get_name_scope() + "/";{{$}}
// CHECK-FIXES: {{^}}  take(block(outer, 1));{{$}}
// CHECK-FIXES-NEXT: {{^}}  take(typed<int>(outer) + typed<double>(outer));{{$}}
