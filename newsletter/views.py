"""What templates see: a variant turned into plain values, links tagged, HTML styled."""

from __future__ import annotations

from typing import Any

import css_inline
from markupsafe import Markup

from .config import Config
from .i18n import long_date, text_direction
from .merge import block_token
from .models import Story
from .selection import Variant
from .utm import tag_html, tag_url


def fragment_css(config: Config) -> str:
    """Styles inlined into story and intro HTML (email clients ignore most <style> rules)."""
    c = config.brand.colors
    return f"""
p {{ margin: 0 0 14px; }}
a {{ color: {c.primary}; text-decoration: underline; }}
h2, h3, h4 {{ color: {c.text}; margin: 18px 0 8px; line-height: 1.3; }}
h2 {{ font-size: 20px; }} h3 {{ font-size: 18px; }} h4 {{ font-size: 16px; }}
ul, ol {{ margin: 0 0 14px; padding-left: 22px; }}
li {{ margin: 0 0 6px; }}
blockquote {{ margin: 0 0 14px; padding: 4px 0 4px 14px; border-left: 4px solid {c.accent}; color: {c.muted}; font-style: italic; }}
code {{ font-family: Menlo, Consolas, monospace; font-size: 14px; }}
img {{ max-width: 100%; height: auto; border: 0; }}
hr {{ border: 0; border-top: 1px solid {c.background}; margin: 16px 0; }}
table {{ border-collapse: collapse; margin: 0 0 14px; }}
th, td {{ border: 1px solid {c.background}; padding: 4px 8px; }}
"""


class StyledHtml:
    """Inlines the brand's fragment CSS once per story, shared by every variant."""

    def __init__(self, config: Config):
        self.css = fragment_css(config)
        self._cache: dict[str, str] = {}

    def __call__(self, key: str, html: str) -> str:
        if key not in self._cache:
            self._cache[key] = css_inline.inline_fragment(html, self.css) if html.strip() else ""
        return self._cache[key]


def _story_view(story: Story, variant: Variant, config: Config, styled: StyledHtml) -> dict[str, Any]:
    meta = story.meta
    campaign, term = variant.issue.id, variant.audience.id
    html = tag_html(styled(f"story:{story.id}", story.body_html), config.utm, campaign, story.id, term)
    customer = None
    if meta.customer:
        customer = {"name": meta.customer.name, "company": meta.customer.company,
                    "tier": meta.customer.tier,
                    "since_year": meta.customer.since.year if meta.customer.since else None}
    quote = None
    if meta.quote:
        quote = {"text": meta.quote.text,
                 "author": meta.quote.author or (meta.customer.name if meta.customer else "")}
    return {
        "id": story.id, "kind": meta.kind, "title": meta.title, "summary": meta.summary,
        "html": Markup(html), "has_body": bool(story.body_markdown.strip()),
        "image": {"url": story.image_url, "alt": meta.image.alt, "width": meta.image.width}
        if meta.image and story.image_url else None,
        "customer": customer, "quote": quote,
        "metrics": [{"label": m.label, "value": m.value} for m in meta.metrics],
        "case": meta.case.model_dump() if meta.case else None,
        "cta": {"label": meta.cta.label,
                "url": tag_url(meta.cta.url, config.utm, campaign, story.id, term)}
        if meta.cta else None,
    }


def _when(condition: str | None) -> dict[str, Any]:
    """Block tokens around a conditional section (resolved per recipient or per ESP later)."""
    if not condition:
        return {"when": None, "when_open": "", "when_close": ""}
    negate = condition.startswith("not ")
    field = condition.split()[-1]
    return {"when": condition, "when_open": Markup(block_token("unless" if negate else "if", field)),
            "when_close": Markup(block_token("end"))}


def context(variant: Variant, config: Config, styled: StyledHtml) -> dict[str, Any]:
    """The full template context for one variant."""
    campaign, term = variant.issue.id, variant.audience.id
    text = variant.text
    intro = tag_html(styled(f"intro:{variant.issue.id}:{variant.audience.id}", text.intro_html),
                     config.utm, campaign, "intro", term)
    return {
        "brand": config.brand, "colors": config.brand.colors, "sender": config.sender,
        "mailing_list": config.list, "project": config.project,
        "audience": variant.audience, "lang": variant.locale, "dir": text_direction(variant.locale),
        "date_long": long_date(variant.issue.meta.date, variant.locale),
        "message": {"id": variant.issue.id, "title": text.title, "subject": text.subject,
                    "preheader": text.preheader, "intro_html": Markup(intro)},
        "links": {"website": tag_url(config.brand.website, config.utm, campaign, "header", term),
                  "unsubscribe": config.list.unsubscribe_url},
        "sections": [{"title": section.title, **_when(section.when),
                      "stories": [_story_view(s, variant, config, styled) for s in section.stories]}
                     for section in variant.sections],
    }
