"""Question 1: does the message highlight what the best customers do?"""

from __future__ import annotations

from ..compose.selection import suits
from ..content.models import SOCIAL_PROOF_KINDS, Story
from .education import count_words
from .registry import Finding, check


def consent_problem(story: Story, on) -> str | None:
    """Why a featured customer's publication consent does not cover `on`, or None."""
    consent = story.meta.consent
    if consent is None:
        return "has no publication consent on record"
    if consent.granted > on:
        return f"consent starts {consent.granted.isoformat()}, after the send date {on.isoformat()}"
    if consent.expires is not None and consent.expires < on:
        return f"consent expired {consent.expires.isoformat()} (send date {on.isoformat()})"
    return None


def shows_action(story: Story) -> str | None:
    """What the story shows the customer doing (action, result or attributed quote), or None."""
    meta = story.meta
    if meta.kind == "case-study" and meta.case and meta.metrics:
        return f"a case study with {len(meta.metrics)} measured result(s)"
    if meta.quote and (meta.quote.author or meta.customer):
        return "an attributed quote"
    if meta.metrics:
        return f"{len(meta.metrics)} measured result(s)"
    if meta.kind == "spotlight" and count_words(story.body_markdown) >= 60:
        return "a spotlight telling what they did"
    return None


def candidates(ctx, limit: int = 3) -> list[str]:
    """Social-proof stories that would fit this audience and may be published on the send date."""
    top = ctx.config.loyalty.top_tiers
    found = []
    for story in sorted(ctx.project.stories.values(), key=lambda s: (-s.meta.date.toordinal(), s.id)):
        meta = story.meta
        if (meta.kind in SOCIAL_PROOF_KINDS and meta.customer and meta.customer.tier in top
                and story not in ctx.stories and suits(story, ctx.audience)
                and consent_problem(story, ctx.issue.meta.date) is None and shows_action(story)):
            found.append(f"{story.id} ({meta.kind}, {meta.customer.name}, {meta.customer.tier})")
    return found[:limit]


@check("q1-social-proof", 1, "error",
       "The message features a named top-tier customer (spotlight, testimonial or case study) "
       "and shows what they did: an action, a measured result or an attributed quote.")
def social_proof(ctx):
    top = ctx.config.loyalty.top_tiers
    strong = []
    for story in ctx.stories:
        meta = story.meta
        if meta.kind not in SOCIAL_PROOF_KINDS or not meta.customer:
            continue
        if consent_problem(story, ctx.issue.meta.date):
            continue  # reported by q1-consent; it cannot count
        action = shows_action(story)
        if meta.customer.tier not in top:
            yield Finding(f"{story.id}: {meta.customer.name} is {meta.customer.tier}, not a top tier "
                          f"({', '.join(top)}), so it does not count as best-customer proof",
                          ctx.story_at(story, "customer", "tier"), severity="info")
        elif not action:
            yield Finding(f"{story.id}: names {meta.customer.name} but shows no action, result or quote",
                          ctx.story_at(story, "kind"),
                          "add metrics, a case (problem/action/result) or an attributed quote",
                          severity="warning")
        else:
            strong.append(story)
            yield Finding(f"{story.id}: {meta.kind} featuring {meta.customer.name} "
                          f"({meta.customer.tier}) with {action}", ctx.story_at(story, "customer"),
                          passed=True)
    if not strong:
        options = candidates(ctx)
        hint = "add a testimonial, spotlight or case study from a " + "/".join(top) + "-tier customer"
        if options:
            hint += "; candidates: " + ", ".join(options)
        yield Finding(f"no social proof for '{ctx.audience.id}': no top-tier customer is featured "
                      "with what they did", ctx.issue_at("sections"), hint)


@check("q1-consent", 1, "error",
       "Every featured customer has publication consent that covers the send date; a story "
       "without it must not be sent.")
def consent(ctx):
    for story in ctx.stories:
        if not story.meta.customer:
            continue
        problem = consent_problem(story, ctx.issue.meta.date)
        if problem:
            where = ctx.story_at(story, "consent", "expires") if story.meta.consent else ctx.story_at(story, "customer")
            yield Finding(f"{story.id}: {story.meta.customer.name} {problem}; this story must not be sent",
                          where, "renew the customer's consent (update consent.granted/expires) or "
                          "remove the story from the issue")
