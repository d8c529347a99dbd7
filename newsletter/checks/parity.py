"""Pre-send checklist: the HTML and the text part state the same customer facts.

Readers of either part must get every result a story reports (its metrics and a case's
result) and its quote; a template that drops one from one part fails here.
"""

from __future__ import annotations

import re
from html import unescape

from .registry import Finding, check


def _flat(text: str) -> str:
    return " ".join(unescape(text).split())


def facts(story) -> list[tuple[str, tuple]]:
    """What a story states as fact, each with the front-matter key that holds it."""
    meta = story.meta
    found = []
    for index, metric in enumerate(meta.metrics):
        found.append((metric.value, ("metrics", index, "value")))
        found.append((metric.label, ("metrics", index, "label")))
    if meta.case:
        found.append((meta.case.result, ("case", "result")))
    if meta.quote:
        found.append((meta.quote.text, ("quote", "text")))
    return found


@check("result-parity", "checklist", "error",
       "Every customer result (metrics, a case's result) and quote is in both the HTML and the "
       "text part.")
def result_parity(ctx):
    if ctx.variant.channel != "email":  # only an email has two parts to compare
        return
    # Quotes are indented with "> " in the text part; the marks are layout, not words.
    html, text = _flat(ctx.visible_text), _flat(re.sub(r"(?m)^> ?", "", ctx.text))
    shown = [s for section in ctx.variant.sections for s in section.stories]
    missing = 0
    count = 0
    for story in shown:
        for fact, key in facts(story):
            count += 1
            fact = _flat(fact)
            parts = [name for name, body in (("HTML", html), ("text", text)) if fact not in body]
            if parts:
                missing += 1
                yield Finding(f"{story.id}: '{fact[:60]}' is missing from the {' and '.join(parts)} part",
                              ctx.story_at(story, *key), "show it in both parts (see templates/partials/)")
    if not missing:
        yield Finding(f"{count} customer facts in both parts", None, passed=True)
