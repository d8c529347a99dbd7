"""The provider-neutral personalisation syntax: `{{ first_name | there }}`.

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
_TAG = re.compile(r"(\\?)\{\{(.*?)\}\}", re.S)
_BODY = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(?:\|\s*(.*?)\s*)?$", re.S)
_TOKEN = re.compile(f"{OPEN}([a-z][a-z0-9_]*){SEP}([0-9a-f]*){CLOSE}")

#: Recipient fields a tag may name, with what each holds (ESP dialects map these).
FIELDS: dict[str, str] = {
    "first_name": "the recipient's first name",
    "last_name": "the recipient's last name",
    "company": "the recipient's company",
}


@dataclass(frozen=True)
class MergeTag:
    """One personalisation tag: the recipient field and the text used when it is unknown."""

    field: str
    fallback: str

    def token(self) -> str:
        return f"{OPEN}{self.field}{SEP}{self.fallback.encode('utf-8').hex()}{CLOSE}"


class MergeSyntaxError(ValueError):
    """A malformed or unknown tag; `offset` is its index in the parsed text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def strip_sentinels(text: str) -> str:
    """Remove the private-use characters reserved for tokens from user input."""
    return _SENTINELS.sub("", text)


def parse(text: str) -> str:
    """Replace every `{{ field | fallback }}` in `text` with its token; `\\{{` stays literal."""

    def replace(match: re.Match) -> str:
        if match.group(1):
            return match.group(0)[1:]
        body = _BODY.match(match.group(2))
        if not body:
            raise MergeSyntaxError(
                f"malformed personalisation tag {match.group(0)!r}: write {{{{ field | fallback }}}}",
                match.start())
        field, fallback = body.group(1), body.group(2) or ""
        if field not in FIELDS:
            known = ", ".join(FIELDS)
            raise MergeSyntaxError(f"unknown personalisation field '{field}' (known: {known})",
                                   match.start())
        if "{{" in fallback or "}}" in fallback:
            raise MergeSyntaxError("a fallback cannot contain '{{' or '}}'", match.start())
        return MergeTag(field, fallback).token()

    return _TAG.sub(replace, text)


def tags(text: str) -> list[MergeTag]:
    """The tags in a parsed text, in order."""
    return [MergeTag(m.group(1), bytes.fromhex(m.group(2)).decode("utf-8"))
            for m in _TOKEN.finditer(text)]


def resolve(text: str, recipient: Mapping[str, str] | None = None,
            escape: Callable[[str], str] = html.escape) -> str:
    """Fill every token with the recipient's value, or its fallback, escaped for the output."""
    recipient = recipient or {}

    def replace(match: re.Match) -> str:
        value = recipient.get(match.group(1)) or bytes.fromhex(match.group(2)).decode("utf-8")
        return escape(value)

    return _TOKEN.sub(replace, text)


def translate(text: str, render: Callable[[MergeTag], str],
              literal: Callable[[str], str]) -> str:
    """Rewrite a parsed text for a provider: tags via `render`, other text via `literal`."""
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(literal(text[position:match.start()]))
        out.append(render(MergeTag(match.group(1), bytes.fromhex(match.group(2)).decode("utf-8"))))
        position = match.end()
    out.append(literal(text[position:]))
    return "".join(out)


def plain(text: str) -> str:
    """Text for a plain-text context: tokens become their fallbacks, unescaped."""
    return resolve(text, None, escape=lambda value: value)
