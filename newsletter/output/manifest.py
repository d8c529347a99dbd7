"""build/manifest.json: every output with what it is, its size and its sha256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import orjson

_ORJSON = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def file_entry(path: str, data: bytes, sha256: str | None = None) -> dict[str, Any]:
    """A file's row: its path, size and SHA-256 (`sha256`, when the caller has it already)."""
    return {"path": path, "bytes": len(data), "sha256": sha256 or hashlib.sha256(data).hexdigest()}


def dumps(data: Any) -> bytes:
    """Stable JSON: sorted keys, UTF-8 kept readable, two-space indent, trailing newline.

    The bytes are those of `json.dumps(ensure_ascii=False, indent=2, sort_keys=True)`, made by
    orjson (the standard library's indenting encoder is pure Python: a large build's manifest
    took a tenth of a second), except that a float with an exponent is written in orjson's
    shortest form (1e-7, not 1e-07). What orjson does not take (keys that are not strings,
    integers past 64 bits) goes through the standard library.
    """
    try:
        return orjson.dumps(data, option=_ORJSON) + b"\n"
    except TypeError:
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def manifest(outputs: list[dict[str, Any]], assets: dict[str, bytes], extra: dict[str, Any],
             sha256: Callable[[str, bytes], str] | None = None) -> bytes:
    """The manifest's bytes; `sha256(path, data)` gives a file's hash when the caller keeps them."""
    return dumps({
        "generator": extra.get("generator", "newsletter"),
        "outputs": outputs,
        "assets": [file_entry(name, data, sha256(name, data) if sha256 else None)
                   for name, data in sorted(assets.items())],
        **{k: v for k, v in extra.items() if k != "generator"},
    })
