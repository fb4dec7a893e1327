#!/usr/bin/env bash
# bench/ops/run_all.sh - every ops benchmark of docs/performance-ops.md, in
# the order the doc lists them; JSON and markdown tables go to OUT.
#
#   bench/ops/run_all.sh [BUILD_DIR] [OUT]     (defaults: build-bench-ops, ops-bench-results)
#
# Prints the machine load before each program: run it when `uptime` shows the
# machine quiet, and quote the load with the figures. The runtime picks its
# GEMM kernels by CPU (runtime/src/ops/gemm.h); each GEMM and model
# comparison runs twice, with the CPU's kernels and with VARSCOPE_ISA=sse2
# (the portable build every figure before the dispatch used).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build-bench-ops}"
out="${2:-ops-bench-results}"
mkdir -p "$out"
tunables='glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824'
load() { echo "== $1 ($(uptime | sed 's/.*load average/load average/'))" | tee -a "$out/load.txt"; }

for isa in auto sse2; do
  env=(); [[ $isa == sse2 ]] && env=(VARSCOPE_ISA=sse2)
  load "gemm_bench paired ($isa)"
  env "${env[@]}" "$build/bench/gemm_bench" --benchmark_filter=Paired --benchmark_format=json \
    --benchmark_out="$out/gemm_paired_$isa.json" >/dev/null
  python3 "$here/report.py" paired "$out/gemm_paired_$isa.json" | tee "$out/gemm_paired_$isa.md"

  load "gemm_bench separate ($isa)"
  env "${env[@]}" "$build/bench/gemm_bench" --benchmark_filter='(Varscope|Eigen)/' --benchmark_repetitions=3 \
    --benchmark_format=json --benchmark_out="$out/gemm_$isa.json" >/dev/null
  python3 "$here/report.py" gemm "$out/gemm_$isa.json" | tee "$out/gemm_$isa.md"

  load "ops_overhead_bench paired ($isa)"
  env "${env[@]}" "$build/bench/ops_overhead_bench" --benchmark_filter=Paired --benchmark_format=json \
    --benchmark_out="$out/overhead_paired_$isa.json" >/dev/null
  python3 "$here/report.py" paired "$out/overhead_paired_$isa.json" | tee "$out/overhead_paired_$isa.md"
done

load "gemm_bench with GLIBC_TUNABLES=$tunables"
GLIBC_TUNABLES="$tunables" "$build/bench/gemm_bench" --benchmark_filter='(Varscope|Eigen)/' \
  --benchmark_format=json --benchmark_out="$out/gemm_tunables.json" >/dev/null
python3 "$here/report.py" gemm "$out/gemm_tunables.json" | tee "$out/gemm_tunables.md"

for isa in sse2 avx2 avx512; do
  load "gemm_isa_bench_$isa"
  "$build/bench/gemm_isa_bench_$isa" --benchmark_format=json --benchmark_out="$out/gemm_isa_$isa.json" >/dev/null
done
python3 "$here/report.py" isa "$out"/gemm_isa_sse2.json "$out"/gemm_isa_avx2.json "$out"/gemm_isa_avx512.json |
  tee "$out/gemm_isa.md"

load ops_overhead_bench
"$build/bench/ops_overhead_bench" --benchmark_filter='^BM_(Mlp|Lstm|Transformer)_(Runtime|Eigen)$|BM_Op|BM_Part|BM_Gelu|BM_Transpose' \
  --benchmark_repetitions=3 --benchmark_format=json --benchmark_out="$out/overhead.json" >/dev/null
python3 "$here/report.py" overhead "$out/overhead.json" | tee "$out/overhead.md"

if [[ -x "$build/bench/torch_compare" ]]; then
  for run in 1 2; do
    load "torch_compare run $run"
    "$build/bench/torch_compare" --rounds 15 | tee "$out/torch_compare_$run.txt"
  done
fi
