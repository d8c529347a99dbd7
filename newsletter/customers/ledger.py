"""The featured-customer ledger: who was put in front of readers, in which issue and when.

It is derived from the issues exactly as the build plans them (the same story selection
per audience), so it always agrees with build/ and needs no file of its own to keep.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from ..compose.selection import build_variants
from ..content.models import SOCIAL_PROOF_KINDS
from .data import name_key


@dataclass(frozen=True)
class Feature:
    """One customer featured in one issue for one audience."""

    issue: str
    date: date
    audience: str
    story: str
    kind: str
    name: str
    company: str | None

    @property
    def key(self) -> str:
        return name_key(self.name)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        return data


@dataclass
class Ledger:
    """Features by issue, issues in send order (date, then id)."""

    issues: list[tuple[str, date]]
    features: list[Feature]

    def in_issue(self, issue: str) -> list[Feature]:
        return [f for f in self.features if f.issue == issue]

    def previous_issue(self, issue: str) -> str | None:
        ids = [i for i, _ in self.issues]
        index = ids.index(issue) if issue in ids else -1
        return ids[index - 1] if index > 0 else None

    def issues_before(self, day: date, count: int) -> list[str]:
        """The `count` most recent issues sent before `day`."""
        earlier = [i for i, d in self.issues if d < day]
        return earlier[-count:] if count else []

    def featured_in(self, issues: list[str], name: str) -> list[Feature]:
        key = name_key(name)
        return [f for f in self.features if f.issue in issues and f.key == key]

    def last_featured(self, name: str, before: date | None = None) -> Feature | None:
        key = name_key(name)
        found = [f for f in self.features if f.key == key and (before is None or f.date < before)]
        return max(found, key=lambda f: (f.date, f.issue)) if found else None

    def to_dicts(self) -> list[dict]:
        return [f.to_dict() for f in self.features]


def build_ledger(project) -> Ledger:
    """Every social-proof story with a named customer, per issue and audience."""
    issues = sorted(((i.id, i.meta.date) for i in project.issues.values()), key=lambda x: (x[1], x[0]))
    features: list[Feature] = []
    seen: set[tuple[str, str, str]] = set()
    for variant in build_variants(project):
        if project.issues.get(variant.issue.id) is not variant.issue:
            continue  # a welcome-pack step goes to each customer once, not to every reader
        for story in variant.stories:
            customer = story.meta.customer
            if story.meta.kind not in SOCIAL_PROOF_KINDS or customer is None:
                continue
            # The same message on several channels features the customer once.
            mark = (variant.issue.id, variant.audience.id, story.id)
            if mark in seen:
                continue
            seen.add(mark)
            features.append(Feature(variant.issue.id, variant.issue.meta.date, variant.audience.id,
                                    story.id, story.meta.kind, customer.name, customer.company))
    return Ledger(issues, features)
