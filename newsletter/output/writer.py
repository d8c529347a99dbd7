"""The only module that writes to the output folder: all files at once, atomically.

The new build is written to a sibling temporary folder and swapped in with renames, so a
build that fails (or is interrupted) leaves the previous output untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    pass


def _check(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafePath(f"refusing to write outside the output folder: {name!r}")
    return path


def write_tree(out_dir: Path, files: dict[str, bytes], mtime: int | None = None) -> None:
    """Replace `out_dir` with exactly `files` (relative POSIX paths -> bytes)."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for name in sorted(files):
            target = staging / _check(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
            if mtime is not None:
                os.utime(target, (mtime, mtime))
        staging.chmod(0o755)
        previous = None
        if out_dir.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            previous.rmdir()
            out_dir.rename(previous)
        staging.rename(out_dir)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), when set, stamps every file."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
