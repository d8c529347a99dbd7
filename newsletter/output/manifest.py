"""build/manifest.json: every output with what it is, its size and its sha256."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def dumps(data: Any) -> bytes:
    """Stable JSON: sorted keys, UTF-8 kept readable, trailing newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def manifest(outputs: list[dict[str, Any]], assets: dict[str, bytes], extra: dict[str, Any]) -> bytes:
    return dumps({
        "generator": extra.get("generator", "newsletter"),
        "outputs": outputs,
        "assets": [file_entry(name, data) for name, data in sorted(assets.items())],
        **{k: v for k, v in extra.items() if k != "generator"},
    })
