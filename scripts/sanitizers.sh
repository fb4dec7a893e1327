#!/usr/bin/env bash
# Builds the runtime suites under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/) and the threading tests under ThreadSanitizer (build-tsan/),
# and runs them. The analyser is left out: it is Clang tooling, not runtime.
#   bash scripts/sanitizers.sh [asan|tsan|all]      (default all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
which=${1:-all}
JOBS=${JOBS:-$(nproc)}
common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19
        -DVARSCOPE_BUILD_TOOL=OFF -DVARSCOPE_BUILD_BENCHMARKS=OFF -DVARSCOPE_BUILD_FUZZERS=OFF)

if [ "$which" = all ] || [ "$which" = asan ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer: runtime, ops and examples suites =="
  cmake -S . -B build-asan "${common[@]}" -DVARSCOPE_SANITIZE=address,undefined >/dev/null
  cmake --build build-asan -j "$JOBS"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -L "runtime|ops|examples" -j "$JOBS" --output-on-failure --timeout 600 -Q \
    || { echo "sanitizers: ASan/UBSan run failed"; exit 1; }
  echo "sanitizers: ASan/UBSan run passed"
fi

if [ "$which" = all ] || [ "$which" = tsan ]; then
  echo "== ThreadSanitizer: threading tests =="
  cmake -S . -B build-tsan "${common[@]}" -DVARSCOPE_SANITIZE=thread >/dev/null
  cmake --build build-tsan -j "$JOBS" --target runtime_tests ops_tests
  TSAN_OPTIONS=halt_on_error=1 build-tsan/test/runtime_tests --gtest_brief=1 \
    --gtest_filter='*Thread*:*Concurrent*:*Context*' \
    || { echo "sanitizers: TSan run failed"; exit 1; }
  # The ops' thread pool and the kept GEMM packings shared between threads.
  TSAN_OPTIONS=halt_on_error=1 build-tsan/test/unit/ops/ops_tests --gtest_brief=1 \
    --gtest_filter='GemmPackCacheTest.*:ParallelOpsTest.*' \
    || { echo "sanitizers: TSan run failed"; exit 1; }
  echo "sanitizers: TSan run passed"
fi
