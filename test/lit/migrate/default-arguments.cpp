// A default argument is evaluated by the caller but cannot name the caller's
// scope, so a scope-needing call in one is reported and left on the implicit
// API together with everything connected to it; a default argument that needs
// no scope migrates with its function, the scope parameter going first.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/a.cpp && cp %migrate_inputs/default-arg-ok.cpp %t/b.cpp
// RUN: %make_db %t %include a.cpp
// RUN: not %varscope migrate -p %t --apply | FileCheck %s --implicit-check-not='warning:'
// RUN: diff %s %t/a.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/a.cpp
// RUN: %make_db %t %include b.cpp
// RUN: %varscope migrate -p %t --apply
// RUN: FileCheck %migrate_inputs/default-arg-ok.cpp --check-prefix=CHECK-FIXES --input-file=%t/b.cpp
// RUN: %clangxx -std=c++20 -fsyntax-only -I%include %t/b.cpp
#include <varscope/v1.h>

namespace v1 = varscope::v1;

v1::Tensor make_bias() { return v1::get_variable("bias", {4}).value(); }

v1::Tensor shift(const v1::Tensor& x, v1::Tensor b = make_bias()) { return v1::add(x, b); }
// CHECK: a.cpp:[[@LINE-1]]:54: warning: 'make_bias' needs a scope but is called in a default argument of 'shift', which cannot name its callers' scope; left for manual migration [varscope-manual-migration]

void lookup(v1::Variable v = v1::get_variable("table", {8}));
// CHECK: a.cpp:[[@LINE-1]]:30: warning: 'v1::get_variable' in a default argument of 'lookup' is evaluated by its callers, and a default argument cannot name their scope; left for manual migration [varscope-manual-migration]
void lookup(v1::Variable v) { (void)v; }

int main() {
  v1::variable_scope s("model");
  shift(v1::Tensor::from_vector<float>({1, 2, 3, 4}));
  lookup();
}
