"""Question 2: is the message educational and valuable, not just promotion?

Promotion is read from what a story says (checks/text/promotion.py), whatever its `kind`:
an offer written as news, a guide or a reminder counts as promotion in the share and in the
early-stage rule, and is itself an error (the reader is misled about what they are reading).
"""

from __future__ import annotations

from ..core import merge
from .registry import Finding, check
from .text import promotion
from .text.facts import story_facts
from .text.words import count_words, language_of

EDUCATIONAL_KINDS = ("guide",)

__all__ = ["EDUCATIONAL_KINDS", "count_words", "promotions", "message_offer"]


def promotions(ctx) -> list:
    """The stories of this message that are promotion, declared or read from their text."""
    return [s for s in ctx.stories if story_facts(ctx, s).is_promotion]


def message_offer(ctx) -> tuple[str, list] | None:
    """(field, signals) when the message's own subject, preheader or intro is an offer."""
    text = ctx.variant.text
    language = language_of(ctx.variant.locale)
    for name, value in (("subject", text.subject), ("preheader", text.preheader), ("intro", text.intro_markdown)):
        found = promotion.verdict(promotion.signals(merge.plain(value), language))
        if found:
            return name, found
    return None


def _teaches(ctx, story) -> str | None:
    """Why a story counts as educational, or None (an offer never does, whatever its kind)."""
    facts = story_facts(ctx, story)
    if facts.is_promotion:
        return None
    if story.meta.kind in EDUCATIONAL_KINDS:
        return f"a {story.meta.kind}"
    if story.meta.kind == "reminder":
        return "a reminder of a benefit they have paid for"
    if facts.teaches:
        return f"a {story.meta.kind} with {facts.teaches}"
    return None


@check("q2-educational", 2, "error",
       "At least one educational piece: a guide, a reminder of a benefit already paid for, or a "
       "story with steps to follow; a guide that is a sales pitch does not count.")
def educational(ctx):
    found = False
    for story in ctx.stories:
        why = _teaches(ctx, story)
        if why:
            found = True
            yield Finding(f"{story.id}: educational ({why}, {story_facts(ctx, story).words} words)",
                          ctx.story_at(story, "kind"), passed=True)
        elif story.meta.kind in EDUCATIONAL_KINDS:
            yield Finding(f"{story.id}: a {story.meta.kind} that sells ("
                          f"{promotion.describe(story_facts(ctx, story).offer or [])}) does not teach",
                          ctx.story_at(story, "kind"), "make the steps about using what they have, not buying more",
                          severity="warning")
    if not found:
        yield Finding(f"no educational piece for '{ctx.audience.id}'", ctx.issue_at("sections"),
                      "add a guide that helps this audience use what they bought: what to do, how, and why")


@check("q2-promo-share", 2, "error",
       "Promotion (declared `kind: promo` or read from the text) stays under `[checks] promo_max_share` "
       "of the message's words (intro and stories) and is never most of its pieces; a message that is "
       "all promotion fails.")
def promo_share(ctx):
    stories = ctx.stories
    if not stories:
        return
    promos = promotions(ctx)
    words = {s.id: story_facts(ctx, s).words for s in stories}
    total = sum(words.values()) + count_words(merge.plain(ctx.variant.text.intro_markdown)) or 1
    by_words = sum(words[s.id] for s in promos) / total
    limit = ctx.settings.promo_max_share
    share = f"{len(promos)}/{len(stories)} pieces, {by_words:.0%} of words"
    if len(promos) == len(stories):
        yield Finding(f"every piece is promotion ({share})", ctx.issue_at("sections"),
                      "add stories that carry value on their own: a guide, a customer story")
    elif by_words > limit or len(promos) * 2 > len(stories):
        yield Finding(f"promotion is {share}, over the {limit:.0%} limit ({', '.join(s.id for s in promos)})",
                      ctx.story_at(promos[0], "kind"), "cut the offer down or add a guide or customer story")
    else:
        yield Finding(f"promotion {share}, under the {limit:.0%} limit", None, passed=True)


@check("q2-early-promo", 2, "error",
       "No upsell, discount or offer, declared or not, to audiences in early lifecycle stages "
       "(`[checks] early_stages`), in the stories or in the message's own subject, preheader and intro.")
def early_promo(ctx):
    early = set(ctx.settings.early_stages) & set(ctx.audience.stages)
    if not early:
        return
    stage = "/".join(sorted(early))
    for story in promotions(ctx):
        offer = story_facts(ctx, story).offer
        what = f"an offer ({promotion.describe(offer)})" if offer else "a promotion"
        yield Finding(f"{story.id}: {what} sent to '{ctx.audience.id}', who are in the {stage} stage",
                      ctx.story_at(story, "kind"),
                      "early on, help them use what they bought; limit the story's audiences")
    own = message_offer(ctx)
    if own:
        name, found = own
        yield Finding(f"the {name} sells to '{ctx.audience.id}', who are in the {stage} stage "
                      f"({promotion.describe(found)})", ctx.text_at(name),
                      "early on, ask how it went and help; keep offers for later messages")


@check("q2-hidden-promo", 2, "error",
       "A story that reads like an offer (a discount, a coupon code, a price with a call to buy or a "
       "deadline) is declared `kind: promo`: an offer written as news, a guide or a reminder misleads "
       "the reader and hides from the promotion share.")
def hidden_promo(ctx):
    for story in ctx.stories:
        if story.meta.kind == "promo":
            continue
        offer = story_facts(ctx, story).offer
        if offer:
            yield Finding(f"{story.id}: an offer written as a {story.meta.kind} ({promotion.describe(offer)})",
                          ctx.story_at(story, "kind"), "declare it kind: promo (it is labelled as an offer), "
                          "or take the sales wording out")
