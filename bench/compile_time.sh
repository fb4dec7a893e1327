#!/usr/bin/env bash
# bench/compile_time.sh - what including varscope costs a user's translation
# unit. Parses (clang++-19 -std=c++20 -fsyntax-only) a TU that includes
# <vector> and <string>, then the same TU plus <varscope/v1.h>, then plus
# <varscope/varscope.h>, RUNS times each, and prints the fastest wall time
# of each (the least disturbed by other load) and the difference.
# Target (issue 2): the v1.h TU parses in at most 0.5 s on the 2-core machine.
#
#   bash bench/compile_time.sh [RUNS]      (default 15)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-15}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <vector>\n#include <string>\n' > "$tmp/base.cpp"
printf '#include <varscope/v1.h>\n#include <vector>\n#include <string>\n' > "$tmp/v1.cpp"
printf '#include <varscope/varscope.h>\n#include <vector>\n#include <string>\n' > "$tmp/explicit.cpp"
best() {
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter(); subprocess.run(cmd, check=True); times.append(time.perf_counter() - t)
print(f"{min(times):.3f}")
PY
}
cxx="clang++-19 -std=c++20 -fsyntax-only -I$root/runtime/include"
b=$(best $cxx "$tmp/base.cpp")
v=$(best $cxx "$tmp/v1.cpp")
e=$(best $cxx "$tmp/explicit.cpp")
echo "vector+string only:              ${b} s"
echo "v1.h + vector + string:          ${v} s   (+$(python3 -c "print(f'{$v-$b:.3f}')") s)"
echo "varscope.h + vector + string:    ${e} s   (+$(python3 -c "print(f'{$e-$b:.3f}')") s)"
