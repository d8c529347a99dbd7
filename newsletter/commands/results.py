"""`newsletter results`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..content.reader import load_project
from ..console.machine import dumps
from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError, Diagnostics
from ..results.files import DEFAULT_CAP, RESULTS_DIR, capped
from ..results.report import build_reports
from ..results.terminal import print_issue_report
from .options import format_option, project_option
from .verbosity import verbosity, verbosity_options


@click.command("results")
@project_option
@click.option("--issue", metavar="ID", help="Only this issue (default: every issue with results).")
@format_option("the whole report (no recipient addresses)")
@click.option("--max-problems", type=click.IntRange(1), default=DEFAULT_CAP, show_default=True,
              help="Problems shown per kind before the rest are counted.")
@verbosity_options
def command(root: Path, issue: str | None, fmt: str, max_problems: int) -> None:
    """Report what happened after the send: deliveries, opens, clicks per story, NPS, redemption.

    Reads your providers' event exports from content/results/<issue>/<provider>-<audience>.json
    (Mailchimp: .csv) and attributes every click to issue, audience and story through the
    UTM tags the build adds. With customers-before.csv and customers-after.csv in the same
    folder it compares benefit redemption with and without a reminder. Bad rows are
    reported with file:row and left out; the exit code is 1 when any row had an error.

    \b
    Examples:
      newsletter results
      newsletter results --issue 2026-10 --format json > results.json
    """
    term = Terminal(verbosity())
    err = term.err
    try:
        project, _ = load_project(root)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    if issue and issue not in project.issues:
        raise click.BadParameter(f"no issue '{issue}' (known: {', '.join(sorted(project.issues))})",
                                 param_hint="--issue")
    diagnostics = Diagnostics()
    with term.status("reading the event exports"):
        reports = build_reports(project, diagnostics, issue)
    print_diagnostics(err, capped(diagnostics.items, max_problems))
    if not reports:
        err.print(f"no results{' for ' + issue if issue else ''}: put your provider's event export in "
                  f"{RESULTS_DIR}/<issue>/<provider>-<audience>.json (see 'Results and the loop' in the "
                  "README)", markup=False)
        sys.exit(1)
    if fmt == "json":
        click.echo(dumps("results", {"issues": [r.to_dict() for r in reports],
                                     "diagnostics": [d.to_dict() for d in diagnostics.items]}))
    elif not term.quiet:
        for report in reports:
            print_issue_report(term.out, report)
    if diagnostics.errors:
        sys.exit(1)
