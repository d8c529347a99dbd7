"""Helpers every content reader shares: reading UTF-8, front matter, ids from file names."""

from __future__ import annotations

from pathlib import Path

from . import merge
from .diagnostics import Diagnostics, Location, relative
from .sourcemap import SourceError, load_yaml, split_front_matter


def read_text(root: Path, path: Path, diagnostics: Diagnostics) -> str | None:
    name = relative(path, root)
    try:
        return merge.strip_sentinels(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not UTF-8 text (byte {exc.start}: {exc.reason}); save the file as UTF-8",
                          Location(name), "encoding")
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror}", Location(name), "io")
    return None


def front_matter(root: Path, path: Path, diagnostics: Diagnostics):
    """(data, smap, body, body_line) of a Markdown file with front matter, or None."""
    name = relative(path, root)
    text = read_text(root, path, diagnostics)
    if text is None:
        return None
    try:
        front, body, body_line = split_front_matter(text)
        data, smap = load_yaml(front, line_offset=1)
    except SourceError as exc:
        diagnostics.error(exc.message, Location(name, exc.line, exc.column), "syntax")
        return None
    if not isinstance(data, dict):
        diagnostics.error("front matter must be a mapping of keys to values",
                          Location(name, 2, 1), "invalid")
        return None
    return data, smap, body, body_line


def slug_ok(path: Path, name: str, diagnostics: Diagnostics) -> bool:
    stem = path.stem
    if stem and stem.replace("-", "").isalnum() and stem.isascii() and stem == stem.lower():
        return True
    diagnostics.error(f"file name '{path.name}' must be lower-case ASCII letters, digits and '-' "
                      "(it becomes the id)", Location(name), "bad-name")
    return False


def known(names) -> str:
    return f" (known: {', '.join(sorted(names))})" if names else ""
