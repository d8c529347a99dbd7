"""A command's printed output, kept with the inputs it came from, to print again unchanged.

A `newsletter build` with nothing changed since the last one writes nothing (the output
folder already holds its files) and prints what it printed then; most of its time in a
fresh process went to importing the renderers and checks and to reading the cache's
project back. Here it is decided from the inputs alone: the hashes the build cache keys
by (newsletter.cache.keys: the code and its libraries, every setting, every story, issue,
pack, template, translation, font, asset, customer export and check plugin), the output
folder as the last run left it (each file's size, times and inode: any change to it, even
a touched file, and the build runs again), and how the output is shown (the options,
whether stdout and stderr are terminals and how wide, the environment that changes
colours). Only a run that wrote its output is kept (its checks passed or not: a failing
check is printed again, with the same exit code), and only one per project and output folder.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from ..output.uptodate import folder_state
from .keys import ProjectKeys, digest
from .store import Store, cache_enabled

#: The record's shape; another value makes every kept record a miss.
FORMAT = "replay-1"
#: Environment variables that change what a command prints or how (colours, width, cache).
SHOWN_BY = ("NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "COLUMNS", "LINES", "TTY_COMPATIBLE",
            "TTY_INTERACTIVE", "NEWSLETTER_CACHE", "PYTHONIOENCODING", "SOURCE_DATE_EPOCH")


def _screen() -> list[str]:
    """How the output is shown: terminals or not, their size, their encodings."""
    parts = []
    for stream in (sys.stdout, sys.stderr):
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        parts += [repr(tty), str(getattr(stream, "encoding", ""))]
    if parts[0] == "True" or parts[2] == "True":
        parts.append(repr(tuple(shutil.get_terminal_size())))
    return parts + [f"{name}={os.environ.get(name, '')}" for name in SHOWN_BY]


class Replay:
    """The kept output of one command on one project and output folder."""

    def __init__(self, store: Store, slot: str, key: str, out_dir: Path):
        self.store, self.slot, self.key, self.out_dir = store, slot, key, out_dir
        #: The exit code of the run printed again (after play()).
        self.code = 0

    @classmethod
    def open(cls, root: Path, out_dir: Path, command: str, options: Sequence[str]) -> "Replay | None":
        """The replay of `command` with `options` (as they change what it prints), or None
        when its inputs cannot be told here (unreadable settings: the command says why)."""
        try:
            # The output folder as named, never resolved: a symbolic link given as --out is
            # refused by the build, even to a folder a build made (folder_state() is None there).
            root, out_dir = Path(root).resolve(), Path(os.path.abspath(out_dir))
            # No settings model: the whole of newsletter.toml is in the key (keys.checks()), and
            # what it names (customer exports, check plugins) is read from its text.
            store = Store.for_project(root)
            known = store.get("stat", digest("stat", str(root)))
            keys = ProjectKeys(root, None, known if isinstance(known, dict) else None)
            key = digest(FORMAT, keys.code, keys.shared(), keys.checks(), keys.sources(), str(out_dir),
                         command, *options, *_screen())
        except Exception:  # anything odd: the command runs as always and reports it
            return None
        return cls(store, digest(FORMAT, "slot", str(root), str(out_dir), command), key, out_dir)

    def play(self) -> bool:
        """Print the kept output again if nothing it came from changed; whether it did."""
        kept = self.store.get("replay", self.slot)
        if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == self.key):
            return False
        try:
            if kept[1] is None or folder_state(self.out_dir) != kept[1]:
                return False
        except OSError:  # an unreadable output folder: the build says what is wrong with it
            return False
        streams = (sys.stdout, sys.stderr)
        for which, text in kept[2]:
            streams[which].write(text)
        for stream in streams:
            stream.flush()
        self.code = kept[3]
        return True

    def keep(self, printed: list[tuple[int, str]], code: int) -> None:
        """Keep what the command printed (stream 0 stdout, 1 stderr, in order) and its exit
        code, with the output folder as it is now."""
        try:
            state = folder_state(self.out_dir)
        except OSError:  # nothing to compare a later run with: it builds
            return
        self.store.put("replay", self.slot, (self.key, state, printed, code))
        self.store.flush()


class Copies:
    """What a command printed while copied (see copied_output), in order."""

    def __init__(self) -> None:
        self.printed: list[tuple[int, str]] = []
        self.pausing = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Not copied while inside: what only a live terminal shows (a progress bar)."""
        self.pausing = True
        try:
            yield
        finally:
            self.pausing = False


class _Copying(io.TextIOBase):
    """A text stream that writes through to `stream` and keeps a copy in `copies`."""

    def __init__(self, stream, which: int, copies: Copies):
        self.stream, self.which, self.copies = stream, which, copies

    def write(self, text: str) -> int:
        written = self.stream.write(text)
        if not self.copies.pausing:
            self.copies.printed.append((self.which, text))
        return written

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self):  # type: ignore[override]
        return self.stream.encoding

    @property
    def errors(self):  # type: ignore[override]
        return self.stream.errors

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


@contextmanager
def copied_output() -> Iterator[Copies]:
    """While inside, what is written to sys.stdout and sys.stderr is also kept, in order."""
    copies = Copies()
    out, err = sys.stdout, sys.stderr
    sys.stdout = _Copying(out, 0, copies)  # type: ignore[assignment]
    sys.stderr = _Copying(err, 1, copies)  # type: ignore[assignment]
    try:
        yield copies
    finally:
        sys.stdout, sys.stderr = out, err


def replay_for(root: Path, out_dir: Path | None, command: str, options: Sequence[str], *,
               cache: bool = True, enabled: bool = True) -> Replay | None:
    """The command's Replay when its output may be kept (the cache is on), else None."""
    if not (enabled and cache and cache_enabled()):
        return None
    return Replay.open(root, out_dir or Path(root) / "build", command, options)
