"""The customer-data cache: parsed exports kept by content hash, so an unchanged export costs nothing.

    .newsletter-cache/customers/<key>.parquet   the typed records of every export file
    .newsletter-cache/customers/<key>.names.parquet  each record's name key and _order, sorted
    .newsletter-cache/customers/<key>.json      their diagnostics and the files they came from
    .newsletter-cache/customers/files.json     size, mtime and sha256 of each export file seen

`key` hashes the files' contents (sha256) with everything that changes how they are read
(settings, audience ids, tiers, engine version). files.json lets an unchanged file skip
rehashing, the way git and make trust size + mtime. The folder is safe to delete; it holds
personal data (it is a copy of the export), so keep it out of version control.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__

CACHE_DIR = ".newsletter-cache/customers"
INDEX = "files.json"
#: Bumped when the records' shape or the parsing rules change.
FORMAT = 4
_CHUNK = 8 << 20
# Line breaks that Python's splitlines sees but a CSV reader does not: files that have
# them are read by the exact (slower) path, so line numbers stay the same.
_ODD_BYTES = b"\x0b\x0c\x1c\x1d\x1e"
_ODD_SEQUENCES = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


@dataclass(frozen=True)
class FileFacts:
    """What the engine needs to know about one export file before reading it."""

    sha256: str
    newlines: int      # number of b"\n"
    ends_with_newline: bool
    odd_breaks: bool   # line breaks other than \n and \r\n
    quotes: bool       # a '"' anywhere (lines.py splits lines without them only)


def _has(window: bytes | bytearray, sequence: bytes) -> bool:
    """Whether `window` holds `sequence` (two or three bytes)."""
    # A search for several bytes runs at a fraction of memory speed (140 MB: 0.1 s for
    # C2 85, whose C2 starts every NBSP and guillemet); its first byte is found at memory speed
    # and the rest compared, while that byte is rare, and the slower search takes over if not.
    lead, find = sequence[0], window.find
    place, budget = find(lead), len(window) >> 8
    while place >= 0 and budget:
        if window.startswith(sequence, place):
            return True
        place, budget = find(lead, place + 1), budget - 1
    return place >= 0 and find(sequence, place) >= 0


def _odd_breaks(window: bytes | bytearray) -> bool:
    """Whether `window` holds a line break other than LF and CR LF (a CR at its very end is
    judged with what follows it)."""
    # A byte search runs at memory speed; a search for two or three bytes is several times
    # slower, so each is made only when its first byte occurs at all.
    if any(byte in window for byte in _ODD_BYTES):
        return True
    if b"\r" in window and window.count(b"\r") - window.endswith(b"\r") != window.count(b"\r\n"):
        return True
    return any(sequence[0] in window and _has(window, sequence) for sequence in _ODD_SEQUENCES)


def _scan(path: Path) -> FileFacts:
    """The facts of the file at `path`, read once in large chunks."""
    digest = hashlib.sha256()
    newlines, odd, quotes, tail = 0, False, False, b""  # tail: the last two bytes read so far
    buffer = bytearray(_CHUNK)  # read into one buffer: no new 8 MB object per chunk
    with path.open("rb", buffering=0) as f:
        while size := f.readinto(buffer):
            chunk = buffer if size == len(buffer) else buffer[:size]
            digest.update(chunk)
            newlines += chunk.count(b"\n")
            if not odd:
                # A break split by the chunk's start lies within two bytes either side of it.
                edge = tail + chunk[:2]
                odd = ((tail.endswith(b"\r") and not chunk.startswith(b"\n"))
                       or any(sequence in edge for sequence in _ODD_SEQUENCES) or _odd_breaks(chunk))
            quotes = quotes or b'"' in chunk
            tail = (tail + chunk[-2:])[-2:]
    odd = odd or tail.endswith(b"\r")
    return FileFacts(digest.hexdigest(), newlines, tail.endswith(b"\n") or not tail, odd, quotes)


class Cache:
    """The cache folder of one project."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / CACHE_DIR
        self._index: dict | None = None

    def _load_index(self) -> dict:
        if self._index is None:
            try:
                self._index = json.loads((self.dir / INDEX).read_text(encoding="utf-8"))
                if not isinstance(self._index, dict):
                    self._index = {}
            except (OSError, ValueError):
                self._index = {}
        return self._index

    def facts(self, name: str, path: Path) -> FileFacts:
        """The file's hash and line facts, rehashed only when its size or mtime changed."""
        stat = path.stat()
        facts = self._fresh(name, stat)
        if facts is None:
            facts = _scan(path)
            self._load_index()[name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, **facts.__dict__}
        return facts

    def stale(self, name: str, path: Path) -> bool:
        """Whether facts() would scan the file: never seen, or its size or mtime changed."""
        return self._fresh(name, path.stat()) is None

    def seen(self, name: str) -> FileFacts | None:
        """The facts of `name` when it was last scanned, whether or not it changed since."""
        seen = self._load_index().get(name)
        try:
            return FileFacts(seen["sha256"], seen["newlines"], seen["ends_with_newline"], seen["odd_breaks"],
                             seen["quotes"]) if isinstance(seen, dict) else None
        except KeyError:
            return None

    def _fresh(self, name: str, stat: os.stat_result) -> FileFacts | None:
        seen = self._load_index().get(name)
        if isinstance(seen, dict) and seen.get("size") == stat.st_size and seen.get("mtime_ns") == stat.st_mtime_ns:
            return self.seen(name)
        return None

    def save_index(self) -> None:
        self._write(INDEX, json.dumps(self._load_index(), sort_keys=True, indent=1).encode("utf-8"))

    @staticmethod
    def key(files: list[tuple[str, str]], context: dict) -> str:
        """The cache key of these (name, sha256) files read with `context` (settings and the like)."""
        blob = json.dumps({"format": FORMAT, "version": __version__, "files": files, "context": context},
                          sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def records_path(self, key: str) -> Path:
        return self.dir / f"{key}.parquet"

    def names_path(self, key: str) -> Path:
        """The records' name keys and places (_order), sorted by name key: finding a few
        customers by name reads a row group or two of it (Parquet keeps each one's min and max)."""
        return self.dir / f"{key}.names.parquet"

    def meta(self, key: str) -> dict | None:
        """The diagnostics and file list stored with `key`; None when absent or unreadable."""
        if not self.records_path(key).is_file() or not self.names_path(key).is_file():
            return None
        try:
            data = json.loads((self.dir / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def save_meta(self, key: str, meta: dict) -> None:
        self._write(f"{key}.json", json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def tmp_records_path(self, key: str, part: str = "") -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        return self.dir / f".{key}{part}.{os.getpid()}.parquet"

    def commit_records(self, tmp: Path, names: Path, key: str) -> None:
        """Put the records and their names file written to `tmp` and `names` in place."""
        os.replace(names, self.names_path(key))
        os.replace(tmp, self.records_path(key))

    def _write(self, name: str, data: bytes) -> None:
        """Write atomically, so a crash or a second process never leaves half a file."""
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.dir / name)
