"""Runs `varscope check` and clang-tidy-19 with the varscope plugin on each
file and compares their warnings and notes (file:line:col: level: message
[id]); the editor-only single-file note is ignored. Prints one line per file
and exits 1 on any difference.

usage: parity.py VARSCOPE CLANG_TIDY PLUGIN INCLUDE_DIR FILE...
"""
import os
import re
import subprocess
import sys

varscope, clang_tidy, plugin, include = sys.argv[1:5]
flags = ["-std=c++20", "-I" + include]
diag = re.compile(r"^(\S+:\d+:\d+: (warning|note): .*)$")
single_file = "resolved within this file only: "


def diagnostics(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=300).stdout
    return [m.group(1) for m in map(diag.match, out.splitlines()) if m and single_file not in m.group(1)]


failed = False
for path in map(os.path.abspath, sys.argv[5:]):
    expected = diagnostics([varscope, "check", path, "--"] + flags)
    actual = diagnostics([clang_tidy, "--load=" + plugin, "--quiet", "--checks=-*,varscope-*", path, "--"] + flags)
    if expected == actual and expected:
        print("same %d diagnostics: %s" % (len(expected), path.rsplit("/", 1)[-1]))
        continue
    failed = True
    print("DIFFERENT: %s" % path)
    for line in expected:
        if line not in actual:
            print("  only in varscope check: " + line)
    for line in actual:
        if line not in expected:
            print("  only in clang-tidy:     " + line)
    if expected == [] and actual == []:
        print("  no diagnostics at all")
sys.exit(1 if failed else 0)
