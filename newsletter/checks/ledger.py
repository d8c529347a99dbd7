"""Question 1 with history and data: fresh faces each issue, and tiers that come from data.

Messages name customers, tiers and file:row only, never scores, values or addresses: they
end up in build/report.json.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.models import SOCIAL_PROOF_KINDS
from ..customers.ledger import Feature, Ledger, build_ledger
from ..customers.names import name_key
from ..customers.sources import has_data
from .registry import Finding, check

if TYPE_CHECKING:
    from ..customers.data import CustomerData

_LEDGER = "customers.ledger"
_DATA = "customers.data"
_SEQUENCE = "customers.ledger.sequence"


def ledger(ctx) -> Ledger:
    """The project's featured-customer ledger, built once per check run."""
    if _LEDGER not in ctx.shared:
        ctx.shared[_LEDGER] = build_ledger(ctx.project)
    return ctx.shared[_LEDGER]


def _sequence(ctx) -> tuple[dict[str, str], dict[tuple[str, str], list[Feature]]]:
    """The ledger indexed once per check run: each issue's previous issue (Ledger.previous_issue)
    and the features of each (issue, customer name key) (Ledger.featured_in), so checking
    every message costs the messages plus the features, not their product."""
    if _SEQUENCE not in ctx.shared:
        book = ledger(ctx)
        ids = [issue for issue, _ in book.issues]
        featured: dict[tuple[str, str], list[Feature]] = {}
        for feature in book.features:
            featured.setdefault((feature.issue, feature.key), []).append(feature)
        ctx.shared[_SEQUENCE] = (dict(zip(ids[1:], ids)), featured)
    return ctx.shared[_SEQUENCE]


def customer_data(ctx) -> CustomerData | None:
    """The project's customer data, read once per check run; None without an export."""
    if _DATA not in ctx.shared:
        if not has_data(ctx.project.root, ctx.config.customers):
            ctx.shared[_DATA] = None
            return None
        # Imported here: the data engine (DuckDB, some 45 MB with its SQL tools) loads only in
        # a run that reads customer data, not in every build and render worker.
        from ..customers.data import load_customer_data

        # Every customer any story names, fetched in one pass for all the messages; only
        # they (and every problem in the export) are read from a changed export.
        named = [s.meta.customer.name for s in ctx.project.stories.values() if s.meta.customer is not None]
        data = ctx.shared[_DATA] = load_customer_data(ctx.project, named=named)
        if data is not None and not data.unusable:
            data.keep_named(named)
    return ctx.shared[_DATA]


@check("q1-featured-recently", 1, "warning",
       "No customer is featured in two consecutive issues: readers should meet new faces, and "
       "the same few customers should not carry every issue.")
def featured_recently(ctx):
    if ctx.project.issues.get(ctx.issue.id) is not ctx.issue:
        return  # welcome-pack steps are not part of the monthly sequence
    previous_of, featured = _sequence(ctx)
    previous = previous_of.get(ctx.issue.id)
    if previous is None:
        return
    for story in ctx.stories:
        customer = story.meta.customer
        if story.meta.kind not in SOCIAL_PROOF_KINDS or customer is None:
            continue
        earlier = featured.get((previous, name_key(customer.name)), [])
        if earlier:
            where = ", ".join(sorted({f"{f.story} for {f.audience}" for f in earlier}))
            yield Finding(f"{story.id}: {customer.name} was also featured in the previous issue, "
                          f"{previous} ({where})", ctx.story_at(story, "customer", "name"),
                          "feature another top-tier customer this time; `newsletter suggest` "
                          "lists who has not been featured lately")


@check("q1-tier-from-data", 1, "warning",
       "With customer data (content/customers.csv or [customers] files), a featured customer's "
       "tier matches the tier computed from data, and the consent on record covers the send date.")
def tier_from_data(ctx):
    data = customer_data(ctx)
    if data is None:
        return
    if data.unusable:
        # A missing file or a renamed id/name column: no tier or consent can be checked.
        first = data.unusable[0]
        yield Finding(f"customer data unusable: {first.message} ({len(data.unusable)} problem(s) in "
                      f"{', '.join(data.files)}); tiers and consent cannot be checked against it",
                      first.location, "fix the export or [customers] in newsletter.toml; "
                      "`newsletter customers` lists every problem", severity="error")
        return
    if data.diagnostics.errors:
        # Broken rows must not switch the data checks off quietly: every message that relies
        # on the data fails until the file is fixed.
        first = data.diagnostics.errors[0]
        yield Finding(f"customer data is broken: {len(data.diagnostics.errors)} error(s) in "
                      f"{', '.join(data.files)}, first: {first.message}", first.location,
                      "fix the file (`newsletter customers` lists every problem); tiers and consents "
                      "cannot be checked against it until then", severity="error")
    elif data.diagnostics.items and not ctx.shared.get(_DATA + ".reported"):
        ctx.shared[_DATA + ".reported"] = True
        yield Finding(f"customer data: {len(data.diagnostics.warnings)} warning(s) in "
                      f"{', '.join(data.files)}; those rows or values are not used", None,
                      "run `newsletter customers` to see each one", severity="info")
    on = ctx.issue.meta.date
    named = [s.meta.customer.name for s in ctx.stories if s.meta.customer is not None]
    by_key = data.profiles_named(named, on)  # only the featured customers leave the engine
    for story in ctx.stories:
        customer = story.meta.customer
        if customer is None:
            continue
        profile = data.find(by_key.get(name_key(customer.name), []), customer.name, customer.company)
        if profile is None:
            yield Finding(f"{story.id}: {customer.name} is not in the customer data, so the tier "
                          f"'{customer.tier}' is hand-typed", ctx.story_at(story, "customer", "name"),
                          "add the customer to the export, or check the spelling of the name",
                          severity="info")
            continue
        row = profile.record.location
        if profile.tier != customer.tier:
            computed = profile.tier or "below every tier rule"
            yield Finding(f"{story.id}: the story says {customer.name} is {customer.tier}; the customer "
                          f"data ({row}) makes them {computed} on {on.isoformat()}",
                          ctx.story_at(story, "customer", "tier"),
                          f"set customer.tier to {profile.tier}" if profile.tier else
                          "feature a customer who meets a tier rule, or check [customers] tiers")
        problem = profile.record.consent_problem(on)
        if problem:
            where = ("consent", "expires") if story.meta.consent else ("customer",)
            yield Finding(f"{story.id}: {customer.name} {problem} ({row}, send date {on.isoformat()}); "
                          "this story must not be sent", ctx.story_at(story, *where),
                          "renew the consent and update the export, or remove the story from the issue",
                          severity="error")
