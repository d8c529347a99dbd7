"""The pipeline: content -> compose -> render (channels) -> checks -> output, as small named stages.

    load      read and validate the project (newsletter.content)
    render    plan every variant (newsletter.compose) and render it on its channel
    finish    check every message (newsletter.checks), assemble the build-wide files and write
              them (newsletter.output)
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .channels import REGISTRY
from .checks.run import CheckReport, run_checks
from .compose.selection import Variant, build_variants
from .content.config import Config
from .content.models import Project
from .content.reader import read_project
from .core.diagnostics import BuildError, Diagnostic, Diagnostics
from .output.indexpage import render_index
from .output.invariants import Provenance, enforce, literal_text
from .output.manifest import dumps, file_entry, manifest
from .output.outdir import check as check_out_dir
from .output.outdir import project_sources
from .output.schedule import schedules
from .output.writer import source_date_epoch, write_tree
from .render.templating import Templates
from .render.views import StyledHtml

Progress = Callable[[int, int, str], None]


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


@dataclass
class RenderEnv:
    """What every channel needs to render a variant."""

    config: Config
    templates: Templates
    styled: StyledHtml
    timer: Timer


@dataclass
class Output:
    variant: Variant
    subject: str
    preheader: str
    files: dict[str, bytes]
    extra: dict[str, Any]

    @property
    def directory(self) -> str:
        return self.variant.directory


@dataclass
class BuildResult:
    project: Project
    outputs: list[Output]
    files: dict[str, bytes]
    diagnostics: list[Diagnostic]
    report: CheckReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    out_dir: Path | None = None

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "warning"]


def load(root: Path) -> tuple[Project, Diagnostics]:
    """Stage 1, read: the project, validated; BuildError if anything is wrong."""
    diagnostics = Diagnostics()
    project = read_project(root, diagnostics)
    diagnostics.raise_if_errors()
    return project, diagnostics


def render(project: Project, timer: Timer, progress: Progress | None = None,
           variants: list[Variant] | None = None) -> list[Output]:
    """Stages 2-3, plan and render: every variant (or the given ones) on its channel."""
    env = RenderEnv(project.config, Templates(project.root), StyledHtml(project.config), timer)
    variants = build_variants(project) if variants is None else variants
    outputs = []
    for index, variant in enumerate(variants, start=1):
        rendered = REGISTRY[variant.channel].render(variant, env)
        outputs.append(Output(variant, rendered.subject, rendered.preheader, rendered.files,
                              rendered.extra))
        if progress:
            progress(index, len(variants), variant.key)
    return outputs


def assemble(project: Project, outputs: list[Output], report: CheckReport | None = None) -> dict[str, bytes]:
    """Stage 5: every file of the build, with the manifest, the check report and the index page."""
    files: dict[str, bytes] = dict(project.assets)
    rows = []
    for output in outputs:
        entries = []
        for name, data in sorted(output.files.items()):
            path = f"{output.directory}/{name}"
            files[path] = data
            entries.append(file_entry(path, data))
        v = output.variant
        row = {"kind": v.issue.kind, "issue": v.issue.id, "audience": v.audience.id, "channel": v.channel,
               "locale": v.locale, "subject": output.subject, "preheader": output.preheader,
               "date": v.issue.meta.date.isoformat(), "source": v.issue.path,
               "stories": [s.id for s in v.stories], "files": entries}
        if v.issue.kind == "welcome":
            row.update(pack=v.issue.pack, step=v.issue.step, day=v.issue.day)
        checked = report.for_key(v.key) if report else None
        if checked:
            row["checks"] = {"verdicts": checked.verdicts(), "errors": checked.count("error"),
                             "warnings": checked.count("warning")}
        rows.append(row)
    extra: dict[str, Any] = {"generator": f"newsletter {__version__}"}
    epoch = source_date_epoch()
    if epoch is not None:
        extra["source_date_epoch"] = epoch
    files.update(schedules(project, rows))
    for channel in REGISTRY.values():  # build-wide files of a channel, e.g. the web archive
        if hasattr(channel, "assemble"):
            files.update(channel.assemble(project, [o for o in outputs if o.variant.channel == channel.name]))
    files["manifest.json"] = manifest(rows, project.assets, extra)
    if report is not None:
        files["report.json"] = dumps(report.to_dict())
    files["index.html"] = render_index(project.config.brand.name, rows)
    return files


def finish(root: Path, project: Project, diagnostics: list[Diagnostic], outputs: list[Output],
           out_dir: Path | None = None, *, strict: bool = False, full_checks: bool = False,
           timer: Timer | None = None) -> BuildResult:
    """Stages 4-6, check, assemble and write rendered outputs (shared with the preview's rebuilds)."""
    timer = timer or Timer()
    warnings = [d for d in diagnostics if d.severity.value == "warning"]
    if strict and warnings:
        raise BuildError(warnings)
    with timer("check"):
        report = run_checks(project, outputs, expensive=full_checks)
    with timer("assemble"):
        files = assemble(project, outputs, report)
    out_dir = Path(out_dir) if out_dir else Path(root) / "build"
    with timer("invariants"):
        enforce(files, Provenance(literal_text(project.root)), f"{out_dir.name}/")
    with timer("write"):
        write_tree(out_dir, files, source_date_epoch(), sources=project_sources(root, project.config))
    return BuildResult(project, outputs, files, list(diagnostics), report, timer.totals, out_dir)


def build(root: Path, out_dir: Path | None = None, *, strict: bool = False,
          progress: Progress | None = None, full_checks: bool = False) -> BuildResult:
    """Read, render, check and write a project.

    Bad input raises BuildError and leaves build/ alone; an output folder newsletter may
    not replace (see newsletter.output.outdir) raises OutputRefused before anything is rendered.
    Check findings do not stop the build (the marketer needs to see the message to fix
    it); they go to report.json and the manifest, and the caller decides the exit code.
    """
    root = Path(root)
    timer = Timer()
    with timer("read"):
        project, diagnostics = load(root)
    # A refused output folder is said before the work of rendering, not after.
    check_out_dir(Path(out_dir) if out_dir else root / "build", project_sources(root, project.config))
    with timer("render"):
        outputs = render(project, timer, progress)
    return finish(root, project, diagnostics.items, outputs, out_dir, strict=strict,
                  full_checks=full_checks, timer=timer)
