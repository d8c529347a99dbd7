"""Results of functions of text alone, by their arguments: kept for the process and, through
the build cache, from one run to the next.

A story's text layout, the language it is written in and its promotional phrases depend on
nothing but the text (and newsletter's code and libraries): a rebuild after a template or
settings change, which renders every message again, takes them from the last run instead of
working them out again (a third of a build's CPU). A `TextMemo` is an lru_cache that also
asks a `Source` (newsletter.cache.facts) on a miss and remembers what it worked out itself
(`fresh`), for the render workers to hand back and the cache to keep.

May import nothing else from newsletter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["TextMemo", "text_memo", "MEMOS", "take_fresh", "absorb", "clear", "keeping", "reading_from"]


class Source(Protocol):
    """Where results of earlier runs are looked up (newsletter.cache.facts.Facts)."""

    def lookup(self, name: str, args: tuple) -> tuple[bool, Any]:
        """(True, the result) when an earlier run kept one for these arguments, else (False, None)."""


_MISSING = object()
_SOURCE: Source | None = None


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
        source = _SOURCE
        found, value = source.lookup(self.name, args) if source is not None else (False, None)
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

    def take_fresh(self) -> dict[tuple, Any]:
        """What this process worked out since the last call (and forget that it did)."""
        with self._lock:
            fresh, self._fresh = self._fresh, {}
        return fresh

    def absorb(self, entries: dict[tuple, Any]) -> None:
        """Results worked out elsewhere (a render worker): known here now, and fresh, so the
        cache keeps them."""
        with self._lock:
            for args, value in entries.items():
                self._entries.setdefault(args, value)
                self._fresh.setdefault(args, value)
            self._trim()

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


def take_fresh() -> dict[str, dict[tuple, Any]]:
    """What every memo worked out since the last call, by memo name (empty ones left out)."""
    return {name: fresh for name, memo in MEMOS.items() if (fresh := memo.take_fresh())}


def absorb(tables: dict[str, dict[tuple, Any]]) -> None:
    """Results another process worked out (take_fresh's value there)."""
    for name, entries in tables.items():
        if name in MEMOS:
            MEMOS[name].absorb(entries)


def clear() -> None:
    """Forget everything kept in memory (a test or benchmark timing a build from scratch)."""
    for memo in MEMOS.values():
        memo.clear()


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
