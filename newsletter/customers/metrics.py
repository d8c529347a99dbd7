"""Lifetime value, Net Promoter Score, the loyalty ladder and the per-customer flags.

    lifetime value = purchases per year x average order value x expected years
    NPS            = % promoters (9-10) - % detractors (0-6), passives (7-8) count in the total
    tier           = the first rule in [customers] tiers the customer meets, top-down
    behind         = onboarding progress < threshold (0.8) x progress expected by this day
    unused         = benefits issued - benefits redeemed, when above zero

The engine computes these for every customer at once (sql/profiles.sql); this module
holds the same rules for one customer in Python, the reference the tests compare the SQL
with, and the Profile and NpsSummary objects both produce.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..content.customer_settings import CustomerSettings, TierRule
from .money import format_money  # noqa: F401  re-exported: money belongs with the metrics for callers
from .records import CustomerRecord

PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"


def lifetime_value(record: CustomerRecord) -> Decimal | None:
    """Simplest form; None when any of the three numbers is unknown."""
    parts = (record.purchases_per_year, record.average_order_value, record.expected_years)
    if any(part is None for part in parts):
        return None
    return parts[0] * parts[1] * parts[2]


def tenure_years(since: date | None, today: date) -> float:
    """Years as a customer on `today` (0 when the start is unknown or in the future)."""
    if since is None or since > today:
        return 0.0
    return (today - since).days / 365.25


def nps_group(score: int | None) -> str | None:
    if score is None:
        return None
    return PROMOTER if score >= 9 else PASSIVE if score >= 7 else DETRACTOR


@dataclass(frozen=True)
class NpsSummary:
    """Answers split into promoters, passives and detractors, and the score they give."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def respondents(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float | None:
        """% promoters - % detractors, from -100 to 100; None with no answers."""
        if not self.respondents:
            return None
        return 100 * (self.promoters - self.detractors) / self.respondents

    def share(self, group: str) -> float:
        count = {PROMOTER: self.promoters, PASSIVE: self.passives, DETRACTOR: self.detractors}[group]
        return count / self.respondents if self.respondents else 0.0

    def to_dict(self) -> dict:
        return {"promoters": self.promoters, "passives": self.passives, "detractors": self.detractors,
                "respondents": self.respondents,
                "nps": None if self.score is None else round(self.score, 1)}


def nps(scores: Iterable[int | None]) -> NpsSummary:
    groups = [nps_group(s) for s in scores]
    return NpsSummary(groups.count(PROMOTER), groups.count(PASSIVE), groups.count(DETRACTOR))


def rule_matches(rule: TierRule, audience: str | None, ltv: Decimal | None, years: float,
                 score: int | None) -> bool:
    if rule.audiences is not None and audience not in rule.audiences:
        return False
    if rule.min_ltv and (ltv is None or ltv < Decimal(str(rule.min_ltv))):
        return False
    if rule.min_years and years < rule.min_years:
        return False
    if rule.min_nps is not None and (score is None or score < rule.min_nps):
        return False
    return True


def assign_tier(rules: list[TierRule], audience: str | None, ltv: Decimal | None, years: float,
                score: int | None) -> str | None:
    """The first rule met, top-down; None when no rule matches (the ladder has no floor)."""
    return next((r.name for r in rules if rule_matches(r, audience, ltv, years, score)), None)


def expected_progress(day: int, curve: dict[int, float]) -> float | None:
    """Progress (%) customers usually have by `day`, interpolated; None past the curve's end.

    The curve starts at 0% on day 0. Past its last day onboarding is over, so nobody is
    "behind" any more: they are simply customers.
    """
    if not curve or day < 0 or day > max(curve):
        return None
    points = [(0, 0.0)] + [(d, float(p)) for d, p in sorted(curve.items()) if d > 0]
    days = [d for d, _ in points]
    index = bisect_right(days, day) - 1
    if index == len(points) - 1:
        return points[-1][1]
    (d0, p0), (d1, p1) = points[index], points[index + 1]
    return p0 + (p1 - p0) * (day - d0) / (d1 - d0)


@dataclass(frozen=True)
class Profile:
    """A record with everything computed from it on one day."""

    record: CustomerRecord
    ltv: Decimal | None
    years: float
    group: str | None
    tier: str | None
    unused_benefits: int
    expected_progress: float | None
    onboarding_behind: bool
    locale: str

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def audience(self) -> str | None:
        return self.record.audience


def make_profile(record: CustomerRecord, settings: CustomerSettings, today: date,
                 locale: str) -> Profile:
    """Compute one customer's metrics as of `today`; `locale` is the fallback for money."""
    ltv = lifetime_value(record)
    years = tenure_years(record.since, today)
    tier = record.tier if settings.tier_source == "export" and record.tier else None
    tier = tier or assign_tier(settings.tiers, record.audience, ltv, years, record.nps)
    unused = max((record.benefits_issued or 0) - (record.benefits_redeemed or 0), 0)
    expected = behind = None
    if record.since is not None:
        expected = expected_progress((today - record.since).days, settings.onboarding_expected)
    if expected is not None and record.onboarding_progress is not None:
        behind = record.onboarding_progress < settings.onboarding_threshold * expected
    return Profile(record, ltv, years, nps_group(record.nps), tier, unused, expected, bool(behind),
                   record.locale or locale)


def make_profiles(records: Iterable[CustomerRecord], settings: CustomerSettings, today: date,
                  locales: dict[str, str], default_locale: str) -> list[Profile]:
    """Profiles of every record; `locales` maps an audience id to its locale."""
    return [make_profile(r, settings, today, locales.get(r.audience or "", default_locale))
            for r in records]


def nps_by_audience(profiles: Iterable[Profile]) -> dict[str | None, NpsSummary]:
    """NPS per audience (None = customers without one), in first-seen order."""
    by: dict[str | None, list[int | None]] = {}
    for p in profiles:
        by.setdefault(p.audience, []).append(p.record.nps)
    return {audience: nps(scores) for audience, scores in by.items()}


@dataclass(frozen=True)
class Rung:
    """One tier of the ladder with how many customers stand on it and what they are worth."""

    tier: str | None
    count: int
    total_ltv: Decimal

    @property
    def average_ltv(self) -> Decimal | None:
        return self.total_ltv / self.count if self.count else None


def ladder(profiles: list[Profile], order: list[str]) -> list[Rung]:
    """Rungs top-down (`order` is the loyalty tiers lowest first), then the unranked if any."""
    rungs = []
    for tier in [*reversed(order), None]:
        members = [p for p in profiles if p.tier == tier]
        if tier is None and not members:
            continue
        rungs.append(Rung(tier, len(members), sum((p.ltv or Decimal(0) for p in members), Decimal(0))))
    return rungs
