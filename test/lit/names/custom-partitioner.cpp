// RUN: %varscope names %s -- %cxxflags | FileCheck %s --match-full-lines
// RUN: not %varscope check %s --checks=varscope-unresolved-name -- %cxxflags \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|note}}:'
// Custom partitioners whose body is one `return {counts...};` give the same
// shards as the runtime (checked with --dump: names and shapes); one that
// computes its counts from the shape is reported, and its shards not listed.
#include <cstdint>
#include <vector>
#include <varscope/v1.h>

namespace v1 = varscope::v1;
using varscope::DType;
using varscope::Shape;

std::vector<std::int64_t> threeShards(const Shape &, DType) { return {3}; }

std::vector<std::int64_t> halfRows(const Shape &shape, DType) {
  return {shape.dims()[0] / 2, 1};
}

void sharded(int n) {
  v1::get_variable("by_arg", {6, 2}, {.partitioner = [n](const Shape &, DType) {
                     return std::vector<std::int64_t>{n, 1};
                   }});
}

int main() {
  v1::get_variable("rows", {10, 3}, {.partitioner = [](const Shape &, DType) {
                     return std::vector<std::int64_t>{4, 1};
                   }});
  v1::get_variable("cols", {4, 5}, {.partitioner = [](const Shape &, DType) -> std::vector<std::int64_t> {
                     return {1, 2};
                   }});
  v1::get_variable("named", {7}, {.partitioner = threeShards});
  auto two = [](const Shape &, DType) { return std::vector<std::int64_t>{2, 1}; };
  {
    v1::variable_scope emb("emb", {.partitioner = two});
    v1::get_variable("table", {5, 2});
  }
  v1::get_variable("whole", {3, 3}, {.partitioner = [](const Shape &, DType) {
                     return std::vector<std::int64_t>{1, 1};
                   }});
  sharded(2);
  v1::get_variable("half", {8, 2}, {.partitioner = halfRows});
  v1::get_variable("computed", {6}, {.partitioner = [](const Shape &s, DType) {
                     std::vector<std::int64_t> p(s.rank(), 1);
                     p[0] = 2;
                     return p;
                   }});
  return 0;
}

// The shards the runtime creates (names and shapes); none listed for 'half' and
// 'computed', whose counts depend on the shape.
// CHECK:      rows       (10, 3)     float32  {{.*}}custom-partitioner.cpp:28:3
// CHECK-NEXT:   rows/part_0  (3, 3)
// CHECK-NEXT:   rows/part_1  (3, 3)
// CHECK-NEXT:   rows/part_2  (2, 3)
// CHECK-NEXT:   rows/part_3  (2, 3)
// CHECK-NEXT: cols       (4, 5)      float32  {{.*}}custom-partitioner.cpp:31:3
// CHECK-NEXT:   cols/part_0  (4, 3)
// CHECK-NEXT:   cols/part_1  (4, 2)
// CHECK-NEXT: named      (7,)        float32  {{.*}}custom-partitioner.cpp:34:3
// CHECK-NEXT:   named/part_0  (3,)
// CHECK-NEXT:   named/part_1  (2,)
// CHECK-NEXT:   named/part_2  (2,)
// CHECK-NEXT: emb/table  (5, 2)      float32  {{.*}}custom-partitioner.cpp:38:5
// CHECK-NEXT:   emb/table/part_0  (3, 2)
// CHECK-NEXT:   emb/table/part_1  (2, 2)
// CHECK-NEXT: whole      (3, 3)      float32  {{.*}}custom-partitioner.cpp:40:3
// CHECK-NEXT:   whole/part_0  (3, 3)
// CHECK-NEXT: by_arg     (6, 2)      float32  {{.*}}custom-partitioner.cpp:22:3
// CHECK-NEXT:   by_arg/part_0  (3, 2)
// CHECK-NEXT:   by_arg/part_1  (3, 2)
// CHECK-NEXT: half       (8, 2)      float32  {{.*}}custom-partitioner.cpp:44:3
// CHECK-NEXT: computed   (6,)        float32  {{.*}}custom-partitioner.cpp:45:3
// CHECK-NEXT: total: 8 variables, 14 partition shards, 0 reuse sites, 0 unresolved
// CHECK-EMPTY:

// CHECK-MESSAGES: custom-partitioner.cpp:44:3: warning: cannot resolve the partitioning of 'half' statically (partitioner 'halfRows'); its shards half/part_<?> are not listed [varscope-unresolved-name]
// CHECK-MESSAGES: custom-partitioner.cpp:45:3: warning: cannot resolve the partitioning of 'computed' statically (partitioner '[](const Shape &s, DType) { std::vector<std::...'); its shards computed/part_<?> are not listed [varscope-unresolved-name]
