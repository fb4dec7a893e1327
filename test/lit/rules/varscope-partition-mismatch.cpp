// RUN: not %varscope check %s --checks=varscope-partition-mismatch -- %cxxflags \
// RUN:   | FileCheck %s --check-prefixes=CHECK-MESSAGES,CHECK-NOTES --implicit-check-not='{{warning|note}}:'
#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main() {
  v1::variable_scope s("emb", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("table", {10, 4}, {.partitioner = v1::fixed_size_partitioner(2)});
  v1::get_variable("table", {10, 4}, {.partitioner = v1::fixed_size_partitioner(2)}); // OK
  v1::get_variable("table", {10, 4}, {.partitioner = v1::fixed_size_partitioner(5)});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: partitioned variable 'emb/table' is reused with 5 shards but was created with 2; TF raises: Trying to reuse partitioned variable emb/table, but specified partitions [5, 1] and found partitions [2, 1]. [varscope-partition-mismatch]
  // CHECK-NOTES: :[[@LINE-4]]:3: note: 'emb/table' was created here with 2 shards
}
