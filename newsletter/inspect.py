"""Library entry points that look at a project without writing anything."""

from __future__ import annotations

from pathlib import Path

from .build import Timer, load, render
from .checks.run import CheckReport, run_checks
from .core.diagnostics import BuildError, Diagnostic, Location, Severity


def check_project(root: Path, issues: tuple[str, ...] = (), expensive: bool = True
                  ) -> tuple[CheckReport, list[Diagnostic]]:
    """Read and render in memory, then run the checks; BuildError on bad input."""
    project, diagnostics = load(Path(root))
    unknown = [i for i in issues if i not in project.issues]
    if unknown:
        raise BuildError([Diagnostic(Severity.ERROR, f"unknown issue '{i}' (known: {', '.join(sorted(project.issues))})",
                                     Location("content/issues/"), "unknown-issue") for i in unknown])
    if issues:
        project.issues = {k: v for k, v in project.issues.items() if k in issues}
    outputs = render(project, Timer())
    return run_checks(project, outputs, expensive=expensive), diagnostics.items
