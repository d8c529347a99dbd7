"""Library entry points that look at a project without writing anything."""

from __future__ import annotations

from pathlib import Path

from .build import Timer, load, render
from .checks.run import CheckReport, run_checks
from .compose.selection import build_variants
from .core.diagnostics import BuildError, Diagnostic, Location, Severity


def check_project(root: Path, issues: tuple[str, ...] = (), expensive: bool = True
                  ) -> tuple[CheckReport, list[Diagnostic]]:
    """Read and render in memory, then run the checks; BuildError on bad input."""
    project, diagnostics = load(Path(root))
    unknown = [i for i in issues if i not in project.issues]
    if unknown:
        raise BuildError([Diagnostic(Severity.ERROR, f"unknown issue '{i}' (known: {', '.join(sorted(project.issues))})",
                                     Location("content/issues/"), "unknown-issue") for i in unknown])
    # Only the chosen issues are rendered and judged, but the project stays whole: checks that
    # look across issues (who was featured last month) see the same history as a full run.
    variants = [v for v in build_variants(project) if not issues or v.issue.id in issues]
    outputs = render(project, Timer(), variants=variants)
    return run_checks(project, outputs, expensive=expensive), diagnostics.items
