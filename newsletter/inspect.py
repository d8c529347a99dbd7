"""Library entry points that look at a project without writing anything."""

from __future__ import annotations

from pathlib import Path

from .build import Progress, load, render
from .pool import workers
from .checks.run import CheckReport, run_checks
from .compose.addressing import resolve
from .compose.selection import build_variants
from .core.diagnostics import Diagnostic
from .core.timing import Timer


def check_project(root: Path, issues: tuple[str, ...] = (), expensive: bool = True,
                  progress: Progress | None = None) -> tuple[CheckReport, list[Diagnostic]]:
    """Read and render in memory, then run the checks; BuildError on bad input.

    `issues` limits the report to these issues, packs or pack steps (`PACK/STEP`). A pack's
    other steps are still rendered, because the pack rules judge the whole sequence.
    """
    project, diagnostics = load(Path(root), readers=workers())  # a large project's stories on every CPU
    # Only the chosen messages are rendered and judged, but the project stays whole: checks that
    # look across issues (who was featured last month) see the same history as a full run.
    variants = build_variants(project)
    chosen: set[str] = set()
    if issues:
        picked = resolve(project, issues)
        chosen = {m.id for m in picked}
        packs = {m.pack for m in picked if m.kind == "welcome"}
        variants = [v for v in variants if v.issue.id in chosen
                    or (v.issue.kind == "welcome" and v.issue.pack in packs)]
    outputs = render(project, Timer(), progress, variants)
    report = run_checks(project, outputs, expensive=expensive)
    if chosen:
        report.variants = [v for v in report.variants if v.issue in chosen]
    return report, diagnostics.items
