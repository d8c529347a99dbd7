"""`newsletter check`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from ..console.checkreport import print_checks_table, print_report
from ..console.report import print_diagnostics
from ..core.diagnostics import BuildError
from ..inspect import check_project
from .options import project_option


@click.command("check")
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints the whole report for machines.")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
@click.option("--verbose", "-v", is_flag=True, help="Also show why each passing question passed.")
@click.option("--issue", "issues", multiple=True, help="Only this issue (repeatable).")
@click.option("--fast", is_flag=True, help="Skip slow checks (the spam score).")
@click.option("--list", "list_checks", is_flag=True, help="List every check and exit.")
def command(root: Path, fmt: str, strict: bool, verbose: bool, issues: tuple[str, ...], fast: bool,
            list_checks: bool) -> None:
    """Judge every issue x audience x channel against the four questions and the pre-send checklist.

    Nothing is written. Exit code 1 on errors (and on warnings with --strict).

    \b
    Examples:
      newsletter check
      newsletter check --issue 2026-11 --verbose
      newsletter check --format json > report.json
    """
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    if list_checks:
        print_checks_table(console)
        return
    try:
        report, diagnostics = check_project(root, issues=issues, expensive=not fast)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    print_diagnostics(err, diagnostics)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print_report(console, report, verbose=verbose)
    warned = strict and (report.warnings or any(d.severity.value == "warning" for d in diagnostics))
    if report.errors or warned:
        sys.exit(1)
