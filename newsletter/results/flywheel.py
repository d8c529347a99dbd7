"""Closing the loop from customer data: whom to ask for a story, whom to call.

* Ask for a story (the testimonial flywheel): promoters (NPS 9-10) on a top tier with no
  publication consent on record and no story yet. They enter the `trigger: promoter` pack
  ("may we tell your story?"); once the export has their consent_granted date they drop
  out of this list and `newsletter suggest --scaffold` drafts the story from their row.
* Call (re-engagement): customers behind on onboarding (below [customers]
  onboarding_threshold x the progress customers usually have by that day), most valuable
  first. They also get the `trigger: onboarding-behind` pack; a person should call the
  valuable ones.

Customer data comes only through newsletter.customers.data's public API: the engine selects
and orders both lists, so a million customers never become a million Python objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from ..content.models import CUSTOMER_KINDS
from ..core.diagnostics import Diagnostics
from ..customers.data import CustomerData, load_customer_data, name_key
from ..customers.metrics import Profile
from ..customers.queries import literal

PROMOTER_MIN = 9  # NPS 9-10


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


#: Lifetime values compared exactly (as written in the export), unknown ones as 0.
_VALUE = "coalesce(TRY_CAST(ltv_text AS DECIMAL(38, 10)), 0)"


def _asks(project, data: CustomerData, on: date) -> tuple[str, dict]:
    """Who story_asks asks, as a condition on the day's metrics, and its parameters."""
    with_story = sorted({name_key(s.meta.customer.name) for s in project.stories.values()
                         if s.meta.kind in CUSTOMER_KINDS and s.meta.customer})
    top = ", ".join(literal(t) for t in data.top_tiers) or "NULL"
    where = (f"nps >= {PROMOTER_MIN} AND computed_tier IN ({top}) "
             "AND NOT coalesce(consent_granted <= $on AND (consent_expires IS NULL OR consent_expires >= $on), FALSE) "
             "AND name_key NOT IN (SELECT unnest($keys::VARCHAR[]))")
    return where, {"on": on, "keys": with_story}


#: Order of the story asks: the most valuable first.
_ASK_ORDER = f"{_VALUE} DESC, name, _order"
#: A person in ask_for_story (Loop.to_dict's person), as SQL on the day's metrics.
_ASK_FIELDS = [("id", "id"), ("name", "name"), ("company", "company"), ("audience", "audience"),
               ("tier", "computed_tier"), ("nps", "nps"), ("lifetime_value", "ltv_text")]


def story_asks(project, data: CustomerData, on: date) -> dict[str | None, list[Profile]]:
    """Per audience (the project's, in order, then any other), top-tier promoters with no
    consent covering `on` and no story, most valuable first.

    The engine picks them from every customer; only those asked become Python objects.
    """
    where, params = _asks(project, data, on)
    ask: dict[str | None, list[Profile]] = {audience: [] for audience in project.audiences}
    for p in data.profile_rows(on, where, params, order=_ASK_ORDER):
        ask.setdefault(p.audience, []).append(p)
    return ask


def write_story_asks_json(project, data: CustomerData, on: date, write, indent: int) -> None:
    """story_asks as Loop.to_dict's `ask_for_story` in indented JSON (json.dumps, indent=2,
    under a key indented by `indent` spaces), byte for byte, written by the engine: a hundred
    thousand promoters never become Python objects."""
    where, params = _asks(project, data, on)
    audiences = list(project.audiences)
    audiences += [a for a in data.first_seen(on, "audience", where, params, _ASK_ORDER) if a not in audiences]
    if not audiences:
        write("{}")
        return
    pad = " " * (indent + 2)
    for number, audience in enumerate(audiences):
        write(("{\n" if number == 0 else ",\n") + pad + json.dumps(audience or "", ensure_ascii=False) + ": ")
        data.write_profiles_json(write, on, _ASK_FIELDS, f"({where}) AND audience IS NOT DISTINCT FROM $audience",
                                 {**params, "audience": audience}, _ASK_ORDER, indent + 2)
    write("\n" + " " * indent + "}")


def loop_json(project, data: CustomerData, on: date) -> dict:
    """Loop.to_dict for `on`, with `ask_for_story` left to the engine to write: a function
    of (write, indent) that write_json-style writers call in its place."""
    return {"ask_for_story": partial(write_story_asks_json, project, data, on),
            **{k: v for k, v in Loop(call=behind_for_call(data, on)).to_dict().items() if k != "ask_for_story"}}


def behind_for_call(data: CustomerData, on: date) -> list[Profile]:
    """Customers behind on onboarding, most valuable first (unknown value last)."""
    return data.profile_rows(on, "onboarding_behind",
                             order=f"ltv_text IS NULL, {_VALUE} DESC, name, _order")


def close_the_loop(project, on: date, diagnostics: Diagnostics,
                   data: CustomerData | None = None) -> Loop | None:
    """Both lists for `on`; None when the project has no customer data.

    `data` is the project's customer data when the caller has read it already (its metrics
    for `on` are then computed once for both); otherwise it is read here.
    """
    data = data if data is not None else load_customer_data(project, diagnostics)
    if data is None:
        return None
    return Loop(story_asks(project, data, on), behind_for_call(data, on))
