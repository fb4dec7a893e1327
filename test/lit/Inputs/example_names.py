"""example_names.py: precision and recall of `varscope names` on one example.

  example_names.py --varscope BIN --build DIR --example BIN --work DIR SOURCE...

Runs `varscope names --format=json -p DIR SOURCE...` (static) and
`EXAMPLE --dump WORK/dump` (the runtime's store.json), compares the store
names (partitioned variables as their `v/part_N` shards), prints the figures
and every difference, and exits 1 unless precision and recall are both 100%.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys


def static_names(report):
    names = set()
    for var in report["variables"]:
        parts = var.get("partitions")
        if parts:
            names.update(p["name"] for p in parts)
        else:
            names.add(var["name"])
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varscope", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--example", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("sources", nargs="+")
    args = ap.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    cmd = [args.varscope, "names", "--format=json", "-p", args.build,
           "--cache-dir=" + os.path.join(args.work, "cache")] + args.sources
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        print("error: %s exited with %d" % (" ".join(cmd), run.returncode))
        return 1
    static = static_names(json.loads(run.stdout))

    dump = os.path.join(args.work, "dump")
    prog = subprocess.run([args.example, "--dump", dump], capture_output=True, text=True)
    if prog.returncode != 0:
        sys.stderr.write(prog.stderr)
        print("error: %s --dump exited with %d" % (args.example, prog.returncode))
        return 1
    with open(os.path.join(dump, "store.json")) as f:
        dumped = {v["store_name"] for v in json.load(f)["variables"]}

    common = static & dumped
    precision = 100.0 * len(common) / len(static) if static else 100.0
    recall = 100.0 * len(common) / len(dumped) if dumped else 100.0
    name = os.path.basename(args.example)
    print("%s: static %d, runtime %d, common %d: precision %.1f%%, recall %.1f%%"
          % (name, len(static), len(dumped), len(common), precision, recall))
    for n in sorted(static - dumped):
        print("  only static:  " + n)
    for n in sorted(dumped - static):
        print("  only runtime: " + n)
    return 0 if common == static == dumped else 1


if __name__ == "__main__":
    sys.exit(main())
