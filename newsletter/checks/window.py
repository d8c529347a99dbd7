"""When a message can go out: the span of dates a consent or a rule must hold over.

An issue goes out on its date. A welcome-pack step goes out `day` days after each new
customer starts, for as long as that version of the pack is live: from the pack's `date`
until its `review` date or the date of a later pack that `replaces` it, whichever comes
first. With neither, the version has no end and the step keeps going out.

A pack triggered by an anniversary counts its days from each customer's `since` date, which
may lie long before the pack goes live: every step can go out on any day the pack is live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..content.models import Consent


@dataclass(frozen=True)
class Window:
    """First and last send date (`last` None: no end is planned)."""

    first: date
    last: date | None
    what: str  # how the message is sent, for findings: "the issue", "step 'welcome' (day 10)"

    def describe(self) -> str:
        if self.last == self.first:
            return f"send date {self.first.isoformat()}"
        end = self.last.isoformat() if self.last else "no end date (the pack states no `review` date)"
        return f"{self.what} goes out from {self.first.isoformat()} to {end}"


def pack_end(project, pack) -> date | None:
    """The last day new customers start this pack version, or None when nothing ends it."""
    ends = [pack.meta.review] if pack.meta.review else []
    ends += [other.meta.date - timedelta(days=1) for other in project.packs.values()
             if other.meta.replaces == pack.id and other.meta.date > pack.meta.date]
    return min(ends) if ends else None


def send_window(project, issue) -> Window:
    """The dates on which this issue or pack step can reach a recipient."""
    if issue.kind != "welcome":
        return Window(issue.meta.date, issue.meta.date, "the issue")
    pack = project.packs[issue.pack]
    # An anniversary comes due whenever it falls while the pack is live, whatever the day.
    offset = timedelta(days=0 if pack.meta.trigger == "anniversary" else issue.day)
    end = pack_end(project, pack)
    return Window(pack.meta.date + offset, end + offset if end else None,
                  f"step '{issue.step}' (day {issue.day})")


def consent_gap(consent: Consent | None, window: Window) -> str | None:
    """Why a publication consent does not cover the whole window, or None."""
    if consent is None:
        return "has no publication consent on record"
    if consent.granted > window.first:
        return f"consent starts {consent.granted.isoformat()}, after the first send ({window.describe()})"
    if consent.expires is None:
        return None
    if consent.expires < window.first:
        return f"consent expired {consent.expires.isoformat()} ({window.describe()})"
    if window.last is None or consent.expires < window.last:
        return f"consent ends {consent.expires.isoformat()} but {window.describe()}"
    return None
