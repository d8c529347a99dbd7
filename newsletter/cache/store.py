"""A folder of content-addressed entries: bytes under the hash of what made them."""

from __future__ import annotations

import gc
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from ..output.outdir import CACHE_DIR

__all__ = ["CACHE_DIR", "Store"]

#: Kinds whose objects the build changes after reading them (a project's planned variants and
#: rendered Markdown): never shared through the in-memory store, always unpickled afresh.
_NOT_SHARED = frozenset({"project"})

_README = (b"newsletter's build cache: results keyed by a hash of their inputs, so a rebuild redoes\n"
           b"only what changed. Safe to delete at any time; keep it out of version control.\n")


#: Texts longer than this are written by the pickler below; a short one's copy costs little.
_LONG = 256


class _Pickler(pickle.Pickler):
    """Writes a long non-ASCII text as its UTF-8 bytes. Pickle's own way keeps a UTF-8 copy
    inside each such string it writes, for as long as the string lives: a story's Chinese body
    then takes 2.5 times its size, and a 5000-story build with the cache peaked at 229 MB
    instead of 200."""

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        # A text met again in one entry (a story's body in a project) is written once, as
        # pickle writes any object it met before: the same bytes, which the pickler memoises.
        self._written: dict[int, tuple[str, bytes]] = {}

    def persistent_id(self, obj):
        if type(obj) is str and len(obj) > _LONG and not obj.isascii():
            seen = self._written.get(id(obj))
            if seen is None:
                seen = self._written[id(obj)] = (obj, obj.encode("utf-8", "surrogatepass"))
            return seen[1]
        return None


class _Unpickler(pickle.Unpickler):
    """Reads what _Pickler wrote, a text met again as the same string."""

    def __init__(self, file):
        super().__init__(file)
        self._read: dict[int, tuple[bytes, str]] = {}

    def persistent_load(self, pid):
        seen = self._read.get(id(pid))
        if seen is None:
            seen = self._read[id(pid)] = (pid, pid.decode("utf-8", "surrogatepass"))
        return seen[1]


def cache_enabled() -> bool:
    """The cache is on unless NEWSLETTER_CACHE=0 (e.g. to time a build from scratch)."""
    return os.environ.get("NEWSLETTER_CACHE", "1") != "0"


#: Kinds that hold no long text (check findings, whose quotes are cut short): pickled without
#: _Pickler's call per object, which is most of pickling a whole check report (85,000 objects
#: on the benchmark project, kept again after every preview reload).
_PLAIN = frozenset({"reports", "findings"})


def _dump(value: Any, file, plain: bool = False) -> None:
    if plain:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        _Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


def _dumps(value: Any, plain: bool = False) -> bytes:
    buffer = io.BytesIO()
    _dump(value, buffer, plain)
    return buffer.getvalue()


def _loads(data: bytes) -> Any:
    """Unpickle without the cyclic collector: a large entry (a whole project) makes hundreds of
    thousands of objects, and the collections they trigger cost five times the unpickling.
    Nothing unpickled here is garbage yet, so skipping them frees nothing less."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Unpickler(io.BytesIO(data)).load()
    finally:
        if enabled:
            gc.enable()


class Store:
    """`<project>/.newsletter-cache/<kind>/<key[:2]>/<key>`, written atomically.

    Entries are pickles of our own objects, written by this program into the project's
    own folder; one that cannot be read (truncated, from another Python) counts as absent.
    """

    def __init__(self, folder: Path, memory: dict | None = None):
        self.folder = Path(folder)
        self.usable = True
        self.hits = self.misses = 0
        self._pending: dict[tuple[str, str], bytes] = {}
        #: Objects of this process's earlier runs (the preview's rebuilds), shared as they are:
        #: only results nobody changes (rendered files, findings) go through it.
        self.memory = memory
        self.used: set[tuple[str, str]] = set()
        #: Set by write_through(): each put is written at once instead of held until flush().
        self.direct = False

    @classmethod
    def for_project(cls, root: Path) -> "Store":
        return cls(Path(root) / CACHE_DIR)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any | None:
        """The object stored under `key` (or put in this run, not yet written), or None."""
        if not self.usable:
            return None
        self.used.add((kind, key))
        if self.memory is not None and kind not in _NOT_SHARED and (kind, key) in self.memory:
            self.hits += 1
            return self.memory[kind, key]
        try:
            data = self._pending.get((kind, key))
            if data is None:
                data = self._path(kind, key).read_bytes()
            value = _loads(data)
        except Exception:  # absent, or damaged: a miss, and the next put replaces it
            self.misses += 1
            return None
        self.hits += 1
        if self.memory is not None and kind not in _NOT_SHARED:
            self.memory[kind, key] = value
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep `value`, pickled now (later changes to it are not kept), until flush(); after
        write_through(), written at once."""
        if not self.usable:
            return
        self.used.add((kind, key))
        if self.direct and self.memory is None:
            # Pickled straight into its file, a frame at a time: a whole project's pickle
            # (17 MB on 5000 stories) is never held in memory, nor the buffer's growth.
            self._write(kind, key, lambda handle: _dump(value, handle, kind in _PLAIN))
            return
        try:
            data = self._pending[kind, key] = _dumps(value, kind in _PLAIN)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a result that cannot be kept is made again next time
        if self.memory is not None and kind not in _NOT_SHARED:
            self.memory[kind, key] = _loads(data) if kind == "stories" else value
        if self.direct:
            self.flush()

    def write_through(self) -> None:
        """From now on the run may write into the project: write what was put so far, and each
        later put at once, so a large build does not hold every entry's bytes until its end
        (on 5000 stories, 90 MB: the project, each story, each message's files)."""
        self.direct = True
        self.flush()

    def forget_unused(self) -> None:
        """Keep in memory only what this run used (the preview's memory stays the project's size)."""
        if self.memory is not None:
            for item in [item for item in self.memory if item not in self.used]:
                del self.memory[item]
            self.used = set()

    def flush(self) -> None:
        """Write what was put. Called once the run may write into the project (a refused
        output folder must leave the project as it was); a folder we cannot write turns the
        cache off, it never fails the build."""
        pending, self._pending = self._pending, {}
        for (kind, key), data in pending.items():
            self._write(kind, key, lambda handle, data=data: handle.write(data))

    def _write(self, kind: str, key: str, write) -> None:
        """Write one entry through `write(file)`, atomically; an entry that cannot be pickled
        is left out (made again next time), a folder we cannot write turns the cache off."""
        if not self.usable:
            return
        try:
            if not self.folder.is_dir():
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / "README").write_bytes(_README)
            path = self._path(kind, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    write(handle)
                os.replace(tmp, path)  # readers see the whole entry or none
            except (pickle.PicklingError, TypeError, AttributeError):
                os.unlink(tmp)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            self.usable = False
