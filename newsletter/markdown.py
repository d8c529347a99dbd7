"""Markdown to safe HTML: parsed once per story, sanitised before any template sees it."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"])

# What a story body may contain in an email: text structure, links and images only.
_TAGS = {"p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "a", "ul", "ol", "li",
         "blockquote", "code", "pre", "hr", "img", "table", "thead", "tbody", "tr", "th",
         "td", "del", "s", "sup", "sub"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
               "th": {"align"}, "td": {"align"}, "ol": {"start"}}
# http is kept so the pre-send check can flag it; javascript:, data: and the rest are dropped.
_SCHEMES = {"https", "http", "mailto"}


def sanitise(html: str) -> str:
    """Strip scripts, event handlers and unsafe URLs from HTML."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel=None, strip_comments=True)


def to_html(source: str) -> str:
    """Render Markdown and sanitise the result."""
    return sanitise(_PARSER.render(source))
