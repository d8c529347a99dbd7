"""Results of functions of text alone (newsletter.core.memo) kept from one build to the next.

They live in the store in shards, by their core.memo.fact_key (a digest of the memo's name
and arguments: a shard holds no story's text), under a key that
holds newsletter's code fingerprint: a rebuild that renders every message again (a template
or settings change) loads the shards it needs and works out only what is new. A shard holds
at most SHARD_KEPT results, the most recently worked out last, so edits that come and go do
not make it grow for ever.
"""

from __future__ import annotations

import threading
from typing import Any

from .keys import code_fingerprint, digest
from .store import Store

SHARDS = 64
SHARD_KEPT = 2048  # results per shard: 131,072 in all, a few thousand stories' worth


def _shard(key: bytes) -> int:
    return key[0] % SHARDS  # a digest's bytes are spread evenly already


class Facts:
    """A core.memo Source over one project's store, for one build."""

    def __init__(self, store: Store):
        self.store = store
        self._prefix = digest("facts-by-key", code_fingerprint())
        self._shards: dict[int, dict[bytes, Any]] = {}
        self._lock = threading.Lock()  # render threads of the preview look up at once

    def _key(self, shard: int) -> str:
        return digest(self._prefix, str(shard))

    def _loaded(self, shard: int) -> dict[bytes, Any]:
        with self._lock:
            table = self._shards.get(shard)
            if table is None:
                found = self.store.get("facts", self._key(shard))
                table = self._shards[shard] = found if isinstance(found, dict) else {}
            return table

    def lookup(self, key: bytes) -> tuple[bool, Any]:
        table = self._loaded(_shard(key))
        return (True, table[key]) if key in table else (False, None)

    def keep(self, fresh: dict[bytes, Any]) -> int:
        """Put results worked out in this build (core.memo.take_fresh()) in the store, with
        those their shards already hold; how many."""
        by_shard: dict[int, list[tuple[bytes, Any]]] = {}
        for key, value in fresh.items():
            by_shard.setdefault(_shard(key), []).append((key, value))
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
