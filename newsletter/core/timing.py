"""Wall time per named step of a build, for the summary and the benchmarks."""

from __future__ import annotations

import time
from contextlib import contextmanager


class Timer:
    """Wall time per named step, for the summary and the benchmarks."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.totals[name] = self.totals.get(name, 0.0) + time.perf_counter() - start
