#!/usr/bin/env bash
# bench/compile_time.sh - what including varscope costs a user's translation
# unit. Parses (clang++-19 -std=c++20 -fsyntax-only) a TU that includes
# <vector> and <string>, then the same TU plus <varscope/v1.h>, then plus
# <varscope/varscope.h>, RUNS rounds (the three TUs interleaved within a
# round, so they see the same load), and prints for each the fastest wall
# time and the fastest CPU time (user + system of the compiler, which other
# load disturbs much less than wall time) and the differences.
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
cxx="clang++-19 -std=c++20 -fsyntax-only -I$root/runtime/include"
python3 - "$runs" "$cxx" "$tmp/base.cpp" "$tmp/v1.cpp" "$tmp/explicit.cpp" <<'PY'
import os, shlex, subprocess, sys, time
runs = int(sys.argv[1]); cxx = shlex.split(sys.argv[2]); tus = sys.argv[3:]
wall = {tu: 1e9 for tu in tus}; cpu = {tu: 1e9 for tu in tus}
for _ in range(runs):
    for tu in tus:
        t = time.perf_counter(); r0 = os.times()
        subprocess.run(cxx + [tu], check=True)
        r1 = os.times()
        wall[tu] = min(wall[tu], time.perf_counter() - t)
        cpu[tu] = min(cpu[tu], (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system))
base, v1, explicit = tus
def row(label, tu):
    extra = "" if tu == base else f"   (+{wall[tu] - wall[base]:.3f} s wall, +{cpu[tu] - cpu[base]:.3f} s cpu)"
    print(f"{label:<32} {wall[tu]:.3f} s wall, {cpu[tu]:.3f} s cpu{extra}")
row("vector+string only:", base)
row("v1.h + vector + string:", v1)
row("varscope.h + vector + string:", explicit)
PY
