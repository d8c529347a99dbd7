"""`newsletter check`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console.checkreport import print_checks_table, print_report
from ..console.machine import dumps
from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError
from ..inspect import check_project
from .options import format_option, project_option
from .verbosity import verbosity, verbosity_options


@click.command("check")
@project_option
@format_option("the whole report")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
@click.option("--issue", "issues", multiple=True, metavar="ISSUE|PACK/STEP",
              help="Only this issue, welcome pack or pack step (repeatable).")
@click.option("--fast", is_flag=True, help="Skip slow checks (the spam score).")
@click.option("--list", "list_checks", is_flag=True, help="List every check and exit.")
@verbosity_options
def command(root: Path, fmt: str, strict: bool, issues: tuple[str, ...], fast: bool,
            list_checks: bool) -> None:
    """Judge every issue x audience x channel against the four questions and the pre-send checklist.

    Nothing is written. Exit code 1 on errors (and on warnings with --strict).
    With -v, also why each passing question passed.

    \b
    Examples:
      newsletter check
      newsletter check --issue 2026-11 --verbose
      newsletter check --issue first-90-days/welcome
      newsletter check --format json > report.json
    """
    term = Terminal(verbosity())
    err = term.err
    if list_checks:
        print_checks_table(term.out)
        return
    try:
        with term.progress("checking") as progress:
            report, diagnostics = check_project(root, issues=issues, expensive=not fast, progress=progress)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    print_diagnostics(err, diagnostics)
    if fmt == "json":
        click.echo(dumps("check", {**report.to_dict(), "diagnostics": [d.to_dict() for d in diagnostics]}))
    elif not term.quiet or report.errors or report.warnings:
        print_report(term.report, report, verbose=term.verbose)
    warned = strict and (report.warnings or any(d.severity.value == "warning" for d in diagnostics))
    if report.errors or warned:
        sys.exit(1)
