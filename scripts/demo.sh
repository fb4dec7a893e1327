#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on bundled examples:
# `varscope names` resolves every variable of the GAN example statically,
# `varscope check` finds the reuse mistakes in examples/lint/reuse_bug.cpp,
# and the GAN example then runs to show the runtime agrees.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target varscope gan
varscope="$BUILD_DIR/tool/varscope"

echo "== varscope names examples/gan (static, nothing runs) =="
"$varscope" names -p "$BUILD_DIR" examples/gan/gan.cpp

echo
echo "== varscope check examples/lint/reuse_bug.cpp =="
status=0
"$varscope" check examples/lint/reuse_bug.cpp -- -std=c++20 -Iruntime/include || status=$?
echo "(exit code $status: 1 means findings)"

echo
echo "== the GAN example, run =="
"$BUILD_DIR/examples/gan"
