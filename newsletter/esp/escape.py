"""Keep literal text literal in a provider's template language.

Every piece of a message that is not a merge tag (story text, customer quotes, the HTML
around them) goes through one of these before it reaches a provider, so a quote that
contains `*|UNSUB|*`, `{{first_name}}` or `{% if %}` is shown as written and never run.

Three contexts, three techniques:

* HTML text and attributes: numeric character references (`&#123;` for `{`). Browsers
  show exactly the original character and no provider looks inside an entity.
* `<style>`/`<script>` content, where entities are not decoded: a space between the two
  characters of an opening sequence (CSS does not care; none of it comes from users).
* Plain text (text part, subject): the provider's own escape where it has one
  (Handlebars `\\{{`), otherwise U+2060 WORD JOINER between the two characters, which
  is invisible, never a line-break opportunity, and breaks the provider's pattern.

Pieces are escaped one at a time, so a piece must also not fuse with the tag next to it
(a literal `{` just before `{{#if}}` would make `{{{#if}}`); the edge guards handle that.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

_RAW = re.compile(r"(<(style|script)\b[^>]*>.*?</\2\s*>)", re.I | re.S)
# A URL in plain text: an invisible joiner inside it would break the link.
_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"]+", re.I)
#: Mailgun substitutes these in the subject and both parts, template or not:
#: %recipient%, %recipient.KEY% (batch sends), %recipient_*% (mailing lists) and the
#: unsubscribe variables. Breaking the `%` before any of them keeps the text literal.
MAILGUN = ("%recipient", "%unsubscribe_url%", "%mailing_list_unsubscribe_url%",
           "%tag_unsubscribe_url%")


class Unescapable(ValueError):
    """Literal text a provider would read as its own syntax, where no escape is possible."""

    def __init__(self, sequence: str, url: str, provider: str = ""):
        self.sequence, self.url, self.provider = sequence, url, provider
        super().__init__(f"the link {url} contains {sequence!r}, which {provider or 'the provider'} "
                         "would replace in the text part, and plain text has no escape that "
                         "keeps a link working")


def entity(char: str) -> str:
    return f"&#{ord(char)};"


def _pairs_pattern(pairs: tuple[str, ...]) -> re.Pattern[str]:
    """Matches the first character of each opening pair, e.g. the first `{` of `{{`."""
    return re.compile("|".join(f"{re.escape(p[0])}(?={re.escape(p[1:])})" for p in pairs))


def break_pairs(text: str, pairs: tuple[str, ...], joiner: str = WORD_JOINER) -> str:
    """Insert `joiner` inside every occurrence of each pair (overlaps too: `{{{`)."""
    if not pairs:
        return text
    return _pairs_pattern(pairs).sub(lambda m: m.group(0) + joiner, text)


def guard_edges(original: str, escaped: str, lead: str, trail: str) -> str:
    """Add a word joiner where the piece would otherwise touch a neighbouring tag."""
    if original[:1] and original[0] in lead:
        escaped = WORD_JOINER + escaped
    if original[-1:] and original[-1] in trail:
        escaped += WORD_JOINER
    return escaped


def refuse_in_urls(text: str, pairs: tuple[str, ...], provider: str = "") -> None:
    """Raise Unescapable if any of `pairs` sits inside a URL, where a joiner would break it."""
    if not pairs:
        return
    pattern = _pairs_pattern(pairs)
    for url in _URL.finditer(text):
        found = pattern.search(url.group(0))
        if found:
            end = next((found.start() + len(p) for p in pairs
                        if url.group(0).startswith(p, found.start())), found.end())
            raise Unescapable(url.group(0)[found.start():end], url.group(0), provider)


def plain_literal(text: str, pairs: tuple[str, ...], lead: str, trail: str,
                  provider: str = "") -> str:
    """Text-part or subject piece for a provider without an escape syntax."""
    refuse_in_urls(text, pairs, provider)
    return guard_edges(text, break_pairs(text, pairs), lead, trail)


def _encode(part: str, chars: str, pattern: re.Pattern[str] | None, lead: str,
            trail: str) -> str:
    starts = {m.start() for m in pattern.finditer(part)} if pattern else set()
    last = len(part) - 1
    return "".join(
        entity(c) if (c in chars or i in starts or (i == 0 and c in lead)
                      or (i == last and c in trail)) else c
        for i, c in enumerate(part))


def html_literal(text: str, chars: str, pairs: tuple[str, ...], edges: str = "") -> str:
    """A piece of an HTML document: entities outside raw-text elements, spaces inside.

    `chars` are always written as entities (a dialect lists every character its syntax
    is made of); the first character of each of `pairs` becomes an entity wherever the
    pair occurs; `edges` characters become entities at the very start or end of the piece.
    """
    pattern = _pairs_pattern(pairs) if pairs else None
    parts = _RAW.split(text)
    out = []
    for index, part in enumerate(parts):
        # split() with two groups yields: text, whole raw element, tag name, text, ...
        kind = index % 3
        if kind == 1:
            out.append(break_pairs(part, pairs, " "))
        elif kind == 0:
            out.append(_encode(part, chars, pattern, edges if index == 0 else "",
                               edges if index == len(parts) - 1 else ""))
    return "".join(out)


# Handlebars: `\{{` makes a mustache literal. Engines differ around it, so the output keeps
# to what they all agree on (handlebars.js, handlebars.java, Go's raymond):
# - handlebars.js reads `\\{{` as "one backslash, then a live mustache" while raymond keeps
#   both backslashes: literal backslashes are never written right before `\{{`;
# - raymond does not see an escape at the very start of a template: a piece starting with
#   `{{` gets a word joiner in front.
_HB_RUN = re.compile(r"(\\*)(\{\{+)")


def _handlebars_run(match: re.Match[str]) -> str:
    slashes, braces = match.group(1), match.group(2)
    return ((slashes + WORD_JOINER if slashes else "")
            + "\\{{" * (len(braces) // 2) + "{" * (len(braces) % 2))


def handlebars_text(text: str) -> str:
    """Plain-text piece for Handlebars: every `{{` escaped as `\\{{`, edges guarded."""
    escaped = _HB_RUN.sub(_handlebars_run, text)
    if text.startswith("{{"):
        escaped = WORD_JOINER + escaped
    return guard_edges(text, escaped, lead="}", trail="{\\")
