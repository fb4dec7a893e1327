// RUN: %varscope names %s -- %cxxflags | FileCheck %s --match-full-lines
// RUN: %varscope names %s --format=json -- %cxxflags | FileCheck %s --check-prefix=JSON
#include <string>
#include <varscope/v1.h>

namespace v1 = varscope::v1;

// TF's documented default_name example (tf-semantics.md §3.6).
void defaultNames() {
  v1::VariableScope foo_scope = v1::get_variable_scope();
  {
    v1::variable_scope foo("foo");
    foo_scope = *foo;
    {
      v1::variable_scope bar(nullptr, "bar");
      v1::get_variable("a", {1});
    }
    {
      v1::variable_scope bar(nullptr, "bar");
      v1::get_variable("b", {1});
    }
  }
  v1::variable_scope again(foo_scope);
  v1::variable_scope bar(nullptr, "bar");
  v1::get_variable("c", {1});
}

void reuse() {
  v1::variable_scope s("shared");
  v1::get_variable("w", {2, 3});
  s->reuse_variables();
  v1::get_variable("w", {2, 3});
  v1::variable_scope a("auto", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("v", {4}, {.dtype = varscope::int32});
  v1::get_variable("v", {4}, {.dtype = varscope::int32});
}

void layers() {
  v1::name_scope ns("not_a_prefix");
  for (int i = 0; i < 3; ++i) {
    v1::variable_scope l("layer_" + std::to_string(i));
    v1::get_variable("kernel", {8, 8});
  }
  v1::get_local_variable("step", {.shape = varscope::Shape{}, .dtype = varscope::int64});
}

void partitioned() {
  v1::variable_scope s("emb", {.partitioner = v1::fixed_size_partitioner(3)});
  v1::get_variable("table", {10, 4});
}

int main() {
  defaultNames();
  reuse();
  layers();
  partitioned();
}

// CHECK:      foo/bar/a                     (1,)        float32  {{.*}}names.cpp:16:7
// CHECK-NEXT: foo/bar_1/b                   (1,)        float32  {{.*}}names.cpp:20:7
// CHECK-NEXT: foo/bar/c                     (1,)        float32  {{.*}}names.cpp:25:3
// CHECK-NEXT: shared/w                      (2, 3)      float32  {{.*}}names.cpp:30:3
// CHECK-NEXT:   reused at {{.*}}names.cpp:32:3
// CHECK-NEXT: shared/auto/v                 (4,)        int32    {{.*}}names.cpp:34:3
// CHECK-NEXT:   reused at {{.*}}names.cpp:35:3
// CHECK-NEXT: layer_0/kernel                (8, 8)      float32  {{.*}}names.cpp:42:5
// CHECK-NEXT: layer_1/kernel                (8, 8)      float32  {{.*}}names.cpp:42:5
// CHECK-NEXT: layer_2/kernel                (8, 8)      float32  {{.*}}names.cpp:42:5
// CHECK-NEXT: step                          ()          int64    {{.*}}names.cpp:44:3 local
// CHECK-NEXT: emb/table                     (10, 4)     float32  {{.*}}names.cpp:49:3
// CHECK-NEXT:   emb/table/part_0  (4, 4)
// CHECK-NEXT:   emb/table/part_1  (3, 4)
// CHECK-NEXT:   emb/table/part_2  (3, 4)
// CHECK-NEXT: total: 10 variables, 3 partition shards, 2 reuse sites, 0 unresolved
// CHECK-EMPTY:

// JSON:      "entries": [
// JSON-NEXT:   "main"
// JSON:      "total": 10,
// JSON-NEXT: "unresolved": 0,
// JSON-NEXT: "variables": [
// JSON:          "name": "foo/bar/a",
// JSON:          "name": "emb/table/part_2",
