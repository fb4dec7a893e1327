"""Applies the fixes of a `varscope check --format=json` report (test helper)."""
import json
import sys

report = json.load(open(sys.argv[1]))
edits = {}
for finding in report["findings"]:
    for fix in finding["fixes"]:
        # The same edit offered by several findings is applied once, as
        # clang-apply-replacements does.
        if fix not in edits.setdefault(fix["file"], []):
            edits[fix["file"]].append(fix)
for path, fixes in edits.items():
    data = open(path, "rb").read()
    for fix in sorted(fixes, key=lambda f: f["offset"], reverse=True):
        data = data[: fix["offset"]] + fix["replacement"].encode() + data[fix["offset"] + fix["length"] :]
    open(path, "wb").write(data)
