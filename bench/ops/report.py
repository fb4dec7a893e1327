#!/usr/bin/env python3
"""Tables for docs/performance-ops.md from Google Benchmark JSON output.

  python3 bench/ops/report.py gemm gemm.json [--ghz 3.4]
  python3 bench/ops/report.py isa gemm_isa_sse2.json gemm_isa_avx2.json gemm_isa_avx512.json [--ghz 3.4]
  python3 bench/ops/report.py overhead overhead.json
  python3 bench/ops/report.py paired gemm_paired.json overhead_paired.json

With --benchmark_repetitions the median aggregate is used, and the spread
(min..max of the repetitions) is printed next to it.
"""
import argparse
import json
import re
import statistics
from collections import defaultdict


def load(path):
    """name -> list of per-repetition entries (iteration runs only)."""
    with open(path) as f:
        data = json.load(f)
    runs = defaultdict(list)
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        runs[b["run_name"] if "run_name" in b else b["name"]].append(b)
    return data["context"], runs


def median(entries, key):
    return statistics.median(e[key] for e in entries)


def spread(entries, key):
    values = [e[key] for e in entries]
    return min(values), max(values)


def fmt_spread(entries, key, scale=1.0, digits=1):
    lo, hi = spread(entries, key)
    if len(entries) == 1:
        return ""
    return f" ({lo * scale:.{digits}f}..{hi * scale:.{digits}f})"


FLOP_PER_CYCLE = {"sse2": 16, "avx2": 32, "avx512": 64}  # per core: SSE mul+add, 2 x FMA


def gemm(args):
    ctx, runs = load(args.files[0])
    print(f"| M x K x N | B^T | threads | GEMM kernels | varscope GFLOP/s | Eigen GFLOP/s | ratio | "
          f"% of that ISA's 1-core peak at {args.ghz} GHz |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, entries in runs.items():
        m = re.match(r"BM_Gemm_Varscope/M:(\d+)/K:(\d+)/N:(\d+)/tB:(\d)/thr:(\d)", name)
        if not m:
            continue
        other = runs.get(name.replace("Varscope", "Eigen"))
        if not other:
            continue
        isa_label = entries[0].get("label") or "sse2"
        peak = args.ghz * FLOP_PER_CYCLE.get(isa_label, 16)
        ours = median(entries, "GFLOPS")
        theirs = median(other, "GFLOPS")
        ratios = [a["GFLOPS"] / b["GFLOPS"] for a, b in zip(entries, other)]
        ratio_spread = f" ({min(ratios):.2f}..{max(ratios):.2f})" if len(ratios) > 1 else ""
        M, K, N, tb, thr = m.groups()
        print(f"| {M} x {K} x {N} | {'yes' if tb == '1' else 'no'} | {thr} (Eigen uses {int(median(entries, 'eigen_threads'))}) | "
              f"{isa_label} | {ours:.1f}{fmt_spread(entries, 'GFLOPS')} | {theirs:.1f}{fmt_spread(other, 'GFLOPS')} | "
              f"{ours / theirs:.2f}x{ratio_spread} | {100 * ours / peak:.0f}% |")


def isa(args):
    per_isa = {}
    for path in args.files:
        label = re.search(r"(sse2|avx2|avx512)", path).group(1)
        per_isa[label] = load(path)[1]
    labels = [l for l in ("sse2", "avx2", "avx512") if l in per_isa]
    names = list(per_isa[labels[0]].keys())
    print("| benchmark | " + " | ".join(f"{l} GFLOP/s" for l in labels) + " |")
    print("| --- |" + " --- |" * len(labels))
    for name in names:
        cells = []
        for l in labels:
            entries = per_isa[l].get(name)
            cells.append(f"{median(entries, 'GFLOPS'):.1f}" if entries else "")
        print(f"| {name.replace('BM_Gemm_', '')} | " + " | ".join(cells) + " |")
    print(f"\nPeak per core at {args.ghz} GHz: SSE (mul + add, 4 lanes x 4 pipes) {args.ghz * 16:.0f}, "
          f"AVX2+FMA (2 x 8-lane FMA) {args.ghz * 32:.0f}, AVX-512 (2 x 16-lane FMA) {args.ghz * 64:.0f} GFLOP/s; "
          f"two cores: twice that.")


def overhead(args):
    ctx, runs = load(args.files[0])
    print("| model | runtime ms (CPU) | Eigen ms (CPU) | ratio |")
    print("| --- | --- | --- | --- |")
    for model in ("Mlp", "Lstm", "Transformer"):
        a = runs.get(f"BM_{model}_Runtime")
        b = runs.get(f"BM_{model}_Eigen")
        if not a or not b:
            continue
        unit = {"us": 1e-3, "ms": 1.0, "ns": 1e-6}[a[0]["time_unit"]]
        unit_b = {"us": 1e-3, "ms": 1.0, "ns": 1e-6}[b[0]["time_unit"]]
        ta = median(a, "cpu_time") * unit
        tb = median(b, "cpu_time") * unit_b
        ratios = [x["cpu_time"] * unit / (y["cpu_time"] * unit_b) for x, y in zip(a, b)]
        rs = f" ({min(ratios):.2f}..{max(ratios):.2f})" if len(ratios) > 1 else ""
        print(f"| {model} | {ta:.2f}{fmt_spread(a, 'cpu_time', unit, 2)} | {tb:.2f}{fmt_spread(b, 'cpu_time', unit_b, 2)} | {ta / tb:.2f}x{rs} |")
    print("\n| benchmark | CPU time | spread |")
    print("| --- | --- | --- |")
    for name, entries in runs.items():
        if re.match(r"BM_(Mlp|Lstm|Transformer)_", name):
            continue
        unit = entries[0]["time_unit"]
        lo, hi = spread(entries, "cpu_time")
        extra = f" (max abs diff {entries[0]['max_abs_diff']:.2g})" if "max_abs_diff" in entries[0] else ""
        print(f"| {name} | {median(entries, 'cpu_time'):.1f} {unit}{extra} | {lo:.1f}..{hi:.1f} |")


def paired(args):
    """BM_*_Paired benchmarks (paired.h): each side's median and the ratio."""
    print("| benchmark | varscope / runtime | Eigen | ratio (of medians) | ratio of means | rounds |")
    print("| --- | --- | --- | --- | --- | --- |")
    for path in args.files:
        ctx, runs = load(path)
        for name, entries in runs.items():
            if "_Paired" not in name:
                continue
            first = entries[0]
            if "varscope_GFLOPS" in first:
                a, b, unit = "varscope_GFLOPS", "eigen_GFLOPS", " GFLOP/s"
            else:
                a, b, unit = "runtime_ms", "eigen_ms", " ms"
            ratio = median(entries, "ratio")
            rs = fmt_spread(entries, "ratio", 1.0, 3)
            mean_ratio = f"{median(entries, 'ratio_mean'):.3f}x" if "ratio_mean" in first else ""
            print(f"| {name} | {median(entries, a):.2f}{unit} | {median(entries, b):.2f}{unit} | "
                  f"{ratio:.3f}x{rs} | {mean_ratio} | {int(median(entries, 'rounds'))} |")
    print("\nGFLOP/s rows: ratio = varscope GFLOP/s over Eigen's (target >= 0.95); "
          "ms rows: runtime time over Eigen time (target <= 1.05).")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["gemm", "isa", "overhead", "paired"])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--ghz", type=float, default=3.4)
    args = parser.parse_args()
    {"gemm": gemm, "isa": isa, "overhead": overhead, "paired": paired}[args.kind](args)


if __name__ == "__main__":
    main()
