#!/usr/bin/env python3
"""measure.py: whole-command timings of the analyser on a generated corpus.

    measure.py --varscope BUILD/tool/varscope --corpus DIR [--repeat 3] [--resolver-bench BUILD/bench/resolver_bench]

Times each command with time.perf_counter over --repeat runs (the median is
reported; hyperfine is not needed) and prints the ratios the targets in
bench/analyser/README.md refer to:
  * varscope check -j 1 (no cache) / clang++-19 -fsyntax-only, one process per TU   (target <= 1.15)
  * varscope check -j 1 (no cache) / clang-tidy-19 --checks=-*,misc-unused-parameters (target <= 1.0)
  * varscope check -j 1 / varscope check -j 2                                         (target >= 1.7)
with --migrate, `varscope migrate --dry-run -j 1` / `varscope check -j 1` (target <= 1.3)
and whether the migrated corpus (applied to a copy) is free of v1 and compiles;
and, with --resolver-bench, the resolver alone at 10k/100k/1M variables (time
and peak RSS, one process each). No test depends on these figures.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def timed(label, run, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print("%-58s median %7.2f s  (runs: %s)" % (label, med, ", ".join("%.2f" % t for t in times)), flush=True)
    return med


def sh(cmd, ok=(0,)):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode not in ok:
        sys.stderr.write(r.stderr.decode(errors="replace"))
        raise SystemExit("command failed (%d): %s" % (r.returncode, " ".join(cmd)))


def migrate(args, corpus, db, check_j1):
    """migrate --dry-run against check, then apply to a copy and compile it."""
    import shutil
    import tempfile
    mig = [args.varscope, "migrate", "-p", corpus, "--dry-run", "-j", "1"]
    t = timed("varscope migrate --dry-run -j 1", lambda: sh(mig, ok=(0, 1)), args.repeat)
    print("migrate --dry-run / check (-j1)      : %.3f  (target <= 1.3)" % (t / check_j1))
    work = tempfile.mkdtemp(prefix="vs-migrated-")
    copy = os.path.join(work, "corpus")
    shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".bench-cache", ".varscope-cache"))
    text = open(os.path.join(copy, "compile_commands.json")).read().replace(corpus, copy)
    open(os.path.join(copy, "compile_commands.json"), "w").write(text)
    r = subprocess.run([args.varscope, "migrate", "-p", copy, "--apply", "-j", str(os.cpu_count() or 1)],
                       capture_output=True, text=True)
    print("migrate --apply: exit %d, %s" % (r.returncode, r.stderr.strip().splitlines()[-1] if r.stderr else ""))
    left = []
    for dirpath, _, names in os.walk(copy):
        for n in names:
            if n.endswith((".h", ".cpp")):
                src = open(os.path.join(dirpath, n)).read()
                if "varscope/v1.h" in src or "v1::" in src:
                    left.append(os.path.relpath(os.path.join(dirpath, n), copy))
    failed = 0
    for e in json.loads(text):
        argv = [a for a in e["arguments"] if a != "-c"]
        if "-o" in argv:
            k = argv.index("-o")
            del argv[k:k + 2]
        c = subprocess.run(argv + ["-fsyntax-only"], cwd=e["directory"], capture_output=True, text=True)
        if c.returncode:
            failed += 1
            sys.stderr.write(c.stderr[:1500])
    print("migrated corpus: %d files still use v1, %d of %d TUs fail to compile" % (len(left), failed, len(db)))
    shutil.rmtree(work)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varscope", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--resolver-bench")
    ap.add_argument("--migrate", action="store_true",
                    help="also time migrate --dry-run and compile a migrated copy of the corpus")
    ap.add_argument("--only-migrate", action="store_true", help="skip the check/clang/tidy comparisons")
    ap.add_argument("--only-tidy", action="store_true",
                    help="only varscope check -j 1 against clang-tidy, alternating, --repeat pairs")
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    db = json.load(open(os.path.join(corpus, "compile_commands.json")))
    files = [e["file"] for e in db]
    print("corpus: %s (%d TUs), %d cores visible, repeat %d" % (corpus, len(files), os.cpu_count(), args.repeat))

    vs = [args.varscope, "check", "-p", corpus, "--cache-dir=none", "--config=none", "--progress=never"]
    tidy_cmd = ["clang-tidy-19", "-p", corpus, "--quiet", "--checks=-*,misc-unused-parameters"] + files
    if args.only_tidy:
        # Alternating pairs: a slow spell of the machine hits both sides.
        ratios, vt, tt = [], [], []
        for _ in range(args.repeat):
            vt.append(timed("varscope check -j 1 --cache-dir=none", lambda: sh(vs + ["-j", "1"], ok=(0, 1)), 1))
            tt.append(timed("clang-tidy-19 --checks=-*,misc-unused-parameters", lambda: sh(tidy_cmd, ok=(0, 1)), 1))
            ratios.append(vt[-1] / tt[-1])
        print()
        print("varscope -j1 median %.2f s, clang-tidy-19 median %.2f s" % (statistics.median(vt), statistics.median(tt)))
        print("varscope -j1 / clang-tidy-19 per pair: %s; median %.3f  (target <= 1.0)"
              % (", ".join("%.3f" % r for r in ratios), statistics.median(ratios)))
        return
    if args.only_migrate:
        j1 = timed("varscope check -j 1 --cache-dir=none", lambda: sh(vs + ["-j", "1"], ok=(0, 1)), args.repeat)
        migrate(args, corpus, db, j1)
        return
    j1 = timed("varscope check -j 1 --cache-dir=none", lambda: sh(vs + ["-j", "1"], ok=(0, 1)), args.repeat)

    def syntax_only():
        for e in db:
            argv = [a for a in e["arguments"] if a not in ("-c",)]
            if "-o" in argv:
                k = argv.index("-o")
                del argv[k:k + 2]
            sh(argv + ["-fsyntax-only"])
    cc = timed("clang++-19 -fsyntax-only (one process per TU)", syntax_only, args.repeat)

    tidy = timed("clang-tidy-19 --checks=-*,misc-unused-parameters", lambda: sh(tidy_cmd, ok=(0, 1)), args.repeat)
    j2 = timed("varscope check -j 2 --cache-dir=none", lambda: sh(vs + ["-j", "2"], ok=(0, 1)), args.repeat)
    cache_dir = os.path.join(corpus, ".bench-cache")
    sh(vs[:-3] + ["--cache-dir=" + cache_dir, "--config=none", "--progress=never"], ok=(0, 1))  # warm
    warm = timed("varscope check (warm cache, nothing parsed)",
                 lambda: sh(vs[:-3] + ["--cache-dir=" + cache_dir, "--config=none", "--progress=never"], ok=(0, 1)),
                 args.repeat)

    print()
    print("varscope -j1 / clang++ -fsyntax-only : %.3f  (target <= 1.15)" % (j1 / cc))
    print("varscope -j1 / clang-tidy-19         : %.3f  (target <= 1.0)" % (j1 / tidy))
    print("speed-up -j2 over -j1                : %.3f  (target >= 1.7)" % (j1 / j2))
    print("warm cache / cold -j1                : %.3f" % (warm / j1))

    if args.migrate:
        migrate(args, corpus, db, j1)

    if args.resolver_bench:
        print()
        for n in ("10000", "100000", "1000000"):
            r = subprocess.run([args.resolver_bench, n], capture_output=True, text=True)
            print(r.stdout.strip() or r.stderr.strip())


if __name__ == "__main__":
    main()
