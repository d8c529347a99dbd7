"""`newsletter results` in the terminal: one rich table per issue, then redemption and NPS."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .redemption import RedemptionGroup
from .report import IssueReport, percent


def print_issue_report(console: Console, report: IssueReport) -> None:
    """Messages, stories, social proof against the rest, redemption and survey answers."""
    console.print(f"[bold]{report.title}[/bold] ({report.issue}): {len(report.files)} export(s)")
    table = Table(title="Per audience", title_justify="left")
    for column in ("audience", "provider", "delivered", "unique opens", "unique clicks",
                   "clicked social proof", "clicked other stories"):
        table.add_column(column, overflow="fold", no_wrap=column in ("delivered",))
    for m in report.messages:
        delivered = len(m.delivered)
        label = m.audience + ("\n[dim](new customers)[/dim]" if m.new_customers else "")
        if m.issue != report.issue:
            label += f" [issue {m.issue}]"
        opens = f"{len(m.opened)}\n[dim]{m.opens_note}[/dim]"
        table.add_row(label, ", ".join(sorted(m.providers)) or "–", str(delivered), opens,
                      percent(len(m.clickers), delivered),
                      percent(len(m.proof_clickers(True)), delivered),
                      percent(len(m.proof_clickers(False)), delivered))
    console.print(table)
    stories = Table(title="Per story (unique clickers / delivered)", title_justify="left")
    for column in ("audience", "story", "kind", "customer", "unique clicks"):
        stories.add_column(column, overflow="fold", no_wrap=column == "unique clicks")
    for m in report.messages:
        for s in m.ordered_stories():
            kind = (s.kind or "–") + (" ★" if s.social_proof else "")
            stories.add_row(m.audience, s.content, kind, s.customer or "–",
                            percent(len(s.clickers), len(m.delivered)))
    console.print(stories)
    console.print("★ social proof (spotlight, testimonial, case study)", style="dim", markup=False)
    if report.redemption:
        _print_redemption(console, report)
    survey = report.survey.to_dict()["overall"]
    if survey["answers"]:
        console.print(f"NPS from survey links: {survey['nps']:+d} from {survey['answers']} answer(s) "
                      f"({survey['promoters']} promoters, {survey['passives']} passives, "
                      f"{survey['detractors']} detractors)", markup=False)


def _row(group: RedemptionGroup) -> tuple[str, str, str, str]:
    return (group.label, str(group.customers), percent(group.redeemed_customers, group.customers),
            percent(group.redeemed_after, group.unused_before))


def _print_redemption(console: Console, report: IssueReport) -> None:
    r = report.redemption
    table = Table(title=f"Benefit redemption ({r.before} → {r.after})", title_justify="left")
    for column in ("customers with unused benefits", "customers", "redeemed at least one",
                   "benefits redeemed"):
        table.add_column(column)
    table.add_row(*_row(r.reminded))
    table.add_row(*_row(r.not_reminded))
    console.print(table)
    console.print(f"reminder sections went to: {', '.join(r.reminder_audiences) or 'no audience'}",
                  style="dim", markup=False)
