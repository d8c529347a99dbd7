"""Whether an output folder already holds exactly what a build would write.

A no-op rebuild should not rewrite hundreds of files. After writing, the build records a
hash of the files it wrote and how the folder looked on disk (each file's size, times and
inode; the ctime changes with any edit, even one that restores the mtime). The next build
skips writing when its files hash the same and the folder still looks exactly like that.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .outdir import MARKER


def files_digest(files: dict[str, bytes], mtime: int | None) -> str:
    """A hash of every file's path and bytes, and the file time the writer sets."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr(mtime).encode("ascii"))
    for name in sorted(files):
        data = files[name]
        encoded = name.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little") + encoded + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def folder_state(folder: Path) -> tuple | None:
    """Every file and folder under `folder` with its size, times and inode; None if absent."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return None
    found = []
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        info = os.lstat(base)
        found.append((os.path.relpath(base, folder), "dir", info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
        for name in sorted(names):
            path = os.path.join(base, name)
            info = os.lstat(path)
            found.append((os.path.relpath(path, folder), info.st_mode, info.st_size, info.st_ino,
                          info.st_mtime_ns, info.st_ctime_ns))
    return tuple(found) if (folder / MARKER).is_file() else None


def unchanged(folder: Path, digest: str, record) -> bool:
    """True when `record` (digest, state) says the folder holds these files, untouched since."""
    if not record or record[0] != digest:
        return False
    return folder_state(folder) == record[1]
