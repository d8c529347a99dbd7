"""`newsletter build`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from ..build import build as run_build
from ..console.checkreport import print_report
from ..console.report import print_diagnostics, print_summary
from ..core.diagnostics import BuildError
from ..output.outdir import OutputRefused
from .options import project_option


@click.command("build")
@project_option
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: build/ in the project): a new one, or one newsletter made.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Only print errors and warnings.")
@click.option("--full-checks", is_flag=True, help="Also run slow checks (the spam score).")
def command(root: Path, out_dir: Path | None, strict: bool, quiet: bool, full_checks: bool) -> None:
    """Build every issue for every audience into the output folder.

    The previous output is replaced only when the whole build succeeds.

    \b
    Example:
      newsletter build --project my-newsletter --strict
    """
    console = Console(stderr=False, highlight=False)
    err = Console(stderr=True, highlight=False)
    show_bar = console.is_terminal and not quiet
    try:
        with Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), console=console, transient=True,
                      disable=not show_bar) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int, key: str) -> None:
                bar.update(task, completed=done, total=total, description=key)

            result = run_build(root, out_dir, strict=strict, progress=progress, full_checks=full_checks)
    except OutputRefused as exc:  # one line; nothing was touched
        print_diagnostics(err, exc.diagnostics)
        sys.exit(2)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity.value == "error")
        err.print(f"[red]build failed[/red]: {errors or len(exc.diagnostics)} problem(s); "
                  "the previous build was left untouched")
        sys.exit(1)
    except OSError as exc:
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        sys.exit(1)
    print_diagnostics(err, result.diagnostics)
    if not quiet:
        print_summary(console, result)
    report = result.report
    if report.errors or report.warnings or not quiet:
        print_report(console, report)
    if report.errors or (strict and report.warnings):
        err.print("[red]checks failed[/red]: the build was written so you can look at it, "
                  "but do not send it; see build/report.json")
        sys.exit(1)
