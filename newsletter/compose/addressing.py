"""Naming messages on the command line: `ISSUE`, `PACK` (every step) or `PACK/STEP`.

The same names as the build's folders and keys (`2026-11`, `first-90-days/welcome`), so a
welcome-pack step can be checked, test-sent or photographed on its own.
"""

from __future__ import annotations

from typing import Iterable

from ..content.models import Issue, Project
from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from .selection import messages


def known_names(project: Project) -> list[str]:
    """Every name a message answers to: issues, packs and pack steps."""
    names = set(project.issues) | set(project.packs)
    names |= {step.id for pack in project.packs.values() for step in pack.steps}
    return sorted(names)


def resolve(project: Project, names: Iterable[str]) -> list[Issue]:
    """The messages (issues and pack steps) the names stand for, in build order.

    BuildError, one line per unknown name listing the known ones, when a name matches nothing.
    """
    names = list(names)
    unknown = [n for n in names if n not in project.issues and n not in project.packs
               and not any(s.id == n for p in project.packs.values() for s in p.steps)]
    if unknown:
        known = ", ".join(known_names(project)) or "none"
        raise BuildError([Diagnostic(Severity.ERROR, f"unknown issue '{name}' (known: {known})",
                                     Location("content/issues/"), "unknown-issue") for name in unknown])
    wanted = set(names)
    return [m for m in messages(project) if m.id in wanted or (m.kind == "welcome" and m.pack in wanted)]
