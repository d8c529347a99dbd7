"""Next month's plan from data: whom to feature, whose consent runs out, who needs a call.

A customer is suggested for an audience's spotlight when they are a promoter (NPS 9-10)
on a top tier, their consent covers the whole month, and no issue among the last
`featured_gap` featured them. Detractors (0-6) are listed for a personal follow-up
instead: a spotlight is the wrong answer to an unhappy customer.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml

from ..content.models import CUSTOMER_KINDS, Story
from ..content.reader import STORIES_DIR
from .data import CustomerData, name_key
from .json_rows import write_json_array
from .ledger import Feature, Ledger
from .metrics import Profile, format_money
from .money import money_sql
from .queries import literal, text


def month_range(text: str | None, today: date) -> tuple[date, date]:
    """First and last day of `YYYY-MM`, or of the month after `today` when not given."""
    if text:
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"month must look like 2026-12 (got {text!r})")
        year, month = int(match.group(1)), int(match.group(2))
    else:
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Candidate:
    """A customer to feature, with the stories that already feature them."""

    profile: Profile
    stories: tuple[str, ...]
    last_featured: Feature | None


@dataclass(frozen=True)
class Expiring:
    """A story whose customer's consent runs out soon (or has run out: days_left < 0)."""

    story: str
    name: str
    expires: date
    days_left: int


@dataclass(frozen=True)
class FollowUp:
    profile: Profile
    stories: tuple[str, ...]  # stories featuring this unhappy customer: hold them back


@dataclass
class Suggestions:
    start: date
    end: date
    recent_issues: list[str]
    features: dict[str | None, list[Candidate]] = field(default_factory=dict)
    expiring: list[Expiring] = field(default_factory=list)
    data: CustomerData | None = field(default=None, repr=False)
    stories: dict[str, list[Story]] = field(default_factory=dict, repr=False)
    _follow_up: list[FollowUp] | None = field(default=None, repr=False)

    @property
    def follow_up(self) -> list[FollowUp]:
        """Every detractor, most valuable first (one Python object each; see write_json for many)."""
        if self._follow_up is None:
            detractors = [] if self.data is None else self.data.profile_rows(
                self.start, "nps_group = 'detractor'", order="coalesce(ltv, 0) DESC, name, _order")
            self._follow_up = [FollowUp(p, tuple(s.id for s in self.stories.get(name_key(p.name), [])))
                               for p in detractors]
        return self._follow_up

    def follow_up_first(self, count: int) -> list[FollowUp]:
        """The `count` most valuable detractors (for a terminal, which cannot show 100,000 rows)."""
        if self._follow_up is not None or self.data is None:
            return self.follow_up[:count]
        detractors = self.data.profile_rows(self.start, "nps_group = 'detractor'",
                                            order=f"coalesce(ltv, 0) DESC, name, _order LIMIT {int(count)}")
        return [FollowUp(p, tuple(s.id for s in self.stories.get(name_key(p.name), []))) for p in detractors]

    def follow_up_count(self) -> int:
        if self._follow_up is not None or self.data is None:
            return len(self.follow_up)
        table = self.data.engine.profiles_table(self.start)
        return self.data.engine.query(f"SELECT count(*) FROM {table} WHERE nps_group = 'detractor'")[0][0]

    def write_json(self, write, currency: str, locale: str, *, first: dict | None = None,
                   extra: dict | None = None, write_bytes=None) -> None:
        """to_dict as indented JSON in pieces to `write`, `first`'s keys before it and `extra`'s
        after; the detractors are written by the engine, so a list of a hundred thousand never
        sits in Python's memory at once. A value of `extra` may be a function of (write, indent)
        that writes that value itself, as json.dumps would under a key indented by `indent`.
        `write_bytes` takes the detractors as the engine's UTF-8 (json_rows.write_json_array)."""
        body = {**(first or {}), **self.to_dict(currency, locale, follow_up=False), **(extra or {})}
        writers = {}
        for key, value in body.items():
            if callable(value):
                # A placeholder value; with its top-level key and the quotes around it, it cannot
                # be part of any text json.dumps writes inside a string.
                body[key] = f"\0{len(writers)}"
                writers["\n  " + json.dumps({key: body[key]}, ensure_ascii=False)[1:-1]] = value
        head = json.dumps(body, ensure_ascii=False, indent=2)
        head = head.removesuffix("\n}").rstrip() + ',\n  "follow_up": '
        for placeholder, writer in writers.items():
            before, head = head.split(placeholder, 1)
            key = placeholder[:placeholder.rindex(": ") + 2]
            write(before + key)
            writer(write, 2)
        write(head)
        engine = self.data.engine
        engine.use_profiles(self.start)
        _small_table(self.data, "story_ids", "key VARCHAR, ids VARCHAR[]",
                     [(key, [s.id for s in stories]) for key, stories in sorted(self.stories.items())])
        money = money_sql("p.ltv_text", currency, locale)
        sql = text("follow_up").format(money=money or "NULL")
        write_json_array(engine, sql, write, None if money else lambda item: _babel_money(item, currency, locale),
                         write_bytes)
        write("\n}\n")

    def to_dict(self, currency: str, locale: str, follow_up: bool = True) -> dict:
        """Plain data for JSON; money written the way `locale` writes it."""
        def person(p: Profile) -> dict:
            return {"id": p.id, "name": p.name, "company": p.record.company, "audience": p.audience,
                    "tier": p.tier, "nps": p.record.nps,
                    "lifetime_value": None if p.ltv is None else str(p.ltv),
                    "lifetime_value_text": format_money(p.ltv, currency, locale)}

        return {
            "month": self.start.strftime("%Y-%m"), "recent_issues": self.recent_issues,
            "feature": {audience or "": [dict(person(c.profile), stories=list(c.stories),
                                               last_featured=c.last_featured.issue if c.last_featured else None)
                                         for c in items] for audience, items in self.features.items()},
            "consent_expiring": [{"story": e.story, "customer": e.name, "expires": e.expires.isoformat(),
                                  "days_left": e.days_left} for e in self.expiring],
            **({"follow_up": [dict(person(f.profile), email=f.profile.record.email, stories=list(f.stories))
                              for f in self.follow_up]} if follow_up else {}),
        }


def _babel_money(item: dict, currency: str, locale: str) -> dict:
    amount = item["lifetime_value"]
    return dict(item, lifetime_value_text=format_money(None if amount is None else Decimal(amount),
                                                       currency, locale))


def _story_consent_covers(story: Story, start: date, end: date) -> bool:
    consent = story.meta.consent
    return bool(consent and consent.granted <= start and (consent.expires is None or consent.expires >= end))


def stories_by_customer(project) -> dict[str, list[Story]]:
    """Stories that name a customer, keyed by the customer's matched name."""
    found: dict[str, list[Story]] = {}
    for story in sorted(project.stories.values(), key=lambda s: s.id):
        if story.meta.kind in CUSTOMER_KINDS and story.meta.customer:
            found.setdefault(name_key(story.meta.customer.name), []).append(story)
    return found


def _small_table(data: CustomerData, name: str, columns: str, rows: list[tuple]) -> None:
    data.engine.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:
        data.engine.con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def suggest(project, data: CustomerData, ledger: Ledger, start: date, end: date) -> Suggestions:
    """The plan for the month `start`..`end`, with metrics as of `start` (sql/suggest.sql)."""
    settings = data.settings
    by_name = stories_by_customer(project)
    recent = ledger.issues_before(start, settings.featured_gap)
    result = Suggestions(start, end, recent, data=data, stories=by_name)
    # What the content knows, as small tables the query joins: a few rows per story or issue.
    _small_table(data, "story_consent", "key VARCHAR, covers BOOLEAN",
                 [(key, any(_story_consent_covers(s, start, end) for s in stories))
                  for key, stories in by_name.items()])
    _small_table(data, "recent_keys", "key VARCHAR",
                 sorted({(f.key,) for f in ledger.features if f.issue in recent}))
    last = {key: [f for f in found if f.date < start] for key, found in ledger.by_key().items()}
    last = {key: found[-1] for key, found in last.items() if found}
    _small_table(data, "last_featured_before", "key VARCHAR, date DATE",
                 sorted((key, f.date) for key, f in last.items()))
    data.engine.use_profiles(start)
    rank = "(CASE p.computed_tier " + " ".join(
        f"WHEN {literal(t)} THEN {i}" for i, t in enumerate(data.tiers)) + " ELSE -1 END)"
    sql = text("suggest").format(start=literal(start), end=literal(end), rank=rank,
                                 top_tiers=", ".join(literal(t) for t in data.top_tiers) or "NULL",
                                 per_audience=settings.per_audience)
    picked = data.engine.query(sql)
    places = {customer_id: place for customer_id, _, place in picked}
    pools: dict[str | None, list[Candidate]] = {audience: [] for audience in project.audiences}
    if picked:
        for p in data.profile_rows(start, "id IN (SELECT unnest($ids))", {"ids": sorted(places)}):
            stories = by_name.get(name_key(p.name), [])
            pools.setdefault(p.audience, []).append(
                Candidate(p, tuple(s.id for s in stories), last.get(name_key(p.name))))
    for audience, pool in pools.items():
        pool.sort(key=lambda c: places[c.profile.id])
        result.features[audience] = pool
    horizon = start + timedelta(days=settings.consent_warning_days)
    expiring = [s for stories in by_name.values() for s in stories
                if s.meta.consent is not None and s.meta.consent.expires is not None]
    named = data.profiles_named([s.meta.customer.name for s in expiring], start)
    for story in expiring:
        expires = story.meta.consent.expires
        record = data.find(named.get(name_key(story.meta.customer.name), []), story.meta.customer.name,
                           story.meta.customer.company)
        if record and record.record.consent_expires and record.record.consent_expires < expires:
            expires = record.record.consent_expires  # the data knows of an earlier end
        if expires < horizon:
            result.expiring.append(Expiring(story.id, story.meta.customer.name, expires,
                                            (expires - start).days))
    result.expiring.sort(key=lambda e: (e.expires, e.story))
    return result


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def scaffold_story(project, data: CustomerData, customer_id: str, on: date,
                   send: date | None = None) -> Path:
    """Write content/stories/<slug>-spotlight.md for one customer, front matter from data.

    The story is dated `on`; the tier is the one the customer has on `send` (default
    `on`), the day the check will compare it with. Raises KeyError for an unknown id,
    ValueError when the customer has no tier, FileExistsError rather than overwrite.
    """
    profile = data.profile_by_id(customer_id, send or on)
    if profile is None:
        raise KeyError(customer_id)
    if profile.tier is None:
        raise ValueError(f"{profile.name} meets no rule in [customers] tiers, so has no tier to write")
    record = profile.record
    slug = f"{slugify(record.name) or slugify(record.id) or 'customer'}-spotlight"
    path = Path(project.root) / STORIES_DIR / f"{slug}.md"
    if path.exists():
        raise FileExistsError(path)
    customer = {"name": record.name, "company": record.company, "tier": profile.tier, "since": record.since}
    front: dict = {
        "title": f"TODO: what {record.first_name or record.name} did, in one line",
        "kind": "spotlight", "date": on,
        "summary": "TODO: the one-line hook for the plain-text part (max ~140 characters)",
    }
    if profile.locale != project.config.project.default_locale:
        front["locale"] = profile.locale
    front["customer"] = {k: v for k, v in customer.items() if v is not None}
    if record.audience in project.audiences:
        front["audiences"] = [record.audience]
    if record.consent_granted:
        front["consent"] = {k: v for k, v in (("granted", record.consent_granted),
                                              ("expires", record.consent_expires)) if v is not None}
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100)
    text += ("# Show what they did, so the story counts as social proof (question 1):\n"
             "# metrics:\n#   - label: TODO\n#     value: TODO\n"
             "# quote:\n#   text: TODO, in their words\n"
             "# image:\n#   src: TODO\n#   alt: TODO\n")
    if not record.consent_granted:
        text += "# consent: TODO, no publication consent on record; ask before this story is sent\n"
    text += ("---\n"
             f"TODO: tell new customers what {record.name} does and how they take part in the "
             f"community. Drafted from {record.location}.\n\n"
             "- What did they start doing, and when?\n"
             "- What changed for them, in numbers if you can (add `metrics:` above)?\n"
             "- What would they tell someone who joined last week?\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
