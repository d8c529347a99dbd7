"""What a story says, computed once per story version and check run, shared by every message.

A story goes out in many messages (every audience, channel and issue that includes it); its
facts depend only on its own text, so they are computed the first time a check asks and
kept in the run's own memo, keyed by the story's file. Being a function of the story alone,
they leave a check's findings a function of its message (newsletter.checks.reuse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ...content.models import SOCIAL_PROOF_KINDS, Story
from . import deeds as deeds_mod
from . import promotion
from .language import Mismatch, mismatch
from .words import count_words, language_of, plain

_STEP = re.compile(r"^\s*(?:\d+[.)]|[-*+]\s+\*\*)\s+\S", re.M)
_CJK_STEP = re.compile(r"第[一二三四五六七八九十\d]+步")


@dataclass
class StoryFacts:
    """A story's text as the checks read it: offer or not, what the customer did, and so on."""

    story: Story

    @property
    def language(self) -> str:
        return language_of(self.story.locale)

    @cached_property
    def fields(self) -> dict[str, str]:
        """The story's own words, per front-matter field (plain text, no Markdown)."""
        meta = self.story.meta
        out = {"title": meta.title, "summary": meta.summary, "body": plain(self.story.body_markdown)}
        if meta.quote:
            out["quote"] = meta.quote.text
        if meta.case:
            out.update({f"case.{k}": v for k, v in meta.case.model_dump().items()})
        if meta.cta:
            out["cta"] = meta.cta.label
        return {k: v for k, v in out.items() if v and v.strip()}

    @cached_property
    def offer(self) -> list[promotion.Signal] | None:
        """The signals that make the story an offer (whatever its kind), or None."""
        text = "\n\n".join(self.fields.values())
        return promotion.verdict(promotion.signals(text, self.language))

    @property
    def is_promotion(self) -> bool:
        return self.story.meta.kind == "promo" or self.offer is not None

    @cached_property
    def words(self) -> int:
        """Words the story itself says (body, quote, case), not its title."""
        return sum(count_words(v) for k, v in self.fields.items() if k not in ("title", "cta"))

    @cached_property
    def teaches(self) -> str | None:
        """How the story teaches (steps to follow), or None."""
        body = self.story.body_markdown
        steps = len(_STEP.findall(body)) + len(_CJK_STEP.findall(body))
        return f"{steps} steps to follow" if steps >= 2 else None

    @cached_property
    def deeds(self) -> deeds_mod.Deeds:
        texts = [self.fields.get(k, "") for k in ("summary", "body", "quote")]
        return deeds_mod.deeds([t for t in texts if t], self.language)

    @cached_property
    def action(self) -> str | None:
        """What the story shows the customer doing, in words, or None when it shows nothing."""
        meta, language = self.story.meta, self.language
        if meta.case and deeds_mod.concrete(meta.case.action, language):
            return "a case study telling problem, action and result"
        if meta.metrics and self.deeds.concrete:
            return f"{len(meta.metrics)} measured result(s) and what they did"
        if meta.quote and deeds_mod.concrete(meta.quote.text, language):
            return "a quote telling what they do"
        if meta.quote and self.deeds.concrete and not self.deeds.praise:
            return "a quote beside what they did"
        if len(self.deeds.concrete) >= 2:
            return f"{len(self.deeds.concrete)} sentences telling what they did"
        return None

    @cached_property
    def reward(self) -> str | None:
        """Words in the story saying the customer was rewarded for it, or None."""
        for text in self.fields.values():
            found = deeds_mod.reward(text, self.language)
            if found:
                return found
        return None

    @cached_property
    def placeholder(self) -> tuple[str, str] | None:
        """(field, line) of a scaffold placeholder left in the story, or None."""
        for key, text in [("title", self.story.meta.title), ("summary", self.story.meta.summary),
                          ("body", self.story.body_markdown), *[(k, v) for k, v in self.fields.items()
                                                                if k.startswith(("quote", "case"))]]:
            found = deeds_mod.placeholder(text or "")
            if found:
                return key, found
        if self.story.meta.image and deeds_mod.placeholder(self.story.meta.image.src + " " + self.story.meta.image.alt):
            return "image", self.story.meta.image.src
        return None

    @property
    def features_customer(self) -> bool:
        return self.story.meta.kind in SOCIAL_PROOF_KINDS and self.story.meta.customer is not None

    def wrong_language(self, locale: str) -> list[tuple[str, Mismatch]]:
        """The story's fields not written in `locale`'s language: (field, what they are in)."""
        found = []
        for key in ("title", "summary", "body", "quote"):
            text = self.fields.get(key)
            problem = mismatch(text, locale) if text else None
            if problem:
                found.append((key, problem))
        return found


def story_facts(ctx, story: Story) -> StoryFacts:
    """The story's facts, computed once per check run (memoised in the run's own memo)."""
    key = (story.path, story.id, story.locale)
    facts = ctx.own_memo.get(key)
    if facts is None or facts.story is not story:
        facts = ctx.own_memo[key] = StoryFacts(story)
    return facts
