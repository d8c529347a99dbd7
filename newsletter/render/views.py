"""What templates see: a variant turned into plain values, links tagged, HTML styled."""

from __future__ import annotations

from typing import Any

import css_inline
from markupsafe import Markup

from ..compose.paths import web_page_url
from ..compose.selection import Variant
from ..content.config import Config, Utm
from ..content.models import Story
from ..core.contrast import dark_palette
from ..core.i18n import comma, long_date, quotes, text_direction
from ..core.merge import block_token, unsubscribe_token
from .survey import survey_view
from .unsubscribe import preview_url
from .utm import tag_html, tag_url


def fragment_css(config: Config, direction: str = "ltr") -> str:
    """Styles inlined into story and intro HTML (email clients ignore most <style> rules).

    Right-to-left text gets the mirror image: list indents and the quote bar on the right.
    """
    c = config.brand.colors
    start = "right" if direction == "rtl" else "left"
    quote_padding = "4px 14px 4px 0" if direction == "rtl" else "4px 0 4px 14px"
    return f"""
p {{ margin: 0 0 14px; }}
a {{ color: {c.primary}; text-decoration: underline; padding: 4px 0; }}
h2, h3, h4 {{ color: {c.text}; margin: 18px 0 8px; line-height: 1.3; }}
h2 {{ font-size: 20px; }} h3 {{ font-size: 18px; }} h4 {{ font-size: 16px; }}
ul, ol {{ margin: 0 0 14px; padding-{start}: 22px; }}
li {{ margin: 0 0 6px; }}
blockquote {{ margin: 0 0 14px; padding: {quote_padding}; border-{start}: 4px solid {c.accent}; color: {c.muted}; font-style: italic; }}
code {{ font-family: Menlo, Consolas, monospace; font-size: 14px; }}
img {{ max-width: 100%; height: auto; border: 0; }}
hr {{ border: 0; border-top: 1px solid {c.background}; margin: 16px 0; }}
table {{ border-collapse: collapse; margin: 0 0 14px; }}
th, td {{ border: 1px solid {c.background}; padding: 4px 8px; }}
"""


class StyledHtml:
    """Inlines the brand's fragment CSS once per story and text direction, shared by every variant."""

    def __init__(self, config: Config):
        self.css = {direction: fragment_css(config, direction) for direction in ("ltr", "rtl")}
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, key: str, html: str, direction: str = "ltr") -> str:
        if (key, direction) not in self._cache:
            self._cache[key, direction] = (css_inline.inline_fragment(html, self.css[direction])
                                           if html.strip() else "")
        return self._cache[key, direction]


def customer_name(customer, locale: str) -> str:
    """The customer's display name for a locale (`customer.names`), else the shared one.

    Exact tag first (pt-BR), then the language (pt): the facts stay shared, only the name
    is written the way readers of that language write it.
    """
    names = customer.names
    language = locale.split("-")[0]
    return names.get(locale) or names.get(language) or customer.name


def _story_view(story: Story, variant: Variant, config: Config, styled: StyledHtml,
                utm: Utm, web_page: str | None = None, layout: str = "full",
                personal: bool = True) -> dict[str, Any]:
    meta = story.meta
    campaign, term = variant.issue.id, variant.audience.id
    # A version shares its base's id, so its path keys the style cache.
    html = tag_html(styled(f"story:{story.path}", story.body_html, text_direction(variant.locale)),
                    utm, campaign, story.id, term)
    customer = None
    if meta.customer:
        customer = {"name": customer_name(meta.customer, variant.locale), "company": meta.customer.company,
                    "tier": meta.customer.tier,
                    "since_year": meta.customer.since.year if meta.customer.since else None}
    quote = None
    if meta.quote:
        quote = {"text": meta.quote.text,
                 "author": meta.quote.author or (customer["name"] if customer else "")}
    return {
        "id": story.id, "kind": meta.kind, "title": meta.title, "summary": meta.summary,
        "html": Markup(html), "has_body": bool(story.body_markdown.strip()),
        "image": {"url": story.image_url, "alt": meta.image.alt, "width": meta.image.width}
        if meta.image and story.image_url else None,
        "customer": customer, "quote": quote, "disclosure": meta.disclosure,
        "metrics": [{"label": m.label, "value": m.value} for m in meta.metrics],
        "case": meta.case.model_dump() if meta.case else None,
        "cta": {"label": meta.cta.label, "url": tag_url(meta.cta.url, utm, campaign, story.id, term),
                "plain_url": meta.cta.url}
        if meta.cta else None,
        # A teaser shows the summary and links to the whole story on the issue's web page.
        "teaser": layout == "teaser" and bool(web_page and meta.summary),
        "read_more": f"{tag_url(web_page, utm, campaign, story.id, term)}#{story.id}" if web_page else None,
        "survey": survey_view(story, config, utm, campaign, term, variant.locale, personal),
    }


def section_layout(variant: Variant, section) -> str:
    """'teaser' or 'full': the section's own `layout`, else the issue's."""
    return getattr(section, "layout", None) or getattr(variant.issue.meta, "layout", None) or "full"


def lead_story(sections: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first story every reader gets: the email's hero, shown above its section.

    Stories in a conditional section are not every reader's, so they are never the lead.
    The story stays in its section for the channels without a hero (web, print, SMS).
    """
    for section in sections:
        if not section["when"] and section["stories"]:
            return section["stories"][0]
    return None


def _when(condition: str | None) -> dict[str, Any]:
    """Block tokens around a conditional section (resolved per recipient or per ESP later)."""
    if not condition:
        return {"when": None, "when_open": "", "when_close": ""}
    negate = condition.startswith("not ")
    field = condition.split()[-1]
    return {"when": condition, "when_open": Markup(block_token("unless" if negate else "if", field)),
            "when_close": Markup(block_token("end"))}


def context(variant: Variant, config: Config, styled: StyledHtml,
            medium: str | None = None) -> dict[str, Any]:
    """The full template context for one variant; `medium` overrides utm_medium (web, sms, print)."""
    campaign, term = variant.issue.id, variant.audience.id
    utm = config.utm if medium is None else config.utm.model_copy(update={"medium": medium})
    text = variant.text
    direction = text_direction(variant.locale)
    intro = tag_html(styled(f"intro:{variant.issue.id}:{variant.audience.id}", text.intro_html, direction),
                     utm, campaign, "intro", term)
    web_page = web_page_url(config, variant.issue, variant.audience.id)
    sections = [{"title": section.title, **_when(section.when),
                 # The public web page carries no recipient in its survey links.
                 "stories": [_story_view(s, variant, config, styled, utm, web_page, section_layout(variant, section),
                                         personal=medium != "web")
                             for s in section.stories]}
                for section in variant.sections]
    quote_open, quote_close = quotes(variant.locale)
    return {
        "brand": config.brand, "colors": config.brand.colors, "sender": config.sender,
        "mailing_list": config.list, "project": config.project,
        "audience": variant.audience, "lang": variant.locale, "dir": direction,
        # Where left-aligned text starts and ends in this direction (MJML `align`, CSS sides).
        "start": "right" if direction == "rtl" else "left",
        "end": "left" if direction == "rtl" else "right",
        # A monthly issue is sent on its date; a pack step on a day of each customer's own.
        "date_long": (long_date(variant.issue.meta.date, variant.locale)
                      if variant.issue.kind == "issue" else None),
        "message": {"id": variant.issue.id, "title": text.title, "subject": text.subject,
                    "preheader": text.preheader, "intro_html": Markup(intro)},
        "links": {"website": tag_url(config.brand.website, utm, campaign, "header", term),
                  # A token: the preview URL in built files, the recipient's own in a send, and
                  # each provider's own per-recipient link in an export.
                  "unsubscribe": Markup(unsubscribe_token(preview_url(config))),
                  "web_version": tag_url(web_page, utm, campaign, "web-version", term) if web_page else None},
        "hero": lead_story(sections),
        "sections": sections,
        # Dark mode: the brand colours lightened for dark backgrounds (contrast-checked).
        "dark": dark_palette(config.brand.colors.model_dump()),
        "quote_open": quote_open, "quote_close": quote_close, "comma": comma(variant.locale),
    }
