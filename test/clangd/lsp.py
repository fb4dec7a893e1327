"""A minimal LSP client over stdio for tests and benchmarks of varscope-clangd.

Frames are read on a thread into a queue; every wait has a deadline, and
close() kills the server if it does not exit, so a caller never hangs.
"""
import json
import os
import queue
import subprocess
import threading
import time


class LSPError(Exception):
    pass


def uri(path):
    return "file://" + os.path.abspath(path)


class Server:
    def __init__(self, argv, cwd, stderr=subprocess.DEVNULL):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self.messages = queue.Queue()
        self.next_id = 1
        self.pending = []  # messages read while waiting for something else
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self.messages.put(json.loads(out.read(length)))

    def send(self, msg):
        msg["jsonrpc"] = "2.0"
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params, timeout):
        rid = self.next_id
        self.next_id += 1
        self.send({"id": rid, "method": method, "params": params})
        msg = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout, "reply to " + method)
        if "error" in msg:
            raise LSPError("%s failed: %s" % (method, msg["error"]))
        return msg["result"]

    def wait(self, pred, timeout, what):
        for i, msg in enumerate(self.pending):
            if pred(msg):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LSPError("timed out after %.0fs waiting for %s" % (timeout, what))
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                raise LSPError("server exited (code %s) while waiting for %s" % (self.proc.poll(), what))
            if "method" in msg and "id" in msg:  # a request from the server: accept it
                self.send({"id": msg["id"], "result": None})
                continue
            if pred(msg):
                return msg
            self.pending.append(msg)

    def diagnostics(self, path, timeout, version=None):
        """The next publishDiagnostics for path (with that version, if given)."""
        u = uri(path)

        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != u:
                return False
            return version is None or m["params"].get("version") == version

        return self.wait(match, timeout, "diagnostics for " + os.path.basename(path))["params"]["diagnostics"]

    def initialize(self, root, timeout):
        caps = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
                "codeAction": {
                    "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}}
                },
            }
        }
        self.request("initialize", {"processId": os.getpid(), "rootUri": uri(root), "capabilities": caps}, timeout)
        self.notify("initialized", {})

    def open(self, path, text, version=1):
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri(path), "languageId": "cpp", "version": version, "text": text}},
        )

    def change(self, path, text, version):
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]},
        )

    def close(self, timeout=10):
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout)
                self.notify("exit", None)
                self.proc.wait(timeout=timeout)
        except (LSPError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


def apply_edits(text, edits):
    """Applies LSP TextEdits (ASCII text: UTF-16 units are bytes)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(pos):
        return offsets[pos["line"]] + pos["character"]

    for e in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[: offset(e["range"]["start"])] + e["newText"] + text[offset(e["range"]["end"]) :]
    return text
