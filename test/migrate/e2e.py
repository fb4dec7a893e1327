#!/usr/bin/env python3
"""End-to-end check of `varscope migrate` (differential).

Copies a v1 project to a scratch directory, builds every program of it,
runs `varscope migrate --apply`, checks no file includes <varscope/v1.h> any
more (except the files of entry points that migrate notes as continuing in
their caller's v1 scope, and --unmigrated files), builds the migrated programs against the runtime, runs original and
migrated with `--dump DIR` and requires identical stdout and identical store
dumps (`varscope-dump diff A B` exits 0). Then runs migrate again and
requires no edits (idempotence).

  e2e.py --varscope BIN --dump-tool BIN --runtime-include DIR --runtime-lib LIB
         --work DIR (--project DIR [--include REL]... --program NAME=SRC[,SRC...]...
                     [--unmigrated SRC]... | --examples DIR)

--unmigrated: a source of a program that stays out of the compilation
database, so it is not migrated (a caller outside the project).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

CXX = os.environ.get("CXX", "clang++-19")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def examples_manifest(root):
    """Programs and include dirs of examples/CMakeLists.txt."""
    text = open(os.path.join(root, "CMakeLists.txt")).read()
    programs = {}
    for m in re.finditer(r"^add_varscope_example\((\w+)\s+([^)]*)\)", text, re.M):
        name, srcs = m.group(1), m.group(2).split()
        programs[name] = srcs
    includes = ["common"] + re.findall(r"target_include_directories\(\w+ PRIVATE \$\{CMAKE_CURRENT_SOURCE_DIR\}/(\S+)\)",
                                        text)
    return programs, includes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varscope", required=True)
    ap.add_argument("--dump-tool", required=True)
    ap.add_argument("--runtime-include", required=True)
    ap.add_argument("--runtime-lib", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--project")
    ap.add_argument("--examples")
    ap.add_argument("--include", action="append", default=[])
    ap.add_argument("--program", action="append", default=[])
    ap.add_argument("--unmigrated", action="append", default=[])
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    a.runtime_include = os.path.abspath(a.runtime_include)
    a.runtime_lib = os.path.abspath(a.runtime_lib)

    if a.examples:
        source = a.examples
        programs, includes = examples_manifest(a.examples)
    else:
        source = a.project
        includes = a.include
        programs = {}
        for p in a.program:
            name, srcs = p.split("=", 1)
            programs[name] = srcs.split(",")

    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    orig, migr = os.path.join(work, "original"), os.path.join(work, "migrated")
    shutil.copytree(source, orig, ignore=shutil.ignore_patterns("CMakeLists.txt", "manifest.json"))
    shutil.copytree(orig, migr)

    flags = ["-std=c++20", "-I" + a.runtime_include] + ["-I" + os.path.join(migr, i) for i in includes]
    srcs = sorted({s for ss in programs.values() for s in ss} - set(a.unmigrated))
    db = [{"directory": migr, "file": os.path.join(migr, s),
           "arguments": [CXX] + flags + ["-c", os.path.join(migr, s)]} for s in srcs]
    with open(os.path.join(migr, "compile_commands.json"), "w") as f:
        json.dump(db, f, indent=1)

    def build(tree, name):
        out = os.path.join(work, "bin-" + os.path.basename(tree) + "-" + name)
        cmd = [CXX, "-std=c++20", "-O1", "-w", "-I" + a.runtime_include] + \
              ["-I" + os.path.join(tree, i) for i in includes] + \
              [os.path.join(tree, s) for s in programs[name]] + [a.runtime_lib, "-lpthread", "-o", out]
        r = run(cmd)
        if r.returncode != 0:
            return None, r.stderr
        return out, ""

    failures = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        built_orig = dict(zip(programs, pool.map(lambda n: build(orig, n), programs)))
    for name, (exe, err) in built_orig.items():
        if exe is None:
            print("error: original %s does not build:\n%s" % (name, err))
            return 1

    # From the project's root, as a user would run it (its .varscope.yaml).
    r = run([a.varscope, "migrate", "-p", migr, "--apply", "-j", str(a.jobs)], cwd=migr)
    print("$ varscope migrate -p <copy> --apply  -> exit %d" % r.returncode)
    sys.stdout.write(r.stdout)
    sys.stdout.write(r.stderr)
    if r.returncode != 0:
        failures.append("migrate --apply exited %d" % r.returncode)

    bridged = set(re.findall(r"^varscope: note: (.+?):\d+: '[^']*' keeps its signature and continues", r.stderr, re.M))
    for dirpath, _, files in os.walk(migr):
        for f in files:
            p = os.path.join(dirpath, f)
            if os.path.relpath(p, migr) in bridged:
                continue
            if f.endswith((".h", ".hpp")) or os.path.relpath(p, migr) in srcs:
                if re.search(r"#\s*include\s*[<\"]varscope/v1\.h[>\"]", open(p).read()):
                    failures.append("%s still includes varscope/v1.h" % os.path.relpath(p, migr))

    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        built_migr = dict(zip(programs, pool.map(lambda n: build(migr, n), programs)))
    for name in sorted(programs):
        exe_m, err = built_migr[name]
        if exe_m is None:
            failures.append("migrated %s does not build:\n%s" % (name, err[:4000]))
            continue
        exe_o = built_orig[name][0]
        dumps = []
        outs = []
        for exe in (exe_o, exe_m):
            d = exe + ".dump"
            rr = run([exe, "--dump", d])
            outs.append((rr.returncode, rr.stdout))
            dumps.append(d)
        if outs[0] != outs[1]:
            failures.append("%s: stdout/exit code differ after migration" % name)
            continue
        rr = run([a.dump_tool, "diff", dumps[0], dumps[1]])
        if rr.returncode != 0:
            failures.append("%s: store dumps differ:\n%s%s" % (name, rr.stdout[:3000], rr.stderr[:1000]))
            continue
        print("ok: %s (stdout %d lines, dumps identical)" % (name, outs[0][1].count("\n")))

    r = run([a.varscope, "migrate", "-p", migr, "--dry-run"], cwd=migr)
    if r.returncode != 0 or r.stdout.strip():
        failures.append("second run is not a no-op (exit %d):\n%s" % (r.returncode, r.stdout[:3000]))
    else:
        print("ok: idempotent (second --dry-run prints nothing)")

    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
