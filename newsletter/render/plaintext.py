"""Plain-text rendering of Markdown for the text/plain part of an email.

The text is rendered straight from the markdown-it token stream (never via
HTML), so links can become numbered references collected across a whole
message; lines are wrapped by display width (newsletter.render.wrapping) so
Chinese and Japanese text wraps sensibly too.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.token import Token

from ..content.markdown import literal_merge_tags, text_link, tokens
from ..core.memo import text_memo
from .htmltext import HtmlText
from .wrapping import SENTINEL_RE, SOFT, URL_RE, display_width, join_soft, wrap

__all__ = ["TextRenderer"]

BLOCK_RE = re.compile("\ue000#[a-z]+\ue001[a-z0-9_]*\ue002")
# Protected pieces (sentinels, URLs, code) are swapped for one character from
# Supplementary Private Use Area-A while Markdown is parsed and headings are
# upper-cased, then swapped back before wrapping.
STASH_BASE = 0xF0000
STASH_RE = re.compile("[\U000f0000-\U000ffffd]")
TO_STASH_RE = re.compile(f"{SENTINEL_RE.pattern}|{STASH_RE.pattern}")
SCRIPT_RE = re.compile(r"<(script|style)\b", re.I)


class _Node:
    """A block of parsed Markdown: what the renderer reads of markdown-it's SyntaxTreeNode.

    SyntaxTreeNode also makes a node of every inline token (a story's words and links), which
    the renderer reads as tokens: building those cost as much as parsing the story.
    """

    __slots__ = ("type", "token", "children")

    def __init__(self, kind: str, token: Token) -> None:
        self.type = kind
        self.token = token  # the block's own token, or its opening token
        self.children: list[_Node] = []

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def attrs(self) -> dict:
        return self.token.attrs

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def hidden(self) -> bool:
        return self.token.hidden

    def walk(self):
        """This block and every block inside it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _tree(tokens: list[Token]) -> list[_Node]:
    """The top-level blocks of a token stream (an _open ... _close pair is one block)."""
    top: list[_Node] = []
    open_ = [top]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token.type.removesuffix("_open"), token)
            open_[-1].append(node)
            open_.append(node.children)
        elif token.nesting == -1:
            open_.pop()
        else:
            open_[-1].append(_Node(token.type, token))
    return top


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """One Markdown parser for every message (building one costs more than a story's parse)."""
    md = literal_merge_tags(MarkdownIt("commonmark").enable(["strikethrough", "table"]))
    # Links stay as written in the tokens, as in newsletter.content.markdown.tokens (whose
    # tokens this renderer reads too); they are written with text_link.
    md.normalizeLink = md.normalizeLinkText = lambda url: url
    md.validateLink = lambda url: validateLink(text_link(url))
    return md


# A link's number in a kept layout: the placeholder character of its position (U+E100 +
# index; outside the merge tokens' U+E000-U+E0FF), repeated as many times as the number has
# digits. Wrapping depends only on widths, so "[12]" and "[34]" break lines alike.
PLACEHOLDER_BASE = 0xE100
PLACEHOLDER_COUNT = 0x700
_PLACEHOLDER_RE = re.compile("[\ue100-\ue7ff]+")
_LAYOUTS_LOCK = threading.RLock()  # a layout's texts grow as messages ask for other number widths


class _Layout:
    """One Markdown source rendered with placeholder link numbers, per tuple of number widths."""

    def __init__(self, source: str, width: int, hrefs: list[str] | None):
        self.source, self.width, self.hrefs = source, width, hrefs
        self.texts: dict[tuple[int, ...], str] = {}

    @classmethod
    def record(cls, source: str, width: int) -> "_Layout":
        """Render once with one-digit placeholders to learn the links (hrefs as written)."""
        layout = cls(source, width, [])
        text = layout._render_with((1,) * PLACEHOLDER_COUNT, record=True)
        if text is None:
            layout.hrefs = None
        else:
            layout.texts[(1,) * len(layout.hrefs)] = text
        return layout

    def fill(self, numbers: list[int]) -> str:
        """The text with these link numbers (one per link, in order)."""
        widths = tuple(len(str(n)) for n in numbers)
        text = self.texts.get(widths)
        if text is None:
            text = self.texts[widths] = self._render_with(widths)
        digits = [str(n) for n in numbers]
        return _PLACEHOLDER_RE.sub(lambda m: digits[ord(m.group()[0]) - PLACEHOLDER_BASE], text)

    def _render_with(self, widths: tuple[int, ...], record: bool = False) -> str | None:
        renderer = _Placeholders(self.width, widths, self.hrefs if record else None)
        text = renderer._render(self.source, _parsed(renderer, self.source))
        count = renderer.count
        if count > PLACEHOLDER_COUNT:
            return None
        expected = [chr(PLACEHOLDER_BASE + i) * widths[i] for i in range(count)]
        # Every placeholder must come out whole and in order, and nothing else may look like one.
        return text if _PLACEHOLDER_RE.findall(text) == expected else None


# Sources kept, oldest dropped first (a story is a few kilobytes); kept in the build cache too.
@text_memo("text-layout", maxsize=8192)
def _layout(source: str, width: int) -> _Layout:
    """A source's layout at this width (see _Layout)."""
    with _LAYOUTS_LOCK:
        return _Layout.record(source, width)


_PARSED: dict[str, tuple[list[str], list[_Node]]] = {}
_PARSED_KEPT = 64  # parsed sources kept, oldest dropped first: a tree is ~30 times its source (56 KB)


def _parsed(renderer: "TextRenderer", source: str) -> tuple[list[str], list[_Node]]:
    """A source's stash and parsed blocks, kept for the layouts with other link number widths
    (a story is laid out again when it comes after ten links in one message and not in
    another); only the recent ones are kept, as messages sharing stories render together."""
    with _LAYOUTS_LOCK:
        found = _PARSED.pop(source, None)
        if found is None:
            found = renderer._parse(source)
        _PARSED[source] = found  # moved to the newest end
        while len(_PARSED) > _PARSED_KEPT:
            _PARSED.pop(next(iter(_PARSED)))
        return found


class TextRenderer:
    """Collects numbered link references across one message."""

    def __init__(self, width: int = 72, rewrite=None) -> None:
        self.width = width
        # Applied to every numbered link (e.g. UTM tagging), so text and HTML carry the same URLs.
        self.rewrite = rewrite
        self._refs: dict[str, int] = {}
        self._stash: list[str] = []
        self._md = _parser()

    def markdown(self, source: str) -> str:
        """Render Markdown to wrapped plain text; links become 'text [n]'.

        A source is parsed and wrapped once per layout of its link numbers (see _Layout) and
        kept, so a story in many messages is not parsed again for each; only the numbers,
        which depend on the links before it in the message, are filled in per message.
        """
        if _PLACEHOLDER_RE.search(source):  # the writer's own characters would pass as numbers
            return self._render(source)
        entry = _layout(source, self.width)
        with _LAYOUTS_LOCK:  # the preview renders from more than one thread
            if entry.hrefs is None:  # the source itself makes placeholder characters
                return self._render(source)
            numbers = [self.link(self.rewrite(href) if self.rewrite else href) for href in entry.hrefs]
            return entry.fill(numbers)

    def _render(self, source: str, parsed: tuple[list[str], list[_Node]] | None = None) -> str:
        """Render Markdown to wrapped plain text, numbering links as they come.

        `parsed` is what `_parse` made of this source before (rendering only reads it).
        """
        stash, nodes = parsed or self._parse(source)
        self._stash = list(stash)  # rendering stashes more (code, addresses) after these
        blocks = self._blocks(nodes, self.width)
        text = "\n\n".join(blocks)  # each block is already restored
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")

    def _parse(self, source: str) -> tuple[list[str], list[_Node]]:
        """(stash, top-level blocks) of a Markdown source."""
        self._stash = []
        # Stash sentinels (and any stray stash characters, so they map to
        # themselves) before parsing, so Markdown cannot touch their insides.
        stashed = TO_STASH_RE.sub(lambda m: self._protect(m.group()), source)
        # Unless something was stashed, the tokens the HTML was (or will be) rendered from.
        stream = tokens(source) if stashed == source else None
        return self._stash, _tree(self._md.parse(stashed) if stream is None else stream)

    def paragraph(self, text: str, indent: str = "") -> str:
        """Wrap a plain string (no Markdown) to the width."""
        return "\n".join(wrap(text, self.width, indent, indent))

    def link(self, url: str) -> int:
        """Register a URL and return its reference number."""
        return self._refs.setdefault(url, len(self._refs) + 1)

    def context(self, rewrite) -> None:
        """Set the link rewrite for what is rendered next (e.g. UTM tags for one story)."""
        self.rewrite = rewrite

    def references(self) -> str:
        """The numbered URL list, or '' when no link was numbered."""
        return "\n".join(f"[{n}] {url}" for url, n in self._refs.items())

    # -- protected pieces -------------------------------------------------
    def _protect(self, text: str) -> str:
        self._stash.append(text)
        return chr(STASH_BASE + len(self._stash) - 1)

    def _restore(self, text: str) -> str:  # one pass: stashed text has no stash chars
        return STASH_RE.sub(lambda m: self._stash[ord(m.group()) - STASH_BASE], text)

    # -- blocks -----------------------------------------------------------
    def _blocks(self, nodes: list[_Node], width: int) -> list[str]:
        out = (self._block(node, max(width, 1)) for node in nodes)
        return [b for b in out if b]  # dropped HTML leaves no empty gap

    def _block(self, node: _Node, width: int) -> str | None:
        kind = node.type
        if kind == "paragraph":
            return self._wrap_inline(self._inline(node.children[0].token.children), width)
        if kind == "heading":
            text = self._inline(node.children[0].token.children).replace("\n", SOFT)
            level = int(node.tag[1])
            if level > 2:  # upper-case words, not bare URLs (paths are case-sensitive)
                parts = re.split(f"({URL_RE.pattern})", text)
                text = "".join(p if URL_RE.fullmatch(p) else p.upper() for p in parts)
            body = self._wrap_inline(text, width)
            if level > 2 or not body:
                return body
            rule = max((display_width(line) for line in body.split("\n")), default=0)
            return body + "\n" + ("=" if level == 1 else "-") * rule
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node, width)
        if kind == "blockquote":
            inner = "\n\n".join(self._blocks(node.children, width - 2))
            return "\n".join("> " + line for line in inner.split("\n"))
        if kind in ("fence", "code_block"):  # indented, never wrapped
            lines = self._restore(node.content).rstrip("\n").split("\n")
            return "\n".join("    " + line for line in lines)
        if kind == "hr":
            return "-" * 20
        if kind == "table":
            rows = [" | ".join(self._cell(c) for c in tr.children)
                    for tr in node.walk() if tr.type == "tr"]
            return "\n".join(line for row in rows for line in wrap(row, width) or [""])
        if kind == "html_block":  # a body written as HTML says the same in the text part
            return self._html_block(node.content, width)
        return None  # anything unknown: dropped

    def _html_block(self, html: str, width: int) -> str | None:
        reader = HtmlText()
        reader.feed(self._restore(html))
        reader.close()
        paragraphs = []
        for parts in reader.paragraphs:
            text = ""
            for kind, value, href in parts:
                text += self._link(value, href) if kind == "link" else value
            if text.strip():
                paragraphs.append(self._wrap_inline(" ".join(text.split()), width))
        return "\n\n".join(p for p in paragraphs if p) or None

    def _list(self, node: _Node, width: int) -> str:
        # Tight lists (no blank lines in the source) stay tight in the text.
        tight = all(c.hidden for item in node.children for c in item.children
                    if c.type == "paragraph")
        sep = "\n" if tight else "\n\n"
        start = int(node.attrs.get("start", 1))
        items = []
        for i, item in enumerate(node.children):
            marker = f"{start + i}. " if node.type == "ordered_list" else "- "
            body, prev = "", None
            for child in item.children:  # in a tight list only text hugs what follows
                block = self._block(child, max(width - len(marker), 1))
                if block:
                    gap = "\n" if tight and prev == "paragraph" else "\n\n"
                    body, prev = (body + gap if body else "") + block, child.type
            lines = body.split("\n")
            pad = " " * len(marker)  # continuation lines align under the text
            items.append("\n".join([marker + lines[0]] + [pad + ln for ln in lines[1:]]))
        return sep.join(items)

    def _cell(self, cell: _Node) -> str:
        tokens = cell.children[0].token.children if cell.children else []
        return self._restore(join_soft(self._inline(tokens))).strip()

    def _wrap_inline(self, text: str, width: int) -> str:
        """Wrap rendered inline text; hard breaks ('\\n') start a new line."""
        text = self._restore(join_soft(text))
        # A conditional block tag inside a paragraph ends the line: each branch is wrapped on
        # its own, so whichever branch a recipient gets reads without odd breaks.
        text = BLOCK_RE.sub(lambda m: f"\n{m.group(0)}\n", text)
        return "\n".join(ln for seg in text.split("\n") if seg.strip() for ln in wrap(seg, width))

    # -- inline -----------------------------------------------------------
    def _inline(self, tokens: list) -> str:
        out: list[str] = []
        links: list[tuple[str, int]] = []
        skipping = False
        for tok in tokens or []:
            kind = tok.type
            if kind == "html_inline":
                # Tags are dropped; the body of an inline <script>/<style> too.
                if SCRIPT_RE.match(tok.content):
                    skipping = True
                elif skipping and re.match(r"</(script|style)\s*>", tok.content, re.I):
                    skipping = False
            elif skipping:
                continue
            elif kind in ("text", "text_special"):
                out.append(tok.content)
            elif kind == "code_inline":
                out.append(self._protect(self._restore(tok.content)))
            elif kind == "softbreak":
                out.append(SOFT)
            elif kind == "hardbreak":
                out.append("\n")
            elif kind in ("s_open", "s_close"):
                out.append("~~")  # dropping it would turn "~~€12~~ €9" into "€12 €9"
            elif kind == "image":
                alt = join_soft(self._inline(tok.children)).strip()
                out.append(f"[image: {alt}]" if alt else "[image]")
            elif kind == "link_open":
                links.append((text_link(tok.attrGet("href") or ""), len(out)))
            elif kind == "link_close" and links:
                href, at = links.pop()
                label = "".join(out[at:]).strip()
                del out[at:]
                out.append(self._link(label, href))
        return "".join(out)

    def _link(self, label: str, href: str) -> str:
        """'text [n]', a bare URL when the text is the URL, 'text <address>'."""
        href, text = self._restore(href), self._restore(label)
        if not href:
            return label
        if href.lower().startswith("mailto:"):
            address = href[7:].split("?")[0]
            shown = self._protect(address)  # never upper-cased in headings
            return shown if text in (address, href, "") else f"{label} <{shown}>"
        if text in (href, ""):
            return self._protect(href)
        return f"{label} [{self.link(self.rewrite(href) if self.rewrite else href)}]"


class _Placeholders(TextRenderer):
    """A renderer whose link numbers are placeholders of given widths (see _Layout)."""

    def __init__(self, width: int, widths: tuple[int, ...], hrefs: list[str] | None) -> None:
        super().__init__(width)
        self.widths, self.hrefs, self.count = widths, hrefs, 0

    def link(self, url: str) -> str:  # type: ignore[override]
        if self.hrefs is not None:
            self.hrefs.append(url)
        index, self.count = self.count, self.count + 1
        if index >= len(self.widths) or index >= PLACEHOLDER_COUNT:
            return "?"
        return chr(PLACEHOLDER_BASE + index) * self.widths[index]
