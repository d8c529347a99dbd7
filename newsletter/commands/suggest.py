"""`newsletter suggest`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..content.reader import load_project
from ..console.machine import schema_name
from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError, Diagnostics, relative
from ..customers.data import load_customer_data
from ..customers.ledger import build_ledger
from ..customers.metrics import PROMOTER, format_money
from ..customers.suggest import Suggestions, month_range, scaffold_story, suggest
from ..results.flywheel import Loop, close_the_loop, loop_json
from ..results.learn import learn, print_learnings
from .customers import locale_option
from .options import format_option, project_option
from .verbosity import verbosity, verbosity_options

#: Detractors listed in the terminal; --format json lists all of them.
FOLLOW_UP_SHOWN = 100


@click.command("suggest")
@project_option
@click.option("--month", metavar="YYYY-MM", help="The month to plan (default: next month).")
@click.option("--scaffold", "customer_id", metavar="CUSTOMER_ID",
              help="Write a draft spotlight story for this customer to content/stories/.")
@format_option("the suggestions")
@locale_option
@verbosity_options
def command(root: Path, month: str | None, customer_id: str | None, fmt: str, locale: str | None) -> None:
    """Plan next month from customer data: whom to feature, whose consent runs out, who needs a call.

    Suggested per audience: promoters (NPS 9-10) in the top tiers whose consent covers
    the month and who were not featured in the last [customers] featured_gap issues.
    Detractors (0-6) are listed for a personal follow-up instead of a spotlight.
    Top-tier promoters with no consent and no story are listed to ask for a story, and
    customers behind on onboarding for a personal call, most valuable first.

    \b
    Examples:
      newsletter suggest
      newsletter suggest --month 2026-12
      newsletter suggest --scaffold CZ-2001     # drafts content/stories/kofi-mensah-spotlight.md
    """
    term = Terminal(verbosity())
    console, err = term.out, term.err
    today = date.today()
    try:
        start, end = month_range(month, today)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    try:
        project, _ = load_project(root)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    diagnostics = Diagnostics()
    with term.status("reading the customer export"):
        data = load_customer_data(project, diagnostics)
    print_diagnostics(err, diagnostics.items)
    if data is None:
        err.print("no customer data: add content/customers.csv or name your export in "
                  "[customers] files (see 'Customer data' in the README)", markup=False)
        sys.exit(1)
    if customer_id:
        _scaffold(term.report, err, project, data, customer_id, today, start)
        return
    plan = suggest(project, data, build_ledger(project), start, end)
    locale = locale or data.default_locale
    # Results are shown beside the suggestions; problems in result files are `newsletter results`'s to report.
    learned = learn(project, Diagnostics())
    if fmt == "json":
        # The story asks (a hundred thousand at a million customers) are written by the engine.
        extra = loop_json(project, data, start)
        extra["from_results"] = {audience: item.to_dict() for audience, item in sorted(learned.items())}
        echo = lambda part: click.echo(part, nl=False)  # noqa: E731 (str and bytes alike)
        plan.write_json(echo, data.currency, locale, first={"schema": schema_name("suggest")}, extra=extra,
                        write_bytes=echo)
    elif not term.quiet:
        # Problems in the data were reported above, by load_customer_data.
        loop = close_the_loop(project, start, Diagnostics(), data) or Loop()
        _print(console, plan, project, data.currency, locale)
        _print_loop(console, loop, project, data.currency, locale)
        print_learnings(console, project, learned)


def _scaffold(console, err, project, data, customer_id, today, start) -> None:
    try:
        path = scaffold_story(project, data, customer_id, today, send=start)
    except KeyError:
        err.print(f"no customer with id '{customer_id}' in {', '.join(data.files)}", markup=False)
        sys.exit(1)
    except FileExistsError as exc:
        err.print(f"{relative(Path(exc.args[0]), Path(project.root))} already exists: not overwritten",
                  markup=False)
        sys.exit(1)
    except ValueError as exc:
        err.print(str(exc), markup=False)
        sys.exit(1)
    profile = data.profile_by_id(customer_id, start)
    console.print(f"wrote {relative(path, Path(project.root))}: fill in the TODOs, then add it to an issue",
                  markup=False)
    if profile.tier not in data.top_tiers:
        console.print(f"note: {profile.name} is {profile.tier or 'unranked'}: the check counts only "
                      f"top-tier customers ({', '.join(data.top_tiers)}) as social proof",
                      style="yellow", markup=False)
    if profile.group != PROMOTER:
        console.print(f"note: {profile.name} is {profile.group or 'without an NPS answer'}, not a "
                      "promoter: ask how they feel before you feature them", style="yellow", markup=False)
    if not profile.record.has_consent_data or profile.record.consent_problem(start, start):
        console.print("note: no publication consent on record for the month: ask before sending",
                      style="yellow", markup=False)


def _print(console: Console, plan: Suggestions, project, currency: str, locale: str) -> None:
    title = f"Suggestions for {plan.start.strftime('%B %Y')}"
    recent = ", ".join(plan.recent_issues) or "none yet"
    console.print(f"[bold]{title}[/bold] (recent issues left out: {recent})")
    table = Table(title="Feature in the newsletter", title_justify="left")
    for column in ("audience", "customer", "tier", "NPS", "lifetime value", "story"):
        table.add_column(column, no_wrap=column in ("tier", "NPS", "lifetime value"))
    for audience, candidates in plan.features.items():
        label = project.audiences[audience].name if audience in project.audiences else "(no audience)"
        if not candidates:
            table.add_row(label, "[dim]nobody yet: no top-tier promoter with consent[/dim]", "", "", "", "")
        for c in candidates:
            p = c.profile
            who = p.name + (f", {p.record.company}" if p.record.company else "")
            story = ", ".join(c.stories) or f"none yet ({p.id})"
            table.add_row(label, who, p.tier or "", str(p.record.nps), format_money(p.ltv, currency, locale),
                          story)
    console.print(table)
    console.print("Draft a story from the data: newsletter suggest --scaffold CUSTOMER_ID", markup=False)
    if plan.expiring:
        table = Table(title="Consent expiring soon: renew it or stop using the story", title_justify="left")
        for column in ("story", "customer", "expires", "days from month start"):
            table.add_column(column)
        for e in plan.expiring:
            table.add_row(e.story, e.name, e.expires.isoformat(),
                          f"[red]{e.days_left}[/red]" if e.days_left < 0 else str(e.days_left))
        console.print(table)
    shown = plan.follow_up_first(FOLLOW_UP_SHOWN)
    if shown:
        table = Table(title="Personal follow-up instead of a spotlight (detractors)", title_justify="left")
        for column in ("customer", "audience", "tier", "NPS", "lifetime value", "email", "hold back"):
            table.add_column(column, overflow="fold", no_wrap=column in ("tier", "NPS", "lifetime value"))
        for f in shown:
            p = f.profile
            who = p.name + (f", {p.record.company}" if p.record.company else "")
            table.add_row(who, p.audience or "–", p.tier or "–", str(p.record.nps),
                          format_money(p.ltv, currency, locale), p.record.email or "–",
                          ", ".join(f.stories) or "–")
        console.print(table)
        total = plan.follow_up_count()
        if total > len(shown):
            console.print(f"… and {total - len(shown)} more detractors: `newsletter suggest --format json` "
                          "lists every one", markup=False)


def _print_loop(console: Console, loop: Loop, project, currency: str, locale: str) -> None:
    """Whom to ask for a story (per audience) and whom to call (behind on onboarding)."""
    asks = [(audience, p) for audience, people in loop.ask.items() for p in people]
    if asks:
        table = Table(title="Ask for a story (top-tier promoters with no consent and no story): "
                            "the 'trigger: promoter' pack", title_justify="left")
        for column in ("audience", "customer", "id", "tier", "NPS", "lifetime value"):
            table.add_column(column, no_wrap=column in ("tier", "NPS", "lifetime value"))
        for audience, p in asks:
            label = project.audiences[audience].name if audience in project.audiences else "(no audience)"
            who = p.name + (f", {p.record.company}" if p.record.company else "")
            table.add_row(label, who, p.id, p.tier or "", str(p.record.nps), format_money(p.ltv, currency, locale))
        console.print(table)
    if loop.call:
        table = Table(title="Call: behind on onboarding, most valuable first", title_justify="left")
        for column in ("customer", "audience", "progress", "expected", "lifetime value", "email"):
            table.add_column(column, overflow="fold", no_wrap=column in ("progress", "expected", "lifetime value"))
        for p in loop.call:
            who = p.name + (f", {p.record.company}" if p.record.company else "")
            expected = "–" if p.expected_progress is None else f"{p.expected_progress:.0f}%"
            table.add_row(who, p.audience or "–", f"{p.record.onboarding_progress:.0f}%", expected,
                          format_money(p.ltv, currency, locale), p.record.email or "–")
        console.print(table)
