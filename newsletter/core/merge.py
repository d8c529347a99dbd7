"""The provider-neutral personalisation syntax.

    {{ first_name | there }}                 a recipient field, then its fallback
    {% if unused_benefits %} ... {% else %} ... {% endif %}
    {% if not onboarding_behind %} ... {% endif %}

Marketers write merge tags in issue text (subject, preheader, intro). The reader turns
each tag into a token made of private-use characters that survives Markdown, sanitising
and MJML untouched; the last step resolves tokens to a recipient's value, the fallback,
or (later) a provider's own syntax. Story text never goes through `parse`, and every
private-use sentinel is stripped from all input, so a customer quote can never inject
a tag for any provider.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
_SENTINELS = re.compile("[\ue000-\ue0ff]")
_BODY = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(?:\|\s*(.*?)\s*)?$", re.S)
_TOKEN = re.compile(f"{OPEN}([a-z][a-z0-9_]*){SEP}([0-9a-f]*){CLOSE}")
_BLOCK = re.compile(f"{OPEN}#(if|unless|else|end){SEP}([a-z0-9_]*){CLOSE}")
# A block tag alone in its paragraph (Markdown wraps it in <p>) or on its own text line.
_BLOCK_HTML = re.compile(f"<p>\\s*({_BLOCK.pattern})\\s*</p>\\n?")
_BLOCK_LINE = re.compile(f"^[ \\t>]*({_BLOCK.pattern})[ \\t]*\\n", re.M)
_BLOCK_START = f"{OPEN}#"  # how every block token begins

#: Recipient fields a tag may name, with what each holds (ESP dialects map these).
FIELDS: dict[str, str] = {
    "first_name": "the recipient's first name",
    "last_name": "the recipient's last name",
    "company": "the recipient's company",
}

#: Not a field anyone writes (`parse` refuses it): the footer's unsubscribe link. Its token
#: carries the preview URL as fallback; a send fills in the recipient's own URL and each
#: provider dialect writes its own per-recipient unsubscribe instead.
UNSUBSCRIBE = "unsubscribe_url"

#: Not a field anyone writes either: the recipient's id in a survey answer link. Built files
#: show the fallback (a placeholder, see newsletter.render.survey); each provider dialect
#: writes its own per-recipient id merge tag instead.
RECIPIENT_ID = "recipient_id"

#: Yes/no recipient facts that `{% if %}` blocks may test (derived from customer data).
CONDITIONS: dict[str, str] = {
    "unused_benefits": "has a benefit they paid for and have not used (e.g. an unredeemed voucher)",
    "onboarding_behind": "has done less than ~80% of what customers usually have by this day",
    "first_name": "the first name is known",
    "company": "the company is known",
}


@dataclass(frozen=True)
class MergeTag:
    """One personalisation tag: the recipient field and the text used when it is unknown."""

    field: str
    fallback: str

    def token(self) -> str:
        return f"{OPEN}{self.field}{SEP}{self.fallback.encode('utf-8').hex()}{CLOSE}"


def unsubscribe_token(preview_url: str) -> str:
    """The token of the unsubscribe link, resolved to `preview_url` unless a send fills it."""
    return MergeTag(UNSUBSCRIBE, preview_url).token()


def recipient_token(placeholder: str) -> str:
    """The token of the recipient id in a survey link, resolved to `placeholder` in built files."""
    return MergeTag(RECIPIENT_ID, placeholder).token()


class MergeSyntaxError(ValueError):
    """A malformed or unknown tag; `offset` is its index in the parsed text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def strip_sentinels(text: str) -> str:
    """Remove the private-use characters reserved for tokens from user input."""
    return _SENTINELS.sub("", text)


def block_token(kind: str, field: str = "") -> str:
    return f"{OPEN}#{kind}{SEP}{field}{CLOSE}"


def _block(match: re.Match, stack: list[tuple[str, int]]) -> str:
    """The token for one `{% ... %}` tag, checking that blocks nest."""
    words = match.group(4).split()
    if len(words) in (2, 3) and words[0] == "if":
        negate = len(words) == 3
        if negate and words[1] != "not":
            raise MergeSyntaxError(f"write {{% if not {words[2]} %}}", match.start())
        field = words[-1]
        if field not in CONDITIONS:
            raise MergeSyntaxError(
                f"unknown condition '{field}' (known: {', '.join(CONDITIONS)})", match.start())
        stack.append(("if", match.start()))
        return block_token("unless" if negate else "if", field)
    if words == ["else"]:
        if not stack or stack[-1][0] != "if":
            raise MergeSyntaxError("{% else %} without an open {% if %}", match.start())
        stack[-1] = ("else", stack[-1][1])
        return block_token("else")
    if words == ["endif"]:
        if not stack:
            raise MergeSyntaxError("{% endif %} without an open {% if %}", match.start())
        stack.pop()
        return block_token("end")
    raise MergeSyntaxError(f"unknown block tag {match.group(0)!r}: use if, else, endif",
                           match.start())


def _variable(match: re.Match) -> str:
    """The token for one `{{ field | fallback }}` tag."""
    body = _BODY.match(match.group(2))
    if not body:
        raise MergeSyntaxError(
            f"malformed personalisation tag {match.group(0)!r}: write {{{{ field | fallback }}}}",
            match.start())
    field, fallback = body.group(1), body.group(2) or ""
    if field not in FIELDS:
        raise MergeSyntaxError(f"unknown personalisation field '{field}' (known: {', '.join(FIELDS)})",
                               match.start())
    if "{{" in fallback or "}}" in fallback:
        raise MergeSyntaxError("a fallback cannot contain '{{' or '}}'", match.start())
    return MergeTag(field, fallback).token()


# Both kinds of tag in one pass, so an error's offset is its place in the text as written.
# A tag never spans a brace, so a half-closed tag cannot swallow the text up to the next one.
_ANY_TAG = re.compile(r"(\\?)\{\{([^{}]*?)\}\}|(\\?)\{%([^{}%]*?)%\}", re.S)
# What is left of a tag that was not closed (or not opened) properly once whole tags are out.
_BROKEN = re.compile(r"(?<!\\)\{\{|(?<!\\)\{%|\}\}|%\}|\{\s*[a-z_]+\s*\|[^{}\n]*\}(?!\})")


def _broken(text: str) -> None:
    """Raise for a half-closed or half-opened tag (`{{ first_name | friend },`), where it starts."""
    position = 0
    for match in _ANY_TAG.finditer(text):
        _broken_piece(text, position, match.start())
        position = match.end()
    _broken_piece(text, position, len(text))


def _broken_piece(text: str, start: int, end: int) -> None:
    found = _BROKEN.search(text, start, end)
    if not found:
        return
    opening = text.rfind("{", start, found.start() + 1) if found.group(0) in ("}}", "%}") else found.start()
    offset = opening if opening >= start else found.start()
    piece = text[offset:offset + 40].split("\n")[0]
    if piece.startswith("{%"):
        raise MergeSyntaxError(f"half-closed block tag {piece!r}: close it with '%}}'", offset)
    raise MergeSyntaxError(f"half-closed personalisation tag {piece!r}: write {{{{ field | fallback }}}} "
                           "with two braces on each side", offset)


_ALONE = re.compile(f"^[ \\t]*({OPEN}#(?:if|unless|else|end){SEP}[a-z0-9_]*{CLOSE})[ \\t]*$", re.M)


def parse(text: str) -> str:
    """Replace every tag in `text` with its token; `\\{{` and `\\{%` stay literal."""
    _broken(text)
    stack: list[tuple[str, int]] = []

    def replace(match: re.Match) -> str:
        if match.group(1) or match.group(3):
            return match.group(0)[1:]
        return _variable(match) if match.group(2) is not None else _block(match, stack)

    result = _ANY_TAG.sub(replace, text)
    if stack:
        raise MergeSyntaxError("{% if %} is never closed: add {% endif %}", stack[-1][1])
    # A block tag on a line of its own is a paragraph of its own, so Markdown never joins it
    # (and the branch's first words) onto the paragraph before it.
    return _ALONE.sub(lambda m: f"\n{m.group(1)}\n", result)


def tags(text: str) -> list[MergeTag]:
    """The tags in a parsed text, in order."""
    return [MergeTag(m.group(1), bytes.fromhex(m.group(2)).decode("utf-8"))
            for m in _TOKEN.finditer(text)]


def unwrap_blocks(text: str) -> str:
    """Lift block tokens out of the paragraph or line Markdown put them in."""
    if _BLOCK_START not in text:  # most messages have no block: skip scanning every line
        return text
    text = _BLOCK_HTML.sub(lambda m: m.group(1), text)
    return _BLOCK_LINE.sub(lambda m: m.group(1), text)


def _evaluate(text: str, recipient: Mapping[str, object]) -> str:
    """Keep the branches of `{% if %}` blocks that hold for this recipient."""
    out: list[str] = []
    showing: list[bool] = []  # one entry per open block: is the current branch kept?
    position = 0
    for match in _BLOCK.finditer(text):
        if all(showing):
            out.append(text[position:match.start()])
        kind, field = match.group(1), match.group(2)
        if kind in ("if", "unless"):
            truth = bool(recipient.get(field))
            showing.append(truth if kind == "if" else not truth)
        elif kind == "else" and showing:
            showing[-1] = not showing[-1]
        elif kind == "end" and showing:
            showing.pop()
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def blocks(text: str) -> list["Block"]:
    """The conditional block tags in a parsed text, in order."""
    return [Block(m.group(1), m.group(2)) for m in _BLOCK.finditer(text)]


def show_all(text: str, escape: Callable[[str], str] = html.escape) -> str:
    """Every branch of every block shown, fallbacks filled: what checks should look at."""
    text = _BLOCK.sub("", unwrap_blocks(text))
    return resolve(text, None, escape)


def has_blocks(text: str) -> bool:
    return bool(_BLOCK.search(text))


def resolve(text: str, recipient: Mapping[str, object] | None = None,
            escape: Callable[[str], str] = html.escape) -> str:
    """Fill every token for one recipient (fallbacks when unknown), escaped for the output."""
    recipient = recipient or {}
    text = _evaluate(unwrap_blocks(text), recipient)

    def replace(match: re.Match) -> str:
        value = recipient.get(match.group(1))
        if not value:
            value = _fallback_at(text, match)
        return escape(str(value))

    return _TOKEN.sub(replace, text)


# What may stand before the first word of a sentence: nothing, a line break, the end of a
# sentence, or the opening tag of a block (a paragraph, heading or list item in HTML).
_SENTENCE_START = re.compile(r"(?:^|[\n.!?]\s*|<(?:p|h[1-6]|li|td|div|br)\b[^>]*>\s*)$")


def _fallback_at(text: str, match: re.Match) -> str:
    """A tag's fallback, capitalised where it starts a sentence ("there, welcome" -> "There, welcome")."""
    fallback = bytes.fromhex(match.group(2)).decode("utf-8")
    if fallback[:1].islower() and _SENTENCE_START.search(text[max(0, match.start() - 80):match.start()]):
        return fallback[0].upper() + fallback[1:]
    return fallback


@dataclass(frozen=True)
class Block:
    """A block tag: kind is 'if', 'unless', 'else' or 'end'; field is empty for the last two."""

    kind: str
    field: str = ""


_ANY = re.compile(f"{_TOKEN.pattern}|{_BLOCK.pattern}")


def translate(text: str, render: Callable[[MergeTag], str], literal: Callable[[str], str],
              block: Callable[[Block], str] | None = None) -> str:
    """Rewrite a parsed text for a provider: tags via `render` and `block`, the rest via `literal`.

    `literal` must escape anything the provider would read as its own syntax, so story
    text stays text.
    """
    text = unwrap_blocks(text)
    out: list[str] = []
    position = 0
    for match in _ANY.finditer(text):
        out.append(literal(text[position:match.start()]))
        if match.group(1):
            out.append(render(MergeTag(match.group(1), _fallback_at(text, match))))
        else:
            if block is None:
                raise ValueError("this output cannot carry conditional blocks")
            out.append(block(Block(match.group(3), match.group(4))))
        position = match.end()
    out.append(literal(text[position:]))
    return "".join(out)


def skeleton(text: str) -> str:
    """Only the tokens of a parsed text, in order: what a translation makes besides literal text.

    Each tag keeps whether it starts a sentence (a line break before it) or not (a plain letter
    before it), so its fallback is capitalised exactly as in the full text.
    """
    text = unwrap_blocks(text)
    parts = []
    for match in _ANY.finditer(text):
        if match.group(1):
            starts = _SENTENCE_START.search(text[max(0, match.start() - 80):match.start()])
            parts.append("\n" if starts else "x ")
        parts.append(match.group(0))
    return "".join(parts)


def strip_tags(text: str) -> str:
    """The words written around the tags: every tag and block removed, not filled."""
    return _ANY.sub("", unwrap_blocks(text))


def plain(text: str, recipient: Mapping[str, object] | None = None) -> str:
    """Text for a plain-text context: tokens filled (or fallbacks), unescaped."""
    return _collapse(resolve(text, recipient, escape=lambda value: value), text.endswith("\n"))


def _collapse(text: str, final_newline: bool) -> str:
    # Removed blocks leave their blank lines behind.
    collapsed = re.sub(r"\n{3,}", "\n\n", text).rstrip("\n")
    return collapsed + "\n" if final_newline else collapsed
