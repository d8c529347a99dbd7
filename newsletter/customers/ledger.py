"""The featured-customer ledger: who was put in front of readers, in which issue and when.

It is derived from the issues exactly as the build plans them (the same story selection
per audience), so it always agrees with build/ and needs no file of its own to keep.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from ..content.models import SOCIAL_PROOF_KINDS
from ..compose.selection import build_variants
from .names import name_key


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
    _by_key: dict[str, list[Feature]] | None = field(default=None, repr=False)

    def by_key(self) -> dict[str, list[Feature]]:
        """Features per matched customer name, each list in send order (names normalised once)."""
        if self._by_key is None:
            self._by_key = {}
            for f in sorted(self.features, key=lambda f: (f.date, f.issue)):
                self._by_key.setdefault(f.key, []).append(f)
        return self._by_key

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
        return [f for f in self.features if f.issue in issues and f.key == name_key(name)]

    def last_featured(self, name: str, before: date | None = None) -> Feature | None:
        found = [f for f in self.by_key().get(name_key(name), []) if before is None or f.date < before]
        return found[-1] if found else None

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
