"""Question 1: does the message highlight what the best customers do?

What a story shows is read from its words (checks/text/deeds.py): a case study that tells
problem, action and result in words counts without metrics; a long tribute that only
praises and thanks does not.
"""

from __future__ import annotations

from ..compose.selection import suits
from ..content.models import SOCIAL_PROOF_KINDS
from ..core.diagnostics import Location
from .registry import Finding, check
from .text import deeds
from .text.facts import story_facts
from .window import consent_gap, send_window


_NEWEST = "proof.top-tier-newest-first"


def _top_tier_newest_first(ctx) -> list:
    """The project's social-proof stories naming a top-tier customer, newest first; made once
    per check run (kept in the shared memo), not sorted again for every message."""
    top = ctx.config.loyalty.top_tiers
    kept = ctx.shared.get(_NEWEST)
    if kept is None or kept[0] != top:
        stories = [s for s in ctx.project.stories.values()
                   if s.meta.kind in SOCIAL_PROOF_KINDS and s.meta.customer and s.meta.customer.tier in top]
        kept = ctx.shared[_NEWEST] = (top, sorted(stories, key=lambda s: (-s.meta.date.toordinal(), s.id)))
    return kept[1]


def candidates(ctx, limit: int = 3) -> list[str]:
    """Social-proof stories that would fit this audience and may be published while it goes out
    (the `limit` newest: what each story's words show is read only until they are found)."""
    window = send_window(ctx.project, ctx.issue)
    found = []
    for story in _top_tier_newest_first(ctx):
        if len(found) == limit:
            break
        meta = story.meta
        if (story not in ctx.stories and suits(story, ctx.audience)
                and consent_gap(meta.consent, window) is None and story_facts(ctx, story).action):
            found.append(f"{story.id} ({meta.kind}, {meta.customer.name}, {meta.customer.tier})")
    return found


@check("q1-social-proof", 1, "error",
       "The message features a named top-tier customer (spotlight, testimonial or case study) "
       "and its words say what they did: an action, a habit, a result (a case study's problem, "
       "action and result in words count); praise and thanks alone do not, however long.")
def social_proof(ctx):
    top = ctx.config.loyalty.top_tiers
    window = send_window(ctx.project, ctx.issue)
    strong = []
    for story in ctx.stories:
        meta = story.meta
        if meta.kind not in SOCIAL_PROOF_KINDS or not meta.customer:
            continue
        if consent_gap(meta.consent, window):
            continue  # reported by q1-consent; it cannot count
        facts = story_facts(ctx, story)
        if meta.customer.tier not in top:
            yield Finding(f"{story.id}: {meta.customer.name} is {meta.customer.tier}, not a top tier "
                          f"({', '.join(top)}), so it does not count as best-customer proof",
                          ctx.story_at(story, "customer", "tier"), severity="info")
        elif facts.placeholder or facts.is_promotion:
            continue  # a draft or an offer is not proof; q1-draft and Q2 say why
        elif not facts.action:
            told = facts.deeds
            what = (f"only praises and thanks them ({told.praise} of {told.total} sentences)"
                    if told.praise else "does not say what they did")
            yield Finding(f"{story.id}: names {meta.customer.name} but {what}", ctx.story_at(story, "kind"),
                          "tell what they did, concretely enough to copy: the habit, the steps, the result",
                          severity="warning")
        else:
            strong.append(story)
            yield Finding(f"{story.id}: {meta.kind} featuring {meta.customer.name} "
                          f"({meta.customer.tier}) with {facts.action}", ctx.story_at(story, "customer"),
                          passed=True)
    if not strong:
        options = candidates(ctx)
        hint = "add a testimonial, spotlight or case study from a " + "/".join(top) + "-tier customer"
        if options:
            hint += "; candidates: " + ", ".join(options)
        yield Finding(f"no social proof for '{ctx.audience.id}': no top-tier customer is featured "
                      "with what they did", ctx.issue_at("sections"), hint)


@check("q1-consent", 1, "error",
       "Every featured customer has publication consent over the whole time the message can go "
       "out: an issue's send date; a welcome-pack step from the pack's go-live date + its day for "
       "as long as that pack version is live (its `review` date, or the date of a pack that `replaces` it).")
def consent(ctx):
    window = send_window(ctx.project, ctx.issue)
    for story in ctx.stories:
        if not story.meta.customer:
            continue
        problem = consent_gap(story.meta.consent, window)
        if problem:
            where = ctx.story_at(story, "consent", "expires") if story.meta.consent else ctx.story_at(story, "customer")
            fix = "renew the customer's consent (update consent.granted/expires) or remove the story from the "
            fix += "step" if ctx.issue.kind == "welcome" else "issue"
            if ctx.issue.kind == "welcome" and window.last is None:
                fix += "; or give the pack a `review:` date the consent covers"
            yield Finding(f"{story.id}: {story.meta.customer.name} {problem}; this story must not be sent",
                          where, fix)


@check("q1-disclosure", 1, "error",
       "A customer who was paid, given free product or a discount for a story has that material "
       "connection disclosed beside it (FTC 16 CFR 255.5): `incentivized: true`, or a story that "
       "says so, needs a `disclosure:` line, which every channel prints.")
def disclosure(ctx):
    for story in ctx.stories:
        meta = story.meta
        if meta.disclosure:
            yield Finding(f"{story.id}: the material connection is disclosed beside the story", None, passed=True)
            continue
        said = story_facts(ctx, story).reward
        if meta.incentivized or said:
            why = "is marked incentivized" if meta.incentivized else f"says the customer was rewarded ('{said}')"
            yield Finding(f"{story.id}: {why} but discloses nothing next to the story",
                          ctx.story_at(story, "incentivized" if meta.incentivized else "title"),
                          "add `disclosure:` saying what they received, e.g. \"Bea received a free month "
                          "of membership for this story.\"")


@check("q1-draft", 1, "error",
       "No scaffold placeholder is left in a story or the message (`TODO: what Lena did`, `TBD`, "
       "`TODO：标题`): a draft says nothing of what the customer did and must not be sent or exported.")
def draft(ctx):
    for story in ctx.stories:
        found = story_facts(ctx, story).placeholder
        if found:
            field, line = found
            yield Finding(f"{story.id}: still a draft ({field}: '{line}')", _draft_at(ctx, story, field, line),
                          "write what the customer did, or take the story out of the issue")
    text = ctx.variant.text
    for name in ("title", "subject", "preheader", "intro"):
        value = getattr(text, name) if name != "intro" else text.intro_markdown
        found = deeds.placeholder(value or "")
        if found:
            yield Finding(f"the {name} is still a draft ('{found}')", ctx.text_at(name) if name != "title"
                          else ctx.issue_at("title"), f"write the {name}")


def _draft_at(ctx, story, field: str, line: str) -> Location:
    """Where the placeholder is: its line in the body, else the front-matter field."""
    if field == "body":
        before = story.body_markdown[:story.body_markdown.find(line)] if line in story.body_markdown else ""
        return Location(story.path, story.body_line + before.count("\n"), 1)
    return ctx.story_at(story, *field.split("."))
