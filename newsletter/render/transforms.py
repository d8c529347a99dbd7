"""Post-processing of compiled HTML: an ordered list of small single-purpose transforms.

Each transform takes the HTML and the message context and returns new HTML, so a project
(or a later feature) can add one without touching the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Transform = Callable[[str, "TransformContext"], str]


@dataclass(frozen=True)
class TransformContext:
    lang: str
    dir: str
    preheader: str


def pad_preheader(html: str, ctx: TransformContext) -> str:
    """Fill the inbox preview after the preheader so clients don't append body text to it."""
    if not ctx.preheader:
        return html
    filler = "&#847;&zwnj;&nbsp;" * 60
    # MJML renders the preheader as the first hidden div of the body.
    return re.sub(r'(<div style="display:none;[^"]*">)(.*?)(</div>)',
                  lambda m: m.group(1) + m.group(2) + filler + m.group(3), html, count=1, flags=re.S)


def quiet_preheader(html: str, ctx: TransformContext) -> str:
    """Hide the preheader without the marks of hidden spam text.

    MJML paints it white at 1 px: SpamAssassin scores the colour as HTML_FONT_LOW_CONTRAST
    and a 1 px font before text as invisible (__FONT_INVIS). Zero height, zero opacity and
    `mso-hide` hide it in every client without either.
    """
    return re.sub(r'<div style="display:none;[^"]*">',
                  '<div style="display:none;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;">',
                  html, count=1)


def add_meta(html: str, ctx: TransformContext) -> str:
    """Declare that the email carries its own dark styles, so clients use them instead of inverting."""
    meta = '<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">'
    return html.replace("<head>", "<head>" + meta, 1)


# MRML (mjml-python 1.4) writes every attribute value through Rust's escape_debug: a
# backslash doubled, tab as `\t`, and zero-width joiners, soft hyphens, combining marks and
# our merge tokens (private-use characters) as `\u{...}`. Alt text, titles and the body's
# aria-label (from <mj-title>) would show or read out that text; tokens would never resolve.
_ATTRIBUTE = re.compile(r'(\s[\w:.-]+=")([^"]*\\[^"]*)(")')
_ATTRIBUTE_START = re.compile(r'\s[\w:.-]+="')
_RUST_ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|(.))", re.S)
_RUST_CHARS = {"t": "\t", "r": "\r", "n": "\n", "0": "\0", "\\": "\\", "'": "'", '"': "&quot;"}


def _unescape_rust(value: str) -> str:
    def char(match: re.Match) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        return _RUST_CHARS.get(match.group(2), match.group(0))
    return _RUST_ESCAPE.sub(char, value)


def unescape_attributes(html: str, ctx: TransformContext) -> str:
    """Undo MRML's escape_debug in attribute values, so they hold the text as written.

    The same as `_ATTRIBUTE.sub` over the whole page, but tried only where a backslash is
    (a few per message): scanning for an attribute at every space cost ~1 ms per email.
    A match holds a backslash in its value, so for the first backslash after `pos`, the
    leftmost match at or after `pos` is either the one whose value holds that backslash
    (it opens at the last quote before it; its name starts after the quote before that)
    or starts after it.
    """
    out: list[str] = []
    done = pos = 0
    while (slash := html.find("\\", pos)) >= 0:
        opening = html.rfind('"', pos, slash)
        found = None
        if opening >= 0:
            name = _ATTRIBUTE_START.search(html, max(pos, html.rfind('"', pos, opening) + 1), opening + 1)
            if name is not None and name.end() == opening + 1:
                found = _ATTRIBUTE.match(html, name.start())
        if found is None:
            pos = slash + 1
            continue
        out += (html[done:found.start()], found.group(1), _unescape_rust(found.group(2)), found.group(3))
        done = pos = found.end()
    out.append(html[done:])
    return "".join(out)


def normalise_newlines(html: str, ctx: TransformContext) -> str:
    """One newline style and no trailing spaces: stable output and shorter QP lines."""
    lines = [line.rstrip() for line in html.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip() + "\n"


#: The pipeline, in order.
TRANSFORMS: list[Transform] = [unescape_attributes, add_meta, quiet_preheader, pad_preheader, normalise_newlines]


def apply(html: str, ctx: TransformContext, transforms: list[Transform] | None = None) -> str:
    for transform in transforms if transforms is not None else TRANSFORMS:
        html = transform(html, ctx)
    return html
