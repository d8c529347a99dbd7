"""What the preview server shows right now, shared between the watcher and request threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import Diagnostic
from .catalog import Catalog


@dataclass(frozen=True)
class View:
    """An immutable snapshot for rendering one page: the last good build and the last error."""

    root: Path
    catalog: Catalog | None
    errors: tuple[Diagnostic, ...]
    generation: int
    building: bool
    summary: str = ""


@dataclass
class State:
    """The last good build, the errors of the last attempt, and a generation counter.

    Every finished (re)build, good or bad, bumps the generation; open pages wait for that
    on /events and reload.
    """

    root: Path
    catalog: Catalog | None = None
    errors: tuple[Diagnostic, ...] = ()
    generation: int = 0
    building: bool = False
    closed: bool = False
    summary: str = ""
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def view(self) -> View:
        with self._cond:
            return View(self.root, self.catalog, self.errors, self.generation, self.building,
                        self.summary)

    def started(self) -> None:
        with self._cond:
            self.building = True
            self._cond.notify_all()

    def succeeded(self, catalog: Catalog, summary: str) -> None:
        with self._cond:
            self.catalog, self.errors, self.summary = catalog, (), summary
            self.generation += 1
            self.building = False
            self._cond.notify_all()

    def failed(self, diagnostics: list[Diagnostic]) -> None:
        with self._cond:
            self.errors = tuple(diagnostics)
            self.generation += 1
            self.building = False
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def wait(self, generation: int, building: bool, timeout: float) -> tuple[int, bool, bool]:
        """Block until the generation or the building flag differs from the given ones,
        the state closes, or `timeout` passes; returns (generation, building, closed)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self.generation != generation
                                or self.building != building, timeout)
            return self.generation, self.building, self.closed
