"""Whether an output folder already holds exactly what a build would write.

A no-op rebuild should not rewrite hundreds of files. After writing, the build records a
hash of each file it wrote and how the folder looked on disk (each file's size, times and
inode; the ctime changes with any edit, even one that restores the mtime). The next build
skips writing when its files hash the same and the folder still looks exactly like that;
when only some files differ, the others (same bytes, untouched on disk since) are the ones
the writer may take over from the old folder instead of writing them again (`reusable`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .outdir import MARKER


def file_digests(files: dict[str, bytes]) -> dict[str, str]:
    """The SHA-256 of each file's bytes, by name (the CPU's SHA instructions make it the
    fastest hash hashlib has for the build's tens of megabytes)."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


class Digests:
    """The SHA-256 of each output file, each hashed once per build (the manifest lists them,
    the up-to-date record keeps them). `before`, the last build's `now` in a long-running
    process (the preview), saves hashing again a file whose bytes are the very same object
    (a message taken from memory): bytes never change, and `before` holds them alive, so
    the identity cannot be another object's."""

    def __init__(self, before: dict[str, tuple[bytes, str]] | None = None):
        self.before = before or {}
        self.now: dict[str, tuple[bytes, str]] = {}

    def __call__(self, name: str, data: bytes) -> str:
        """The hex SHA-256 of `data`, the bytes of file `name`."""
        hit = self.now.get(name)
        if hit is None or hit[0] is not data:
            hit = self.before.get(name)
            if hit is None or hit[0] is not data:
                hit = (data, hashlib.sha256(data).hexdigest())
            self.now[name] = hit
        return hit[1]

    def of(self, files: dict[str, bytes]) -> dict[str, str]:
        """file_digests(files); the last build's bytes are then let go."""
        out = {name: self(name, data) for name, data in files.items()}
        self.before = {}
        self.now = {name: self.now[name] for name in files}
        return out


def files_digest(files: dict[str, bytes], mtime: int | None, digests: dict[str, str] | None = None) -> str:
    """A hash of every file's path and bytes (or of `digests`, their file_digests), and the
    file time the writer sets."""
    digests = file_digests(files) if digests is None else digests
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr(mtime).encode("ascii"))
    for name in sorted(files):
        encoded = name.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little") + encoded + digests[name].encode("ascii"))
    return digest.hexdigest()


def folder_state(folder: Path) -> tuple | None:
    """Every file and folder under `folder` with its size, times and inode; None if absent.

    Folders come before what they hold, each folder's entries by name; a symbolic link is
    listed as what it is (its own mode), never followed."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return None
    state = tree_state(folder)
    return state if (folder / MARKER).is_file() else None


def tree_state(folder: Path) -> tuple:
    """folder_state's entries of a folder, whether or not it holds our marker."""
    info = os.lstat(folder)
    found: list[tuple] = [(".", "dir", info.st_ino, info.st_mtime_ns, info.st_ctime_ns)]
    _state_of(str(folder), "", found)
    return tuple(found)


def _state_of(path: str, prefix: str, found: list[tuple]) -> None:
    """Append to `found` the entries under the folder at `path` (named `prefix` in the state)."""
    with os.scandir(path) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    below = []
    for entry in entries:
        info = entry.stat(follow_symlinks=False)
        name = prefix + entry.name
        if stat.S_ISDIR(info.st_mode):
            below.append((entry, name, info))
        else:
            found.append((name, info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
    for entry, name, info in below:  # as os.walk listed them: a folder's files, then its folders
        found.append((name, "dir", info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
        _state_of(entry.path, name + os.sep, found)


def unchanged(folder: Path, digest: str, record, state: tuple | None = None) -> bool:
    """True when `record` (digest, state, ...) says the folder holds these files, untouched
    since. `state` is the folder's folder_state when the caller has it already."""
    if not record or record[0] != digest:
        return False
    return (folder_state(folder) if state is None else state) == record[1]


def reusable(record, state: tuple | None, digests: dict[str, str], mtime: int | None) -> set[str]:
    """The files a folder (now in `state`) holds with the bytes of `digests`, untouched since
    the build that left `record` (digest, state, its file digests, its file time) wrote them."""
    if not record or len(record) != 4 or record[3] != mtime:
        return set()
    return {name for name, (_, sha256) in held(record, state).items() if digests.get(name) == sha256}


def held(record, state: tuple | None) -> dict[str, tuple[tuple, str]]:
    """What a folder (in `state`) holds, untouched since the build that left `record` wrote
    it: {name: (its state entry, SHA-256)} (for newsletter.output.writer.Spare)."""
    if not record or len(record) != 4 or state is None:
        return {}
    _, before, hashes, _ = record
    then = {entry[0]: entry for entry in before if entry[1] != "dir"}
    return {entry[0]: (entry, hashes[entry[0]]) for entry in state
            if entry[1] != "dir" and stat.S_ISREG(entry[1]) and then.get(entry[0]) == entry
            and entry[0] in hashes}
