// bench/memory_per_variable.cpp - bookkeeping bytes per variable.
//
//   build/bench/memory_per_variable [N]      (default N = 1000000)
//
// Creates N small float32 variables of shape (1,) named like a real model's
// ("model/block_17/dense_3/kernel_123"), and reports the growth of the
// process's heap (mallinfo2().uordblks, bytes in use) per variable, minus the
// 4 data bytes each holds. Target (issue 2): at most 300 bytes.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "varscope/varscope.h"

using namespace varscope;

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  if (n <= 0) {
    std::fprintf(stderr, "usage: memory_per_variable [N > 0]\n");
    return 2;
  }
  Store store;
  Scope root = store.root_scope();
  Scope model = root.variable_scope("model");
  std::size_t before = mallinfo2().uordblks;
  long created = 0;
  for (long block = 0; created < n; ++block) {
    Scope b = model.variable_scope("block_" + std::to_string(block));
    for (int j = 0; j < 1000 && created < n; ++j, ++created)
      b.get_variable("kernel_" + std::to_string(j), {1}, {.initializer = zeros_initializer()});
  }
  std::size_t after = mallinfo2().uordblks;
  double per_var = static_cast<double>(after - before) / static_cast<double>(n);
  double data = 4.0;
  std::printf("variables: %ld\nheap growth: %zu bytes\nper variable: %.1f bytes (data %.0f, bookkeeping %.1f)\n", n,
              after - before, per_var, data, per_var - data);
  return 0;
}
