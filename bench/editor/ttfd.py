"""Time to first diagnostics of varscope-clangd on a ~1,000-line model file,
with and without the varscope checks (benchmark, not a test).

Each run starts a fresh server in a fresh directory (compile_flags.txt, a
.clangd that does or does not add varscope-*), opens the file and times
  open:   didOpen -> first publishDiagnostics (preamble + AST + checks), and
  change: didChange -> publishDiagnostics (preamble reused: AST + checks).
Runs alternate between the two modes; medians and ratios are printed.

usage: ttfd.py --clangd BIN --include DIR [--runs N] [--lines N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "clangd"))
import lsp  # noqa: E402

CONFIG = {
    "without": "Diagnostics:\n  ClangTidy:\n    FastCheckFilter: Loose\n",
    "with": "Diagnostics:\n  ClangTidy:\n    Add: [varscope-*]\n    FastCheckFilter: Loose\n",
}


def one_run(args, mode, source):
    work = tempfile.mkdtemp(prefix="varscope-editor-bench-")
    server = None
    try:
        with open(os.path.join(work, "compile_flags.txt"), "w") as f:
            f.write("-std=c++20\n-I%s\n" % os.path.abspath(args.include))
        with open(os.path.join(work, ".clangd"), "w") as f:
            f.write(CONFIG[mode])
        path = os.path.join(work, "model.cpp")
        with open(path, "w") as f:
            f.write(source)
        server = lsp.Server(
            [os.path.abspath(args.clangd), "--log=error", "--background-index=false", "-j=1"], cwd=work
        )
        server.initialize(work, args.timeout)
        t0 = time.monotonic()
        server.open(path, source)
        diags = server.diagnostics(path, args.timeout, version=1)
        t_open = time.monotonic() - t0
        t0 = time.monotonic()
        server.change(path, source + "// edited\n", 2)
        server.diagnostics(path, args.timeout, version=2)
        t_change = time.monotonic() - t0
        found = sum(1 for d in diags if str(d.get("code", "")).startswith("varscope-"))
        return t_open, t_change, found
    finally:
        if server:
            server.close()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clangd", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()

    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen_model.py")
    with tempfile.NamedTemporaryFile("r", suffix=".cpp") as f:
        subprocess.run([sys.executable, gen, f.name, "--lines", str(args.lines)], check=True)
        source = f.read()
    print("model: %d lines; %d runs per mode" % (source.count("\n"), args.runs))

    times = {m: {"open": [], "change": []} for m in CONFIG}
    found = {}
    one_run(args, "without", source)  # warm the file system cache
    for _ in range(args.runs):
        for mode in CONFIG:
            t_open, t_change, n = one_run(args, mode, source)
            times[mode]["open"].append(t_open)
            times[mode]["change"].append(t_change)
            found[mode] = n
    for mode in CONFIG:
        print(
            "%-8s open %.3fs  change %.3fs  (median; %d varscope diagnostics)"
            % (mode, statistics.median(times[mode]["open"]), statistics.median(times[mode]["change"]), found[mode])
        )
    if found["with"] == 0 or found["without"] != 0:
        print("error: the checks did not run as configured", file=sys.stderr)
        return 1
    for what in ("open", "change"):
        ratio = statistics.median(times["with"][what]) / statistics.median(times["without"][what])
        print("ratio %-6s %.2fx (target <= 1.5x)" % (what, ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
