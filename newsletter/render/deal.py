"""Dealing messages to forked render workers so each worker meets as few stories as it can.

A story's own work (its HTML, its text layout, what the checks read in it) is done once per
process that meets it. Messages that share stories are next to each other in the affinity
order (by language, since a story goes only to readers of its language, then in plan order:
the audiences of one issue and the issues of one season share stories). The order is cut
into one contiguous part per worker; each worker takes the messages of its own part from
the front, and a worker whose part is done takes from the back of the part with the most
left, far from where that part's own worker is. The parts are the same on every run; which
worker takes the last few messages depends on timing, which changes no byte of the output.
"""

from __future__ import annotations

import multiprocessing
from typing import Sequence

from ..compose.selection import Variant

#: Seconds a worker waits for the deal's lock, which is held for microseconds at a time.
LOCK_WAIT = 10.0


def affinity_order(variants: Sequence[Variant], todo: Sequence[int]) -> list[int]:
    """The indices of `todo`, messages that share stories next to each other."""
    return sorted(todo, key=lambda index: (variants[index].locale, index))


class Deal:
    """The messages of one render pool, cut into one part per worker; shared by the workers.

    Made before the fork (its counters live in shared memory); each worker calls `join()`
    once, then `take()` for each message it is asked to render.
    """

    def __init__(self, order: Sequence[int], parts: int):
        self.order = list(order)
        parts = max(1, min(parts, len(self.order)))
        bounds = [len(self.order) * part // parts for part in range(parts + 1)]
        ctx = multiprocessing.get_context("fork")
        # (front, back) of each part's messages left: order[front:back].
        self._left = ctx.Array("l", [edge for part in range(parts) for edge in bounds[part:part + 2]])
        self._joined = ctx.Value("l", 0)
        self._own: int | None = None

    def join(self) -> None:
        """In a worker: take the next part as its own (a worker started later only helps)."""
        with self._joined.get_lock():
            self._own = self._joined.value
            self._joined.value += 1

    def take(self) -> int:
        """The next message for this worker (an index of `order`'s values); IndexError when none
        is left, or when the lock stays taken (a worker killed while holding it would otherwise
        leave this one waiting for ever: the parent renders what no worker took)."""
        lock = self._left.get_lock()
        if not lock.acquire(timeout=LOCK_WAIT):
            raise IndexError("the deal's lock was not released")
        try:
            left = self._left
            own = self._own
            if own is not None and own < len(left) // 2 and left[2 * own] < left[2 * own + 1]:
                left[2 * own] += 1
                return self.order[left[2 * own] - 1]
            sizes = [left[2 * part + 1] - left[2 * part] for part in range(len(left) // 2)]
            most = max(range(len(sizes)), key=lambda part: sizes[part])
            if sizes[most] <= 0:
                raise IndexError("every message was taken")
            left[2 * most + 1] -= 1
            return self.order[left[2 * most + 1]]
        finally:
            lock.release()
