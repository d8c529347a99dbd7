"""Checks: small registered units that judge each built message.

A check has an id, the question it answers (1-4, or "checklist" for the pre-send list),
a default severity and a one-line doc. It yields Findings; severities can be changed per
project in newsletter.toml (`[checks.severity]`), and a project can register its own check
from a module named in `[checks] plugins` without touching this package.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Location

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


REGISTRY: dict[str, Check] = {}


def check(id: str, question: int | str, severity: str, doc: str, expensive: bool = False):
    """Decorator that registers a check function `fn(ctx) -> Iterator[Finding]`."""
    if severity not in SEVERITIES[:3]:
        raise ValueError(f"bad default severity {severity!r} for check {id}")

    def register(fn: Callable[[Any], Iterator[Finding]]) -> Callable[[Any], Iterator[Finding]]:
        REGISTRY[id] = Check(id, question, severity, doc, fn, expensive)
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


def load_plugins(root, modules: list[str]) -> None:
    """Import project modules that register checks (the project folder is on the path)."""
    import sys

    path = str(root.resolve())
    if path not in sys.path:
        sys.path.insert(0, path)
    for name in modules:
        importlib.import_module(name)


# The built-in checks register themselves on import.
from . import (channel, channel_limits, contrast, education, labels, ledger, pack,  # noqa: E402,F401
               personal, parity, presend_content, presend_links, presend_render, proof)
