"""The only module that writes to an output folder: all files at once, atomically.

The new output is written to a sibling folder `.<name>.new-*` that carries our marker from
its first byte on, then swapped in. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`:
at every instant `<name>/` is either the complete old output or the complete new one.
Where the file system or kernel cannot exchange (ENOSYS, EINVAL), the swap falls back to
two renames, `<name>` -> `.<name>.old-*` then the new folder -> `<name>`; a crash between
them leaves no `<name>/` for a moment, and the next run restores `.<name>.old-*` first.
Files the caller knows the old output holds with the same bytes (`reuse`, see
newsletter.output.uptodate) are hard-linked into the new folder instead of written again,
so a rebuild that changed a few messages writes only those; the old folder is never
changed in place.
Each run also removes the `.<name>.new-*` and `.<name>.old-*` leftovers of killed runs
that carry our marker. Which folders may be replaced at all is `newsletter.output.outdir`'s call;
nothing without our marker is ever removed.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Collection
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .outdir import (
    LEGACY_MANIFEST,
    MARKER,
    MARKER_TEXT,
    Sources,
    check,
    is_empty,
    is_ours,
)

_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_LIBC = ctypes.CDLL(None, use_errno=True)
_RENAMEAT2 = getattr(_LIBC, "renameat2", None)  # glibc 2.28+; absent elsewhere


class UnsafePath(ValueError):
    pass


def _check(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafePath(f"refusing to write outside the output folder: {name!r}")
    if path.parts[0] == MARKER:
        raise UnsafePath(f"{MARKER} is newsletter's own file in every output folder: {name!r}")
    return path


def write_tree(out_dir: Path, files: dict[str, bytes], mtime: int | None = None, *,
               sources: Sources, reuse: Collection[str] = ()) -> None:
    """Replace `out_dir` with exactly `files` (relative POSIX paths -> bytes) and our marker.

    OutputRefused, before anything is touched, when `out_dir` is not a folder newsletter
    may replace (see newsletter.output.outdir); `sources` is the project it must keep clear of.
    `reuse` names files that `out_dir` already holds with the same bytes and file time: they
    are linked, not written (and written after all where the file system cannot link, or
    the file is no longer a regular file of that size). Unchanged files then keep their
    modification time when no SOURCE_DATE_EPOCH sets one.
    """
    names = {name: _check(name) for name in files}
    target = check(out_dir, sources)
    parent, name = target.parent, target.name
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent) as dirfd:  # two writers at once would take each other's staging for leftovers
        _recover(parent, name)
        target = check(out_dir, sources)  # again: the folder may have been restored, or changed
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.new-", dir=parent))
        try:
            _write(staging, MARKER, MARKER_TEXT, mtime)  # first: a killed run's staging is ours
            made = {str(staging)}
            for key in sorted(files):
                if not (key in reuse and _link(target, staging, key, len(files[key]), made)):
                    _write(staging, names[key], files[key], mtime, made)
            staging.chmod(0o755)
            if not os.path.lexists(target):
                _rename(dirfd, staging.name, name)
                return
            if _exchange(dirfd, staging.name, name):
                previous = staging  # now holds the old output
            else:
                previous = parent / staging.name.replace(".new-", ".old-", 1)
                os.rename(target, previous)
                try:
                    os.rename(staging, target)
                except BaseException:
                    os.rename(previous, target)
                    raise
        except BaseException:
            _discard(staging)
            raise
        _discard(previous)


def _write(folder: Path, name: PurePosixPath | str, data: bytes, mtime: int | None,
           made: set[str] | None = None) -> None:
    target = os.path.join(folder, name)
    _parent(target, made)
    with open(target, "wb") as handle:
        handle.write(data)
    if mtime is not None:
        os.utime(target, (mtime, mtime))


def _parent(path: str, made: set[str] | None) -> None:
    """Make the folder `path` goes in (`made`: folders known to exist, to skip the calls)."""
    parent = os.path.dirname(path)
    if made is None or parent not in made:
        os.makedirs(parent, exist_ok=True)
        if made is not None:
            made.add(parent)


def _link(old: Path, staging: Path, name: str, size: int, made: set[str]) -> bool:
    """Hard-link `old/name` as `staging/name`; False (nothing left behind) when that did not
    give a regular file of `size` bytes, e.g. on a file system without hard links."""
    source, target = os.path.join(old, name), os.path.join(staging, name)
    try:
        _parent(target, made)
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return False
    info = os.lstat(target)
    if stat.S_ISREG(info.st_mode) and info.st_size == size:
        return True
    os.unlink(target)  # replaced by something else since the caller looked
    return False


@contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on `folder` (released by the kernel if the process dies)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def _exchange(dirfd: int, new: str, old: str) -> bool:
    """Swap two entries of `dirfd` atomically; False when this system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(dirfd, os.fsencode(new), dirfd, os.fsencode(old), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):  # an old kernel, or a file system without exchange
        return False
    raise OSError(code, os.strerror(code), old)


def _rename(dirfd: int, new: str, old: str) -> None:
    """Rename `new` to `old`, which must not exist (a folder made meanwhile is not replaced)."""
    if _RENAMEAT2 is not None:
        if _RENAMEAT2(dirfd, os.fsencode(new), dirfd, os.fsencode(old), _RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL):
            raise OSError(code, os.strerror(code), old)
    os.rename(new, old, src_dir_fd=dirfd, dst_dir_fd=dirfd)


def _leftovers(parent: Path, name: str) -> list[Path]:
    prefixes = (f".{name}.new-", f".{name}.old-")
    return sorted(p for p in parent.iterdir()
                  if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink())


def _recover(parent: Path, name: str) -> None:
    """Undo what killed runs left: restore a missing output, remove their folders."""
    leftovers = _leftovers(parent, name)
    target = parent / name
    if not os.path.lexists(target):
        # A run stopped between the fallback's two renames: its .old-* is the last complete output.
        olds = [p for p in leftovers if p.name.startswith(f".{name}.old-") and is_ours(p)]
        if olds:
            latest = max(olds, key=lambda p: (p.stat().st_ctime_ns, p.name))
            os.rename(latest, target)
            leftovers.remove(latest)
    for path in leftovers:
        _discard(path)


def _discard(folder: Path) -> None:
    """Remove a folder we made, or one that is empty; anything else is left where it is."""
    try:
        if is_ours(folder):
            _remove(folder)
        elif is_empty(folder):
            folder.rmdir()
    except OSError:
        pass  # the output itself is in place; the next run tries again


def _remove(folder: Path) -> None:
    """Delete an output folder, its proof of ownership last, so a killed removal stays ours."""
    proofs = (LEGACY_MANIFEST, MARKER)
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in proofs:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
    for proof in proofs:
        if os.path.lexists(folder / proof):
            os.unlink(folder / proof)
    folder.rmdir()


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), when set, stamps every file."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
