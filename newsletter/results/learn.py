"""What past results say per audience: which kinds of stories and which featured customers
drew clicks. Shown beside `newsletter suggest`'s list, never used to reorder it silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from ..core.diagnostics import Diagnostics
from .report import build_reports, percent


@dataclass
class Tally:
    """Unique clicks summed over stories, and the deliveries of the messages they were in."""

    clicks: int = 0
    delivered: int = 0
    stories: int = 0

    @property
    def rate(self) -> float:
        return self.clicks / self.delivered if self.delivered else 0.0

    def to_dict(self) -> dict:
        return {"unique_clicks": self.clicks, "delivered": self.delivered, "stories": self.stories,
                "click_rate": self.rate if self.delivered else None}


@dataclass
class AudienceLearning:
    kinds: dict[str, Tally] = field(default_factory=dict)
    customers: dict[str, Tally] = field(default_factory=dict)
    issues: set[str] = field(default_factory=set)

    def ranked(self, tallies: dict[str, Tally]) -> list[tuple[str, Tally]]:
        return sorted(tallies.items(), key=lambda kv: (-kv[1].rate, kv[0]))

    def to_dict(self) -> dict:
        return {"issues": sorted(self.issues),
                "kinds": [{"kind": k, **t.to_dict()} for k, t in self.ranked(self.kinds)],
                "customers": [{"customer": c, **t.to_dict()} for c, t in self.ranked(self.customers)]}


def learn(project, diagnostics: Diagnostics) -> dict[str, AudienceLearning]:
    """Per audience, click rates by story kind and by featured customer over every issue with results."""
    learned: dict[str, AudienceLearning] = {}
    for report in build_reports(project, diagnostics):
        for message in report.messages:
            delivered = len(message.delivered)
            if not delivered:
                continue
            audience = learned.setdefault(message.audience, AudienceLearning())
            audience.issues.add(message.issue)
            for story in message.stories.values():
                if story.kind is None:
                    continue
                for key, tallies in ((story.kind, audience.kinds), (story.customer, audience.customers)):
                    if key is None:
                        continue
                    tally = tallies.setdefault(key, Tally())
                    tally.clicks += len(story.clickers)
                    tally.delivered += delivered
                    tally.stories += 1
    return learned


def print_learnings(console: Console, project, learned: dict[str, AudienceLearning]) -> None:
    """A table per audience beside the suggestions; says plainly that it reorders nothing."""
    if not learned:
        return
    table = Table(title="Clicks in past issues; the list above is not reordered by them",
                  title_justify="left")
    for column in ("audience", "issues", "story kinds, best first", "featured customers, best first"):
        table.add_column(column, overflow="fold")
    for audience_id in sorted(learned):
        data = learned[audience_id]
        name = project.audiences[audience_id].name if audience_id in project.audiences else audience_id
        kinds = "\n".join(f"{k}: {percent(t.clicks, t.delivered)}" for k, t in data.ranked(data.kinds))
        people = "\n".join(f"{c}: {percent(t.clicks, t.delivered)}" for c, t in data.ranked(data.customers))
        table.add_row(name, ", ".join(sorted(data.issues)), kinds or "–", people or "–")
    console.print(table)
