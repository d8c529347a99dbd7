"""`newsletter customers`."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from ..content.reader import load_project
from ..console.machine import schema_name
from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError, Diagnostics
from ..customers.queries import metrics_sql
from ..customers.report import build_report, print_customer_report
from .options import format_option, project_option
from .verbosity import verbosity, verbosity_options


def locale_option(fn):
    return click.option("--locale", metavar="TAG", callback=_check_locale,
                        help="How money is written, e.g. pt-BR or ru (default: the project's "
                             "default_locale).")(fn)


def _check_locale(ctx, param, value: str | None) -> str | None:
    from babel import Locale, UnknownLocaleError

    if value is None:
        return None
    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise click.BadParameter(f"unknown locale {value!r} (try en, pt-BR, ru, zh-CN)") from None
    return value


@click.command("customers")
@project_option
@format_option("the whole report (no email addresses)")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Judge tenure, tiers and onboarding on this day (default: today).")
@click.option("--sql", "dialect", metavar="DIALECT",
              help="Print the metric definitions as SQL for your warehouse instead (spark, bigquery, "
                   "snowflake, duckdb, postgres...), with this project's settings filled in.")
@locale_option
@verbosity_options
def command(root: Path, fmt: str, on: datetime | None, locale: str | None, dialect: str | None) -> None:
    """Report lifetime value, NPS and the loyalty ladder from your customer export.

    Reads content/customers.csv, or the files named in [customers] files. Bad rows are
    reported with file:row and left out; the exit code is 1 when any row had an error.

    \b
    Examples:
      newsletter customers
      newsletter customers --date 2026-12-01 --locale pt-BR
      newsletter customers --format json > customers.json
      newsletter customers --sql bigquery > metrics.sql
    """
    term = Terminal(verbosity())
    err = term.err
    diagnostics = Diagnostics()
    try:
        project, _ = load_project(root)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    if dialect:
        try:
            click.echo(metrics_sql(project, dialect), nl=False)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--sql") from None
        return
    with term.status("reading the customer export"):
        # A changed export's cache is written while the report is made (Engine.wait below).
        report = build_report(project, on.date() if on else date.today(), locale, diagnostics, store_aside=True)
    if report is None:
        err.print("no customer data: add content/customers.csv or name your export in "
                  "[customers] files (see 'Customer data' in the README)", markup=False)
        sys.exit(1)
    try:
        print_diagnostics(err, diagnostics.items)
        if fmt == "json":
            echo = lambda part: click.echo(part, nl=False)  # noqa: E731 (str and bytes alike)
            report.write_json(echo, {"schema": schema_name("customers")}, write_bytes=echo)
        elif not term.quiet:
            print_customer_report(term.out, report)
    finally:
        report.data.engine.wait()
    if diagnostics.errors:
        sys.exit(1)
