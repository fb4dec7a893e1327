"""varscope-clangd as an editor runs it: LSP over stdio.

Opens a file with a reuse conflict caused by an unnamed guard and checks the
varscope diagnostics clangd publishes (message, range, code, source,
relatedInformation), asks for the quick fix of the guard, applies it, sends
the edit and checks that the diagnostics go away; a clean file gets none.

usage: editor_test.py --clangd BIN --include DIR [--timeout SECONDS]
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lsp  # noqa: E402

MODEL = """#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main() {
  v1::get_variable("kernel", {4, 4});
  {
    v1::variable_scope("decoder");
    v1::get_variable("kernel", {4, 4});
  }
}
"""

CLEAN = """#include <varscope/v1.h>

namespace v1 = varscope::v1;

int main() {
  {
    v1::variable_scope scope("encoder");
    v1::get_variable("kernel", {4, 4});
  }
  v1::variable_scope scope("decoder", {.reuse = v1::AUTO_REUSE});
  v1::get_variable("kernel", {4, 4});
  v1::get_variable("kernel", {4, 4});
}
"""

CLANGD_CONFIG = """Diagnostics:
  ClangTidy:
    Add: [varscope-*]
    FastCheckFilter: Loose
"""

REUSE_MESSAGE = (
    "variable 'kernel' already exists; TF raises: Variable kernel already exists, disallowed. "
    "Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
)
GUARD_MESSAGE = (
    "unnamed v1::variable_scope 'decoder' is destroyed at the end of this statement, so the scope applies to "
    "nothing; give the guard a name"
)

failures = []


def expect(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)
    return cond


def clangd_message(message, fix=False):
    """clangd capitalises diagnostics and marks those with a fix."""
    return message[0].upper() + message[1:] + (" (fix available)" if fix else "")


def rng(l1, c1, l2, c2):
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def varscope_diags(diags):
    return [d for d in diags if str(d.get("code", "")).startswith("varscope-")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clangd", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="varscope-clangd-test-")
    server = None
    try:
        with open(os.path.join(work, "compile_flags.txt"), "w") as f:
            f.write("-std=c++20\n-I%s\n" % os.path.abspath(args.include))
        with open(os.path.join(work, ".clangd"), "w") as f:
            f.write(CLANGD_CONFIG)
        model, clean = os.path.join(work, "model.cpp"), os.path.join(work, "clean.cpp")
        for path, text in ((model, MODEL), (clean, CLEAN)):
            with open(path, "w") as f:
                f.write(text)

        argv = [os.path.abspath(args.clangd), "--log=error", "--background-index=false", "--clang-tidy"]
        server = lsp.Server(argv, cwd=work)
        server.initialize(work, args.timeout)
        server.open(model, MODEL)
        server.open(clean, CLEAN)

        # 1. The reuse conflict and its cause.
        diags = varscope_diags(server.diagnostics(model, args.timeout, version=1))
        reuse = [d for d in diags if d["code"] == "varscope-reuse-already-exists"]
        guard = [d for d in diags if d["code"] == "varscope-unnamed-guard"]
        expect(len(diags) == 2, "two varscope diagnostics on model.cpp (got %d)" % len(diags))
        if expect(len(reuse) == 1, "varscope-reuse-already-exists published"):
            d = reuse[0]
            expect(d["message"] == clangd_message(REUSE_MESSAGE), "reuse message: " + d["message"])
            expect(d["range"] == rng(8, 4, 8, 38), "reuse range is the get_variable call: %s" % d["range"])
            expect(d.get("source") == "clang-tidy", "source is clang-tidy")
            expect(d.get("severity") == 2, "severity is warning")
            related = d.get("relatedInformation", [])
            expect(
                len(related) == 1
                and related[0]["message"] == "'kernel' was first created here"
                and related[0]["location"]["uri"] == lsp.uri(model)
                and related[0]["location"]["range"] == rng(5, 2, 5, 36),
                "relatedInformation points at the first creation: %s" % related,
            )
        if not expect(len(guard) == 1, "varscope-unnamed-guard published"):
            return 1
        g = guard[0]
        expect(g["message"] == clangd_message(GUARD_MESSAGE, fix=True), "guard message: " + g["message"])
        expect(g["range"]["start"] == {"line": 7, "character": 4}, "guard range starts at the guard")

        # 2. Its quick fix names the guard.
        actions = server.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": lsp.uri(model)}, "range": g["range"], "context": {"diagnostics": [g]}},
            args.timeout,
        )
        fixes = [a for a in actions or [] if a.get("kind") == "quickfix" and a.get("edit")]
        if not expect(len(fixes) == 1, "one quick fix for the guard (got %d)" % len(fixes)):
            return 1
        edits = fixes[0]["edit"].get("changes", {}).get(lsp.uri(model), [])
        expect(
            edits == [{"range": rng(7, 22, 7, 22), "newText": " vs_decoder"}],
            "the fix inserts ' vs_decoder' after variable_scope: %s" % edits,
        )
        attached = fixes[0].get("diagnostics", [])
        expect(
            [(a.get("code"), a["range"]) for a in attached] == [("varscope-unnamed-guard", g["range"])],
            "the fix is attached to the guard diagnostic: %s" % attached,
        )
        fixed = lsp.apply_edits(MODEL, edits)
        expect('v1::variable_scope vs_decoder("decoder");' in fixed, "edit applied")

        # 3. After the edit, kernel is decoder/kernel: nothing left.
        server.change(model, fixed, 2)
        after = varscope_diags(server.diagnostics(model, args.timeout, version=2))
        expect(after == [], "no varscope diagnostic after the fix: %s" % [d["message"] for d in after])

        # 4. The clean file.
        clean_diags = server.diagnostics(clean, args.timeout)
        expect(varscope_diags(clean_diags) == [], "no varscope diagnostic on clean.cpp")
        expect(
            not [d for d in clean_diags if d.get("severity") == 1], "clean.cpp compiles: %s" % clean_diags
        )
    except lsp.LSPError as e:
        expect(False, str(e))
    finally:
        if server:
            server.close()
        shutil.rmtree(work, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
