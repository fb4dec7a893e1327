#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: the
# runtime suites under ASan+UBSan and TSan (scripts/sanitizers.sh), then the
# whole suite under CTest.
# Environment: BUILD_DIR (default build), JOBS (default: nproc),
# VARSCOPE_SANITIZERS=0 to skip the sanitizer builds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
# Sanitizer builds of the runtime suites first (VARSCOPE_SANITIZERS=0 skips
# them), then the whole suite, whose summary is the last thing printed.
if [ "${VARSCOPE_SANITIZERS:-1}" != 0 ]; then
  bash scripts/sanitizers.sh all
fi
cd "$BUILD_DIR"
ctest --output-on-failure -j "$JOBS" --timeout 900
