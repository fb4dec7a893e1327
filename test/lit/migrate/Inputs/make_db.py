#!/usr/bin/env python3
"""make_db.py DIR INCLUDE FILE... : writes DIR/compile_commands.json with one
clang++-19 -std=c++20 command per FILE (relative to DIR)."""
import json
import os
import sys

d, inc, files = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
db = [{"directory": d, "file": os.path.join(d, f),
       "arguments": ["clang++-19", "-std=c++20", "-I" + inc, "-I" + d, "-c", os.path.join(d, f)]} for f in files]
with open(os.path.join(d, "compile_commands.json"), "w") as out:
    json.dump(db, out, indent=1)
