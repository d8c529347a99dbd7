"""Run the test-only Node tools in tests/js (installed by `make test`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

JS = Path(__file__).resolve().parent / "js"


def run(script: str, payload) -> object:
    node = shutil.which("node")
    assert node, "node is not installed: run `make test`, which sets up the test tools"
    assert (JS / "node_modules").is_dir(), "tests/js/node_modules is missing: run `make test`"
    done = subprocess.run([node, str(JS / script)], input=json.dumps(payload).encode("utf-8"),
                          capture_output=True, check=False, cwd=JS, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout)
