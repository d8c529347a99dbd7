"""One event model for every provider: who received, opened or clicked which message.

A click is attributed to issue, audience and story by the UTM parameters the build puts
on every link (`newsletter.utm.tag_url`): `utm_campaign` = [utm] campaign_prefix + issue,
`utm_term` = audience, `utm_content` = story id (or header, intro, web-version).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from ..core.diagnostics import Location

EventKind = Literal["delivered", "open", "click"]


@dataclass(frozen=True)
class Event:
    """One delivery, open or click of one recipient, read from `location` (file:row).

    `machine` says whether the provider flagged an open as machine-made (Apple Mail
    Privacy Protection, a proxy prefetch): True or False when it says, None when the
    provider does not report it.
    """

    provider: str
    kind: EventKind
    recipient: str
    location: Location
    url: str = ""
    machine: bool | None = None


@dataclass(frozen=True)
class Attribution:
    """Where a click belongs, from the link's UTM parameters."""

    issue: str
    audience: str
    content: str  # a story id, or the place of a non-story link (header, intro, web-version)


def recipient_key(value: str) -> str:
    """Recipients are matched case-insensitively: providers differ in how they write addresses."""
    return value.strip().casefold()


def attribute(url: str, campaign_prefix: str = "") -> Attribution | None:
    """The issue, audience and story a clicked link was tagged with; None without our tags."""
    try:
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    except ValueError:
        return None
    campaign, term = query.get("utm_campaign", ""), query.get("utm_term", "")
    if not campaign or not term or not campaign.startswith(campaign_prefix):
        return None
    return Attribution(campaign[len(campaign_prefix):], term, query.get("utm_content", ""))
