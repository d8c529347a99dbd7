"""The check registry: what a check is, how it registers, and the findings it yields."""


from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core.diagnostics import Location

QUESTIONS = {
    1: "Highlights the best customers",
    2: "Educational and valuable",
    3: "Personalised for an archetype",
    4: "Right channel",
    "checklist": "Pre-send checklist",
}
SEVERITIES = ("error", "warning", "info", "off")


@dataclass(frozen=True)
class Finding:
    """One observation; `severity` None means "use the check's configured severity"."""

    message: str
    location: Location | None = None
    suggestion: str = ""
    severity: str | None = None
    passed: bool = False  # a signal that supports a pass verdict, shown as the reason

    def to_dict(self, check: "Check", severity: str) -> dict[str, Any]:
        loc = self.location
        return {"check": check.id, "question": check.question, "severity": severity,
                "passed": self.passed, "message": self.message, "suggestion": self.suggestion,
                "file": loc.file if loc else None, "line": loc.line if loc else None,
                "column": loc.column if loc else None}


@dataclass(frozen=True)
class Check:
    id: str
    question: int | str
    severity: str
    doc: str
    run: Callable[[Any], Iterator[Finding]]
    expensive: bool = False  # skipped by `build` unless asked, always run by `check`
    #: Work done once for all messages before each is judged (scoring every .eml in parallel);
    #: it gets every CheckContext and leaves what it found in their shared memo.
    batch: Callable[[list[Any]], None] | None = None


REGISTRY: dict[str, Check] = {}


def check(id: str, question: int | str, severity: str, doc: str, expensive: bool = False,
          batch: Callable[[list[Any]], None] | None = None):
    """Decorator that registers a check function `fn(ctx) -> Iterator[Finding]`."""
    if severity not in SEVERITIES[:3]:
        raise ValueError(f"bad default severity {severity!r} for check {id}")

    def register(fn: Callable[[Any], Iterator[Finding]]) -> Callable[[Any], Iterator[Finding]]:
        REGISTRY[id] = Check(id, question, severity, doc, fn, expensive, batch)
        return fn

    return register


@dataclass
class Settings:
    """Effective severities for one project."""

    overrides: dict[str, str] = field(default_factory=dict)

    def severity(self, item: Check, finding: Finding) -> str:
        """The project's setting wins for every finding; otherwise the finding's own or the default."""
        configured = self.overrides.get(item.id)
        if configured == "off":
            return "off"
        if finding.passed:
            return "info"
        if configured and finding.severity != "info":
            return configured
        return finding.severity or item.severity


#: Modules imported from a project folder, by name: their file and its bytes when imported.
_IMPORTED: dict[str, tuple[str, bytes | None]] = {}


def load_plugins(root, modules: list[str]) -> None:
    """Import project modules that register checks (the project folder is on the path).

    A process that lives on (the preview) imports them again, with every other module of the
    project folder, once one of those files changed: the checks that run are then the ones
    saved on disk, which the build cache's keys describe (newsletter.cache.keys).
    """
    path = str(root.resolve())
    if path not in sys.path:
        sys.path.insert(0, path)
    _forget_if_edited(path + os.sep)
    for name in modules:
        importlib.import_module(name)
    if not modules:
        return  # nothing imported from the project: no need to look through every module loaded
    for name, module in list(sys.modules.items()):
        file = _project_file(module, path + os.sep)
        if file and name not in _IMPORTED:
            _IMPORTED[name] = (file, _read(file))


def _project_file(module: Any, folder: str) -> str | None:
    """The file of a module imported through `folder` on the path (a plugin or what it imports
    from the project; not a library of a virtualenv inside it, nor newsletter's own code)."""
    file = getattr(module, "__file__", None)
    top = getattr(module, "__name__", "").split(".")[0]
    if not isinstance(file, str) or not file.startswith(folder) or top == __name__.split(".")[0]:
        return None
    return file if file[len(folder):].split(os.sep)[0].partition(".")[0] == top else None


def _read(file: str) -> bytes | None:
    try:
        with open(file, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _forget_if_edited(folder: str) -> None:
    """Unload the modules imported from `folder`, and the checks they registered, when any of
    their files changed since (all of them: a plugin holds what it imported from the others)."""
    mine = {name: file for name, (file, _) in _IMPORTED.items() if file.startswith(folder)}
    if all(_read(file) == _IMPORTED[name][1] for name, file in mine.items()):
        return
    for name in mine:
        sys.modules.pop(name, None)
        del _IMPORTED[name]
    for item in [item for item in REGISTRY.values() if getattr(item.run, "__module__", None) in mine]:
        del REGISTRY[item.id]
    importlib.invalidate_caches()
