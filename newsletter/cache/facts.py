"""Results of functions of text alone (newsletter.core.memo) kept from one build to the next.

They live in the store in shards, by a hash of (memo name, arguments), under a key that
holds newsletter's code fingerprint: a rebuild that renders every message again (a template
or settings change) loads the shards it needs and works out only what is new. A shard holds
at most SHARD_KEPT results, the most recently worked out last, so edits that come and go do
not make it grow for ever.
"""

from __future__ import annotations

import threading
import zlib
from typing import Any

from .keys import code_fingerprint, digest
from .store import Store

SHARDS = 64
SHARD_KEPT = 2048  # results per shard: 131,072 in all, a few thousand stories' worth


def _shard(name: str, args: tuple) -> int:
    # Stable across processes (unlike hash()), and cheap on a story's whole text: the shard
    # only spreads results, so arguments that join alike may share one.
    return zlib.crc32("\0".join([name, *map(str, args)]).encode("utf-8", "surrogatepass")) % SHARDS


class Facts:
    """A core.memo Source over one project's store, for one build."""

    def __init__(self, store: Store):
        self.store = store
        self._prefix = digest("facts", code_fingerprint())
        self._shards: dict[int, dict[tuple[str, tuple], Any]] = {}
        self._lock = threading.Lock()  # render threads of the preview look up at once

    def _key(self, shard: int) -> str:
        return digest(self._prefix, str(shard))

    def _loaded(self, shard: int) -> dict[tuple[str, tuple], Any]:
        with self._lock:
            table = self._shards.get(shard)
            if table is None:
                found = self.store.get("facts", self._key(shard))
                table = self._shards[shard] = found if isinstance(found, dict) else {}
            return table

    def lookup(self, name: str, args: tuple) -> tuple[bool, Any]:
        table = self._loaded(_shard(name, args))
        key = (name, args)  # hashable: the memo asking has looked it up in its own dict first
        return (True, table[key]) if key in table else (False, None)

    def keep(self, fresh: dict[str, dict[tuple, Any]]) -> int:
        """Put results worked out in this build (core.memo.take_fresh()) in the store, with
        those their shards already hold; how many."""
        by_shard: dict[int, list[tuple[tuple[str, tuple], Any]]] = {}
        for name, entries in fresh.items():
            for args, value in entries.items():
                by_shard.setdefault(_shard(name, args), []).append(((name, args), value))
        for shard, items in sorted(by_shard.items()):
            table = dict(self._loaded(shard))
            for key, value in items:
                table.pop(key, None)  # moved to the newest end
                table[key] = value
            while len(table) > SHARD_KEPT:
                table.pop(next(iter(table)))
            with self._lock:
                self._shards[shard] = table
            self.store.put("facts", self._key(shard), table)
        return sum(len(items) for items in by_shard.values())
