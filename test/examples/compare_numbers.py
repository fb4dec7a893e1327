#!/usr/bin/env python3
"""compare_numbers.py: runs an example and compares its stdout with the
checked-in expected file, allowing numbers to differ in their last printed
digit.

    compare_numbers.py PROGRAM EXPECTED ACTUAL

The expected files are produced with the portable SSE2 GEMM kernels
(VARSCOPE_ISA=sse2, see runtime/src/ops/gemm.h). This test runs the program
with the kernels the CPU picks (AVX2+FMA or AVX-512 where available), whose
fused multiply-adds change the last bits of some results. Every
whitespace-separated token must match exactly, except that two decimal numbers
may differ by at most 2e-6 + 1e-5 * |expected| (one unit in the sixth printed
decimal, plus rounding). Names, shapes, counts and integers must be identical.
Exit status 0 when they match, 1 with a report of every difference.
"""
import re
import subprocess
import sys

NUMBER = re.compile(r"^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$")


def close(expected, actual):
    if expected == actual:
        return True
    if not (NUMBER.match(expected) and NUMBER.match(actual)):
        return False
    e, a = float(expected), float(actual)
    return abs(e - a) <= 2e-6 + 1e-5 * abs(e)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: compare_numbers.py PROGRAM EXPECTED ACTUAL")
    program, expected_path, actual_path = sys.argv[1:]
    run = subprocess.run([program], capture_output=True, text=True)
    with open(actual_path, "w") as f:
        f.write(run.stdout)
    if run.returncode != 0:
        print("%s exited with %d\nstderr:\n%s" % (program, run.returncode, run.stderr))
        return 1
    with open(expected_path) as f:
        expected_lines = f.read().splitlines()
    actual_lines = run.stdout.splitlines()
    problems = []
    if len(expected_lines) != len(actual_lines):
        problems.append("%d lines expected, %d printed" % (len(expected_lines), len(actual_lines)))
    for number, (e, a) in enumerate(zip(expected_lines, actual_lines), start=1):
        et, at = e.split(), a.split()
        if len(et) != len(at) or not all(close(x, y) for x, y in zip(et, at)):
            problems.append("line %d:\n  expected: %s\n  actual:   %s" % (number, e, a))
    if problems:
        print("output of %s differs from %s beyond the last printed digit (actual output in %s):"
              % (program, expected_path, actual_path))
        print("\n".join(problems[:20]))
        if len(problems) > 20:
            print("(%d more)" % (len(problems) - 20))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
