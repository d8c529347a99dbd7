"""Markdown to safe HTML: parsed once per story, sanitised before any template sees it.

The plain-text part (newsletter.render.plaintext) reads the same token stream: a source is
parsed once with its links as written (`tokens`), and each renderer writes them its own way.
"""

from __future__ import annotations

import re
import threading

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText, validateLink
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..core.memo import text_memo

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
    """Plugin for both renderers (HTML here, plain text in newsletter.render.plaintext)."""
    md.inline.ruler.before("emphasis", "star_tag", _star_tag)
    return md


def _parser() -> MarkdownIt:
    """The one configuration both renderers parse with."""
    return literal_merge_tags(MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
        ["table", "strikethrough"]))


_PARSER = _parser()


def text_link(url: str) -> str:
    """A link's URL as the plain-text part shows it: as written (no punycode or
    percent-encoding: people read it), only spaces encoded."""
    return url.replace(" ", "%20")


class _Disagree(Exception):
    """A link one renderer keeps and the other drops: each parses the source itself."""


def _valid_for_both(url: str) -> bool:
    html, text = validateLink(normalizeLink(url)), validateLink(text_link(url))
    if html != text:
        raise _Disagree(url)
    return html


# Links stay as written (each renderer normalises them its own way when it writes them).
_SHARED = _parser()
_SHARED.normalizeLink = _SHARED.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
_SHARED.validateLink = _valid_for_both  # type: ignore[method-assign]
_TOKENS: dict[str, list[Token] | None] = {}
_TOKENS_KEPT = 32  # recent sources: a story's HTML and its text are made for the same message
_TOKENS_LOCK = threading.Lock()


def tokens(source: str) -> list[Token] | None:
    """The source's tokens with links as written, shared by the HTML and the plain text;
    None when a link is valid in one rendering and not in the other (then each parses alone).

    Read only: a renderer that would change a token works on a copy.
    """
    with _TOKENS_LOCK:
        if source in _TOKENS:
            return _TOKENS[source]
    try:
        found: list[Token] | None = _SHARED.parse(source)
    except _Disagree:
        found = None
    with _TOKENS_LOCK:
        _TOKENS[source] = found
        while len(_TOKENS) > _TOKENS_KEPT:
            _TOKENS.pop(next(iter(_TOKENS)))
    return found


def _for_html(stream: list[Token]) -> list[Token]:
    """The tokens as the HTML parser makes them: link URLs and autolink texts normalised
    (copies; an image is always copied, as rendering it sets its alt). The stream itself
    when nothing in it changes (most paragraphs have no link)."""
    out = []
    changed = False
    autolink = False
    for token in stream:
        changes: dict = {}
        if token.children:
            children = _for_html(token.children)
            if children is not token.children:
                changes["children"] = children
        key = {"link_open": "href", "image": "src"}.get(token.type)
        if key and key in token.attrs:
            changes["attrs"] = {**token.attrs, key: normalizeLink(str(token.attrs[key]))}
        elif token.type == "text" and autolink:
            changes["content"] = normalizeLinkText(token.content)
        autolink = token.type == "link_open" and token.info == "auto"
        if changes:
            changed = True
            out.append(token.copy(**changes))
        else:
            out.append(token)
    return out if changed else stream


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


@text_memo("markdown-html", maxsize=8192)  # a story's HTML, kept in the build cache too
def to_html(source: str) -> str:
    """Render Markdown and sanitise the result."""
    stream = tokens(source)
    if stream is None:
        return sanitise(_PARSER.render(source))
    return sanitise(_PARSER.renderer.render(_for_html(stream), _PARSER.options, {}))
