"""Question 2: is the message educational and valuable, not just promotion?"""

from __future__ import annotations

import re

from .registry import Finding, check

# Words that mark promotion when a story is not declared `kind: promo` (en, pt, ru, zh).
_PROMO_WORDS = re.compile(
    r"\d+\s?% off|\bdiscount|\bcoupon|\bpromo code|\bsale ends|\bbuy now|\blimited time"
    r"|\bdesconto|\bcupom|\bpromoção|\bcompre já|скидк|промокод|распродаж|купите сейчас"
    r"|折扣|优惠券|限时|立即购买", re.I)
EDUCATIONAL_KINDS = ("guide",)


def count_words(text: str) -> int:
    # CJK has no spaces: count each character as a word so shares stay comparable.
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]", text))
    return len(re.sub(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]", " ", text).split()) + cjk


def _story_words(story) -> int:
    meta = story.meta
    extra = " ".join(filter(None, [meta.title, meta.quote.text if meta.quote else "",
                                   " ".join(meta.case.model_dump().values()) if meta.case else ""]))
    return count_words(story.body_markdown) + count_words(extra)


@check("q2-educational", 2, "error",
       "At least one educational piece (guide, tip, how-to: what to do, how, and why it matters).")
def educational(ctx):
    guides = [s for s in ctx.stories if s.meta.kind in EDUCATIONAL_KINDS]
    for story in guides:
        yield Finding(f"{story.id}: educational ({story.meta.kind}, {_story_words(story)} words)",
                      ctx.story_at(story, "kind"), passed=True)
    if not guides:
        yield Finding(f"no educational piece for '{ctx.audience.id}'", ctx.issue_at("sections"),
                      "add a guide that helps this audience use what they bought: what to do, how, and why")


@check("q2-promo-share", 2, "warning",
       "Promotion stays under `[checks] promo_max_share` of the message, by blocks and by words; "
       "a message that is all promotion fails.")
def promo_share(ctx):
    stories = ctx.stories
    if not stories:
        return
    promos = [s for s in stories if s.meta.kind == "promo"]
    words = {s.id: _story_words(s) for s in stories}
    total = sum(words.values()) or 1
    by_blocks = len(promos) / len(stories)
    by_words = sum(words[s.id] for s in promos) / total
    limit = ctx.settings.promo_max_share
    share = f"{len(promos)}/{len(stories)} blocks, {by_words:.0%} of words"
    if len(promos) == len(stories):
        yield Finding(f"every piece is promotion ({share})", ctx.issue_at("sections"),
                      "add stories that carry value on their own: a guide, a customer story", severity="error")
    elif max(by_blocks, by_words) > limit:
        yield Finding(f"promotion is {share}, over the {limit:.0%} limit",
                      ctx.story_at(promos[0], "kind"), "cut the offer down or add a guide or customer story")
    else:
        yield Finding(f"promotion {share}, under the {limit:.0%} limit", None, passed=True)


@check("q2-early-promo", 2, "error",
       "No upsell or promotion to audiences in early lifecycle stages (`[checks] early_stages`).")
def early_promo(ctx):
    early = set(ctx.settings.early_stages) & set(ctx.audience.stages)
    if not early:
        return
    for story in ctx.stories:
        if story.meta.kind == "promo":
            yield Finding(f"{story.id}: a promotion sent to '{ctx.audience.id}', who are in the "
                          f"{'/'.join(sorted(early))} stage", ctx.story_at(story, "kind"),
                          "early on, help them use what they bought; limit the story's audiences")


@check("q2-hidden-promo", 2, "warning",
       "A story that reads like an offer (discount, coupon, 'buy now') is declared `kind: promo`, "
       "so the promotion share is measured honestly.")
def hidden_promo(ctx):
    for story in ctx.stories:
        if story.meta.kind == "promo":
            continue
        match = _PROMO_WORDS.search(story.body_markdown + " " + story.meta.title)
        if match:
            yield Finding(f"{story.id}: reads like promotion ('{match.group(0)}') but is a {story.meta.kind}",
                          ctx.story_at(story, "kind"), "set kind: promo, or drop the sales language")
