"""Results of functions of text alone, by their arguments: kept for the process and, through
the build cache, from one run to the next.

A story's text layout, the language it is written in and its promotional phrases depend on
nothing but the text (and newsletter's code and libraries): a rebuild after a template or
settings change, which renders every message again, takes them from the last run instead of
working them out again (a third of a build's CPU). A `TextMemo` is an lru_cache that also
asks a `Source` (newsletter.cache.facts) on a miss and remembers what it worked out itself
(`fresh`), for the render workers to hand back and the cache to keep.

Between processes and in the cache a result goes by `fact_key`, a digest of the memo's name
and the arguments, not by the arguments themselves: those are whole stories, and a parent
holding every result its workers worked out would hold a second copy of each story's text.

May import nothing else from newsletter.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["TextMemo", "text_memo", "fact_key", "MEMOS", "take_fresh", "absorb", "clear", "keeping",
           "reading_from"]


class Source(Protocol):
    """Where results of earlier runs are looked up (newsletter.cache.facts.Facts)."""

    def lookup(self, key: bytes) -> tuple[bool, Any]:
        """(True, the result) when an earlier run kept one under this fact_key, else (False, None)."""


_MISSING = object()
_SOURCE: Source | None = None
#: Results other processes worked out (a render worker's), by fact_key, until take_fresh.
_ABSORBED: dict[bytes, Any] = {}
_ABSORBED_LOCK = threading.Lock()


def _encode(value: Any, into: list[bytes]) -> None:
    """Append an unambiguous, process-independent encoding of an argument (str, int, bool,
    None, float or a tuple of them): each piece says its type and, for text, its length."""
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        into += (b"s%d:" % len(data), data)
    elif isinstance(value, bool) or value is None:
        into.append(b"c" + repr(value).encode())
    elif isinstance(value, int):
        into.append(b"i%d;" % value)
    elif isinstance(value, float):
        into.append(b"f" + value.hex().encode() + b";")
    elif isinstance(value, tuple):
        into.append(b"t%d:" % len(value))
        for item in value:
            _encode(item, into)
    else:
        raise TypeError(f"a text memo's arguments are text, numbers and tuples of them, not {type(value).__name__}")


def fact_key(name: str, args: tuple) -> bytes:
    """The digest a result goes by outside its process: the memo's name and its arguments."""
    pieces: list[bytes] = []
    _encode((name, args), pieces)
    return hashlib.blake2b(b"".join(pieces), digest_size=16).digest()


class TextMemo:
    """A function's results by its (hashable, picklable) arguments, oldest dropped first.

    The function must be pure: its result depends only on its arguments and the code.
    """

    def __init__(self, name: str, function: Callable, maxsize: int):
        self.name, self.function, self.maxsize = name, function, maxsize
        self.__doc__, self.__wrapped__ = function.__doc__, function
        self._entries: dict[tuple, Any] = {}
        self._fresh: dict[tuple, Any] = {}  # worked out here since the last take_fresh()
        self._lock = threading.Lock()
        self.computed = 0  # how many results this process worked out (for tests and benchmarks)

    def __call__(self, *args):
        with self._lock:
            value = self._entries.get(args, _MISSING)
        if value is not _MISSING:
            return value
        found, value = False, None
        source = _SOURCE
        if source is not None or _ABSORBED:
            key = fact_key(self.name, args)
            with _ABSORBED_LOCK:
                value = _ABSORBED.get(key, _MISSING)
            found = value is not _MISSING
            if not found:
                found, value = source.lookup(key) if source is not None else (False, None)
        if not found:
            value = self.function(*args)
            self.computed += 1
        with self._lock:
            value = self._entries.setdefault(args, value)  # another thread's result, if it was first
            if not found:
                self._fresh[args] = value
            self._trim()
        return value

    def _trim(self) -> None:
        """Drop the oldest entries beyond maxsize (fresh ones too: a run without the cache
        never takes them)."""
        while len(self._entries) > self.maxsize:
            self._entries.pop(next(iter(self._entries)))
        while len(self._fresh) > self.maxsize:
            self._fresh.pop(next(iter(self._fresh)))

    def take_fresh(self) -> dict[bytes, Any]:
        """What this process worked out since the last call, by fact_key (and forget that it did)."""
        with self._lock:
            fresh, self._fresh = self._fresh, {}
        return {fact_key(self.name, args): value for args, value in fresh.items()}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._fresh.clear()


#: Every TextMemo by name (the name is part of the cache's key: unique).
MEMOS: dict[str, TextMemo] = {}


def text_memo(name: str, maxsize: int = 4096) -> Callable[[Callable], TextMemo]:
    """Decorator: the function's results kept by its arguments (see TextMemo)."""
    def wrap(function: Callable) -> TextMemo:
        if name in MEMOS:
            raise ValueError(f"two text memos named {name!r}")
        MEMOS[name] = memo = TextMemo(name, function, maxsize)
        return memo
    return wrap


def take_fresh() -> dict[bytes, Any]:
    """What every memo worked out since the last call, and what was absorbed, by fact_key."""
    fresh: dict[bytes, Any] = {}
    for memo in MEMOS.values():
        fresh.update(memo.take_fresh())
    with _ABSORBED_LOCK:
        fresh.update(_ABSORBED)
        _ABSORBED.clear()
    return fresh


def absorb(entries: dict[bytes, Any]) -> None:
    """Results another process worked out (take_fresh's value there): known here by their
    key until the next take_fresh, which hands them on with this process's own."""
    with _ABSORBED_LOCK:
        _ABSORBED.update(entries)


def clear() -> None:
    """Forget everything kept in memory (a test or benchmark timing a build from scratch)."""
    for memo in MEMOS.values():
        memo.clear()
    with _ABSORBED_LOCK:
        _ABSORBED.clear()


def keeping() -> bool:
    """Whether a run that keeps results (one with a Source) is under way."""
    return _SOURCE is not None


@contextmanager
def reading_from(source: Source | None) -> Iterator[None]:
    """While inside, a miss asks `source` before working a result out."""
    global _SOURCE
    previous, _SOURCE = _SOURCE, source
    try:
        yield
    finally:
        _SOURCE = previous
