"""expect_exit.py CODE CMD...: run CMD (output passed through); succeed iff it exits with CODE."""
import subprocess
import sys

code = int(sys.argv[1])
rc = subprocess.call(sys.argv[2:])
if rc != code:
    sys.stderr.write("expected exit code %d, got %d\n" % (code, rc))
    sys.exit(1)
