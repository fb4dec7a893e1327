// break and continue end the innermost loop / iteration (not a switch); under
// a condition the analyser cannot decide, both paths are kept (may-paths).
// RUN: %varscope names %s -- %cxxflags | FileCheck %s --match-full-lines
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main(int argc, char**) {
  v1::variable_scope s("net");
  for (int i = 0; i < 10; ++i) {
    if (i == 3)
      break;
    v1::get_variable("w" + std::to_string(i), {1});
  }
  for (int i = 0; i < 4; ++i) {
    if (i % 2 == 1)
      continue;
    v1::get_variable("c" + std::to_string(i), {1});
  }
  for (int n : {1, 2, 3}) {
    v1::get_variable("e" + std::to_string(n), {1});
    if (n == 2)
      break;
  }
  switch (argc) {
  case 1:
    v1::get_variable("s", {1});
    break;
  }
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      if (j == 1)
        break;
      v1::get_variable("n" + std::to_string(i) + std::to_string(j), {1});
    }
  }
  for (int i = 0; i < 3; ++i) {
    if (argc > 5)
      break;
    v1::get_variable("may" + std::to_string(i), {1});
  }
}
// CHECK:      net/w0    (1,)        float32  {{.*}}break-continue.cpp:14:5
// CHECK-NEXT: net/w1    (1,)        float32  {{.*}}break-continue.cpp:14:5
// CHECK-NEXT: net/w2    (1,)        float32  {{.*}}break-continue.cpp:14:5
// CHECK-NEXT: net/c0    (1,)        float32  {{.*}}break-continue.cpp:19:5
// CHECK-NEXT: net/c2    (1,)        float32  {{.*}}break-continue.cpp:19:5
// CHECK-NEXT: net/e1    (1,)        float32  {{.*}}break-continue.cpp:22:5
// CHECK-NEXT: net/e2    (1,)        float32  {{.*}}break-continue.cpp:22:5
// CHECK-NEXT: net/s     (1,)        float32  {{.*}}break-continue.cpp:28:5
// CHECK-NEXT: net/n00   (1,)        float32  {{.*}}break-continue.cpp:35:7
// CHECK-NEXT: net/n10   (1,)        float32  {{.*}}break-continue.cpp:35:7
// CHECK-NEXT: net/may0  (1,)        float32  {{.*}}break-continue.cpp:41:5
// CHECK-NEXT: net/may1  (1,)        float32  {{.*}}break-continue.cpp:41:5
// CHECK-NEXT: net/may2  (1,)        float32  {{.*}}break-continue.cpp:41:5
// CHECK-NEXT: total: 13 variables, 0 reuse sites, 0 unresolved
