"""Benefit redemption: did recipients of a reminder section redeem more than those without one?

Two customer exports of the same CRM, before and after the send, give each customer's
benefits issued and redeemed. A customer "had unused benefits" when issued > redeemed
before; "redeemed" when they redeemed more after. Reminded customers are those whose
audience's message had a `kind: reminder` story and who were delivered it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compose.selection import issue_audiences, plan
from ..core.diagnostics import Diagnostics, Location
from ..customers.importer import load_records

BEFORE, AFTER = "customers-before", "customers-after"


def read_customer_export(project, path: str, diagnostics: Diagnostics) -> list:
    """The records of one customer export, read with the project's [customers] settings.

    The only call into `newsletter.customers`: keep it that way so the customer store can
    change underneath (it returns objects with id, email, audience, benefits_issued and
    benefits_redeemed).
    """
    settings = project.config.customers.model_copy(update={"files": [path]})
    return load_records(Path(project.root), settings, diagnostics, audiences=set(project.audiences),
                        tiers=list(project.config.loyalty.tiers))


@dataclass
class RedemptionGroup:
    """Customers with unused benefits before the send, and what they redeemed after."""

    label: str
    customers: int = 0
    redeemed_customers: int = 0
    unused_before: int = 0
    redeemed_after: int = 0  # benefits redeemed between the two exports
    ids: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.redeemed_customers / self.customers if self.customers else None

    @property
    def benefit_rate(self) -> float | None:
        return self.redeemed_after / self.unused_before if self.unused_before else None

    def to_dict(self) -> dict:
        return {"label": self.label, "customers": self.customers,
                "redeemed_customers": self.redeemed_customers, "rate": self.rate,
                "unused_benefits_before": self.unused_before, "benefits_redeemed_after": self.redeemed_after,
                "benefit_rate": self.benefit_rate}


@dataclass
class Redemption:
    before: str
    after: str
    reminded: RedemptionGroup
    not_reminded: RedemptionGroup
    reminder_audiences: list[str]

    def to_dict(self) -> dict:
        return {"before": self.before, "after": self.after, "reminder_audiences": self.reminder_audiences,
                "reminded": self.reminded.to_dict(), "not_reminded": self.not_reminded.to_dict()}


def reminder_audiences(project, issue_id: str) -> list[str]:
    """Audiences whose variant of the issue carries a reminder story."""
    issue = project.issues.get(issue_id)
    if issue is None:
        return []
    found = []
    default = project.config.project.default_locale
    for audience in issue_audiences(project, issue):
        sections = plan(project, issue, audience, audience.locale or default)
        if any(story.meta.kind == "reminder" for section in sections for story in section.stories):
            found.append(audience.id)
    return found


def measure_redemption(project, results, delivered: dict[tuple[str, str], set[str]],
                       diagnostics: Diagnostics) -> Redemption | None:
    """Compare redemption of reminded and not reminded customers; None without both exports."""
    exports = results.customer_exports
    if BEFORE not in exports and AFTER not in exports:
        return None
    for name in (BEFORE, AFTER):
        if name not in exports:
            other = exports[AFTER if name == BEFORE else BEFORE]
            diagnostics.error(f"found {Path(other).name} but no {name}.csv next to it: redemption "
                              "needs both exports", Location(other), "results-redemption")
            return None
    before = read_customer_export(project, exports[BEFORE], diagnostics)
    after = {r.id: r for r in read_customer_export(project, exports[AFTER], diagnostics)}
    audiences = reminder_audiences(project, results.issue)
    reminded = RedemptionGroup("with a reminder")
    not_reminded = RedemptionGroup("without a reminder")
    for record in before:
        issued, redeemed = record.benefits_issued, record.benefits_redeemed
        if issued is None or redeemed is None or issued <= redeemed:
            continue
        later = after.get(record.id)
        if later is None:
            diagnostics.warning(f"customer '{record.id}' is not in {exports[AFTER]}; left out of redemption",
                                record.location, "results-redemption")
            continue
        email = (record.email or "").casefold()
        got = (record.audience in audiences
               and email in delivered.get((results.issue, record.audience), set()))
        group = reminded if got else not_reminded
        group.customers += 1
        group.unused_before += issued - redeemed
        gained = max(0, (later.benefits_redeemed or 0) - redeemed)
        group.redeemed_after += min(gained, issued - redeemed)
        if gained:
            group.redeemed_customers += 1
        group.ids.append(record.id)
    return Redemption(exports[BEFORE], exports[AFTER], reminded, not_reminded, audiences)
