"""make_project.py N DIR INCLUDE: writes N small TUs over a shared header into
DIR with a compile_commands.json (test helper for index sharding)."""
import json
import os
import sys

n, out, include = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(os.path.join(out, "src"), exist_ok=True)
with open(os.path.join(out, "src", "layers.h"), "w") as f:
    f.write('#pragma once\n#include <varscope/v1.h>\n\n'
            'inline void dense(int units, const char* name = nullptr) {\n'
            '  varscope::v1::variable_scope scope(name, "dense");\n'
            '  varscope::v1::get_variable("kernel", {4, units});\n'
            '  varscope::v1::get_variable("bias", {units});\n}\n')
entries = []
for i in range(n):
    path = os.path.join(out, "src", "tu%d.cpp" % i)
    with open(path, "w") as f:
        f.write('#include "layers.h"\n\n'
                'void block%d() {\n'
                '  varscope::v1::variable_scope scope("block%d");\n'
                '  for (int j = 0; j < %d; ++j) dense(8);\n'
                '  dense(2, "out");\n}\n' % (i, i, 1 + i % 3))
    entries.append({"directory": out, "file": path,
                    "arguments": ["clang++-19", "-std=c++20", "-I" + include, "-c", path, "-o", path + ".o"]})
with open(os.path.join(out, "compile_commands.json"), "w") as f:
    json.dump(entries, f, indent=1)
