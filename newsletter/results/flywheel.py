"""Closing the loop from customer data: whom to ask for a story, whom to call.

* Ask for a story (the testimonial flywheel): promoters (NPS 9-10) on a top tier with no
  publication consent on record and no story yet. They enter the `trigger: promoter` pack
  ("may we tell your story?"); once the export has their consent_granted date they drop
  out of this list and `newsletter suggest --scaffold` drafts the story from their row.
* Call (re-engagement): customers behind on onboarding (below [customers]
  onboarding_threshold x the progress customers usually have by that day), most valuable
  first. They also get the `trigger: onboarding-behind` pack; a person should call the
  valuable ones.

Customer data comes only through `customer_profiles` (newsletter.customers.data's public API).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..content.models import CUSTOMER_KINDS
from ..core.diagnostics import Diagnostics
from ..customers.data import load_customer_data, name_key
from ..customers.metrics import Profile

PROMOTER_MIN = 9  # NPS 9-10


def customer_profiles(project, on: date, diagnostics: Diagnostics) -> tuple[list[Profile], list[str]] | None:
    """Every customer's profile on `on` and the top tiers; None when the project has no data."""
    data = load_customer_data(project, diagnostics)
    if data is None:
        return None
    return data.profiles(on), list(data.top_tiers)


@dataclass
class Loop:
    """Who to ask for a story (per audience) and who to call, for one day."""

    ask: dict[str | None, list[Profile]] = field(default_factory=dict)
    call: list[Profile] = field(default_factory=list)

    def to_dict(self) -> dict:
        def person(p: Profile) -> dict:
            return {"id": p.id, "name": p.name, "company": p.record.company, "audience": p.audience,
                    "tier": p.tier, "nps": p.record.nps,
                    "lifetime_value": None if p.ltv is None else str(p.ltv)}

        return {"ask_for_story": {audience or "": [person(p) for p in people]
                                  for audience, people in self.ask.items()},
                "call_behind_onboarding": [
                    dict(person(p), email=p.record.email, progress=p.record.onboarding_progress,
                         expected=None if p.expected_progress is None else round(p.expected_progress, 1))
                    for p in self.call]}


def story_asks(project, profiles: list[Profile], top_tiers: list[str], on: date) -> dict[str | None, list[Profile]]:
    """Per audience (the project's, in order, then any other), top-tier promoters with no
    consent covering `on` and no story, most valuable first."""
    with_story = {name_key(s.meta.customer.name) for s in project.stories.values()
                  if s.meta.kind in CUSTOMER_KINDS and s.meta.customer}
    ask: dict[str | None, list[Profile]] = {audience: [] for audience in project.audiences}
    for p in profiles:
        consented = p.record.consent_granted is not None and p.record.consent_problem(on) is None
        promoter = p.record.nps is not None and p.record.nps >= PROMOTER_MIN
        if promoter and p.tier in top_tiers and not consented and name_key(p.name) not in with_story:
            ask.setdefault(p.audience, []).append(p)
    for people in ask.values():
        people.sort(key=lambda p: (-(p.ltv or 0), p.name))
    return ask


def behind_for_call(profiles: list[Profile]) -> list[Profile]:
    """Customers behind on onboarding, most valuable first (unknown value last)."""
    behind = [p for p in profiles if p.onboarding_behind]
    return sorted(behind, key=lambda p: (p.ltv is None, -(p.ltv or 0), p.name))


def close_the_loop(project, on: date, diagnostics: Diagnostics) -> Loop | None:
    """Both lists for `on`; None when the project has no customer data."""
    found = customer_profiles(project, on, diagnostics)
    if found is None:
        return None
    profiles, top_tiers = found
    return Loop(story_asks(project, profiles, top_tiers, on), behind_for_call(profiles))
