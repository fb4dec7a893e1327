#!/usr/bin/env python3
"""gen_corpus.py: a synthetic codebase written against varscope/v1.h.

    gen_corpus.py --out DIR [--tus 200] [--include RUNTIME_INCLUDE]

Writes DIR/include/corpus/*.h (helper layers: dense with a default name, a
layer norm, an MLP block template looping over its widths, an attention
block), DIR/src/model_NNN.cpp (one model per TU: a scope per model, constant
loops over layers, AUTO_REUSE towers, a captured scope re-entered, helpers
from several headers), DIR/src/main.cpp calling every model, and
DIR/compile_commands.json (clang++-19 -std=c++20). Deterministic.
"""
import argparse
import json
import os

LAYERS_H = r'''#pragma once
#include <string>
#include <varscope/v1.h>

namespace corpus {
namespace v1 = varscope::v1;

inline void dense(int in, int units, const char* name = nullptr) {
  v1::variable_scope scope(name, "dense");
  v1::get_variable("kernel", {in, units});
  v1::get_variable("bias", {units}, {.initializer = v1::zeros_initializer()});
}

inline void layer_norm(int dim, const char* name = "layer_norm") {
  v1::variable_scope scope(name);
  v1::get_variable("gamma", {dim}, {.initializer = v1::ones_initializer()});
  v1::get_variable("beta", {dim}, {.initializer = v1::zeros_initializer()});
}

template <int Depth> void mlp_block(int dim, const char* name = nullptr) {
  v1::variable_scope scope(name, "mlp");
  for (int i = 0; i < Depth; ++i)
    dense(dim, dim);
}
} // namespace corpus
'''

BLOCKS_H = r'''#pragma once
#include "corpus/layers.h"

namespace corpus {
inline void attention_%(k)d(int dim) {
  v1::variable_scope scope("attention");
  for (const char* part : {"query", "key", "value"}) {
    v1::variable_scope head(part);
    v1::get_variable("kernel", {dim, dim});
  }
  dense(dim, dim, "output");
  layer_norm(dim);
}

inline void encoder_layer_%(k)d(int dim, int index) {
  v1::variable_scope scope("layer_" + std::to_string(index));
  attention_%(k)d(dim);
  mlp_block<2>(dim);
}
} // namespace corpus
'''

MODEL_CPP = r'''#include "corpus/blocks_%(k)d.h"
#include "corpus/models.h"

namespace corpus {

namespace {
void tower(int dim) {
  dense(dim, dim);
  dense(dim, 1, "logits");
}
} // namespace

void build_model_%(i)03d() {
  v1::variable_scope scope("model_%(i)03d");
  v1::get_variable("embedding", {%(vocab)d, 16});
  for (int l = 0; l < %(layers)d; ++l)
    encoder_layer_%(k)d(16, l);
  v1::VariableScope saved = v1::get_variable_scope();
  {
    v1::variable_scope heads("heads", {.reuse = v1::AUTO_REUSE});
    for (int t = 0; t < 3; ++t)
      tower(16);
  }
  v1::variable_scope again(saved, {.reuse = true});
  v1::get_variable("embedding", {%(vocab)d, 16});
}

} // namespace corpus
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--tus", type=int, default=200)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--include", default=os.path.normpath(os.path.join(here, "..", "..", "runtime", "include")))
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    inc = os.path.join(out, "include")
    os.makedirs(os.path.join(inc, "corpus"), exist_ok=True)
    os.makedirs(os.path.join(out, "src"), exist_ok=True)
    nblocks = 8

    def write(path, text):
        with open(path, "w") as f:
            f.write(text)

    write(os.path.join(inc, "corpus", "layers.h"), LAYERS_H)
    for k in range(nblocks):
        write(os.path.join(inc, "corpus", "blocks_%d.h" % k), BLOCKS_H % {"k": k})
    decls = "".join("void build_model_%03d();\n" % i for i in range(args.tus))
    write(os.path.join(inc, "corpus", "models.h"), "#pragma once\nnamespace corpus {\n%s}\n" % decls)
    files = []
    for i in range(args.tus):
        path = os.path.join(out, "src", "model_%03d.cpp" % i)
        write(path, MODEL_CPP % {"i": i, "k": i % nblocks, "layers": 2 + i % 4, "vocab": 100 + i})
        files.append(path)
    calls = "".join("  corpus::build_model_%03d();\n" % i for i in range(args.tus))
    main_cpp = os.path.join(out, "src", "main.cpp")
    write(main_cpp, '#include "corpus/models.h"\n\nint main() {\n%s}\n' % calls)
    files.append(main_cpp)
    db = [{"directory": out, "file": f,
           "arguments": ["clang++-19", "-std=c++20", "-I" + inc, "-I" + args.include, "-c", f, "-o", f + ".o"]}
          for f in files]
    write(os.path.join(out, "compile_commands.json"), json.dumps(db, indent=1) + "\n")
    print("wrote %d TUs (+ main.cpp) to %s" % (args.tus, out))


if __name__ == "__main__":
    main()
