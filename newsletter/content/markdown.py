"""Markdown to safe HTML: parsed once per story, sanitised before any template sees it."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# A Mailchimp-style merge tag written in a story (`*|FNAME|*`): text, never emphasis.
_STAR_TAG = re.compile(r"\*\|[^\n*|]*\|\*")


def _star_tag(state: StateInline, silent: bool) -> bool:
    """Inline rule: `*|...|*` becomes one text token, so `*` never opens emphasis there."""
    match = _STAR_TAG.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        state.push("text", "", 0).content = match.group(0)
    state.pos = match.end()
    return True


def literal_merge_tags(md: MarkdownIt) -> MarkdownIt:
    """Plugin for both renderers (HTML here, plain text in newsletter.plaintext)."""
    md.inline.ruler.before("emphasis", "star_tag", _star_tag)
    return md


_PARSER = literal_merge_tags(MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]))

# What a story body may contain in an email: text structure, links and images only.
_TAGS = {"p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "a", "ul", "ol", "li",
         "blockquote", "code", "pre", "hr", "img", "table", "thead", "tbody", "tr", "th",
         "td", "del", "s", "sup", "sub"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
               "th": {"align"}, "td": {"align"}, "ol": {"start"}}
# http is kept so the pre-send check can flag it; javascript:, data: and the rest are dropped.
_SCHEMES = {"https", "http", "mailto"}


_EMPTY_LINK = re.compile(r"<a>(.*?)</a>", re.S)
_NO_SRC_IMAGE = re.compile(r"<img(?![^>]*\bsrc=)[^>]*>")


def _absolute_images(element: str, attribute: str, value: str) -> str | None:
    # An email has no base URL: a relative image can only ever show as broken.
    if element == "img" and attribute == "src" and not value.startswith(("https://", "http://")):
        return None
    return value


def sanitise(html: str) -> str:
    """Strip scripts, event handlers and unsafe URLs from HTML; drop what they leave behind."""
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                      link_rel=None, strip_comments=True, attribute_filter=_absolute_images)
    # A link whose URL was unsafe keeps its words as plain text; an image without a source goes.
    return _NO_SRC_IMAGE.sub("", _EMPTY_LINK.sub(r"\1", clean))


def to_html(source: str) -> str:
    """Render Markdown and sanitise the result."""
    return sanitise(_PARSER.render(source))
