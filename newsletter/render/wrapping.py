"""Line wrapping by display width, for the plain-text part and anything counted in columns.

A CJK character takes two columns and Chinese and Japanese have no spaces between words, so
lines break between CJK characters as well as at spaces, following kinsoku rules (no closing
punctuation at the start of a line, no opening one at its end); words, URLs and merge-tag
sentinels are never broken. Soft line breaks of a source are joined the same way: with a
space, except between two CJK characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["wrap", "display_width", "join_soft", "SENTINEL_RE", "URL_RE", "SOFT"]

# A merge-tag sentinel (U+E000 ... U+E002) is substituted later by the
# personalisation step, so it is one unbreakable token of a fixed width.
SENTINEL_RE = re.compile("\ue000[^\ue002]*\ue002")
SENTINEL_WIDTH = 8
# Characters that must not start a line (kinsoku) or end one.
NO_START = set("，。、！？：；）」』】〕〉》〗〙〛｝］・ー～…‥％,.;:!?)]}")
NO_END = set("（「『【〔〈《〖〘〚｛［([{")
# Latin punctuation after which a line may break before a CJK character.
LATIN_CLOSE = set(".,;:!?)]}")
# URLs are kept whole; they end at whitespace or at wide punctuation like "。".
URL_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)\S+")
# Break only at ordinary spaces: NBSP and friends are there to prevent breaks.
SPACE_RE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
SOFT = "\x1e"  # soft-break marker, resolved once both neighbours are known


@lru_cache(maxsize=None)  # one entry per distinct character a project uses
def _char_width(ch: str) -> int:
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0  # combining marks, ZWJ, variation selectors
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@lru_cache(maxsize=None)
def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


# Latin, Greek and Cyrillic letters and punctuation: one column each, no break inside a word.
# Most text is only these, and the per-character analysis below is the slow part of a build.
# The plain-text part's link-number placeholders (U+E100-U+E7FF, newsletter.render.plaintext)
# stand for digits: one column each too.
_SIMPLE = re.compile("[\u0020-\u007e\u00a0-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e"
                     "\ue100-\ue7ff]*")


def _simple(text: str) -> bool:
    return _SIMPLE.fullmatch(text) is not None


@lru_cache(maxsize=1 << 16)  # chunks are words and characters: the same few thousand recur
def display_width(text: str) -> int:
    """Columns the text takes in a monospaced font (sentinels count 8)."""
    if _simple(text):
        return len(text)
    plain, sentinels = SENTINEL_RE.subn("", text)
    return sum(_char_width(c) for c in plain) + SENTINEL_WIDTH * sentinels


def _atoms(word: str) -> list[tuple[str, str]]:
    """Split a space-free word into (kind, text) atoms: sentinel, url, char."""
    out, i = [], 0
    while i < len(word):
        prev = word[i - 1] if i else " "
        if m := SENTINEL_RE.match(word, i):
            kind, end = "sentinel", m.end()
        elif (_is_wide(prev) or not prev.isalnum()) and (m := URL_RE.match(word, i)):
            # A URL starts a word and stops at wide punctuation such as "。".
            kind, end = "url", next((j for j in range(i, m.end()) if _is_wide(word[j])
                                     and unicodedata.category(word[j])[0] == "P"), m.end())
        else:
            kind, end = "char", i + 1
        out.append((kind, word[i:end]))
        i = end
    return out


def _can_break(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """May a line break between adjacent atoms a and b (no space between)?"""
    last, first = a[1][-1], b[1][0]
    if first in NO_START or last in NO_END or _char_width(first) == 0 or last == "\u200d":
        return False
    a_cjk = a[0] == "char" and _is_wide(last)
    b_cjk = b[0] == "char" and _is_wide(first)
    if a_cjk and b_cjk:
        return True
    if a_cjk:  # CJK followed by a word, number, URL or sentinel
        return b[0] != "char" or first.isalnum()
    if b_cjk:
        return a[0] != "char" or last.isalnum() or last in LATIN_CLOSE
    return False  # never inside Latin/Cyrillic words, numbers or URLs


def _pieces_by_atoms(word: str) -> list[str]:
    """A space-free word cut where a line may break, atom by atom (any word)."""
    atoms = _atoms(word)
    pieces = [atoms[0][1]]
    for prev, atom in zip(atoms, atoms[1:]):
        if _can_break(prev, atom):
            pieces.append("")
        pieces[-1] += atom[1]
    return pieces


# The same cuts for a word of characters only (no sentinel, no URL): each character is
# written as one "trait" character (U+0100 + its bits), and a regular expression finds the
# places between two traits where _can_break allows a break, in C rather than per atom.
_WIDE, _ALNUM, _NO_START, _NO_END, _ZERO, _ZWJ, _LATIN_CLOSE = 1, 2, 4, 8, 16, 32, 64
_TRAIT_BASE = 0x100


class _Traits(dict):
    """Code point -> its trait character, worked out the first time it is asked for."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        bits = ((_WIDE if _is_wide(ch) else 0) | (_ALNUM if ch.isalnum() else 0)
                | (_NO_START if ch in NO_START else 0) | (_NO_END if ch in NO_END else 0)
                | (_ZERO if _char_width(ch) == 0 else 0) | (_ZWJ if ch == "\u200d" else 0)
                | (_LATIN_CLOSE if ch in LATIN_CLOSE else 0))
        self[code] = trait = chr(_TRAIT_BASE + bits)
        return trait


_TRAITS = _Traits()


def _trait_class(test) -> str:
    return "[" + "".join(chr(_TRAIT_BASE + bits) for bits in range(128) if test(bits)) + "]"


def _breaks_between() -> re.Pattern:
    """Where _can_break allows a break between two characters, as (before, after) classes."""
    before = lambda bits: not bits & (_NO_END | _ZWJ)  # noqa: E731
    after = lambda bits: not bits & (_NO_START | _ZERO)  # noqa: E731
    cases = [  # both wide; wide then a letter or digit; a letter, digit or closing mark then wide
        (lambda a: before(a) and a & _WIDE, lambda b: after(b) and b & _WIDE),
        (lambda a: before(a) and a & _WIDE, lambda b: after(b) and not b & _WIDE and b & _ALNUM),
        (lambda a: before(a) and not a & _WIDE and a & (_ALNUM | _LATIN_CLOSE), lambda b: after(b) and b & _WIDE),
    ]
    return re.compile("|".join(f"(?<={_trait_class(a)})(?={_trait_class(b)})" for a, b in cases))


_BREAKS = _breaks_between()


def _pieces(word: str) -> list[str]:
    """A space-free word cut where a line may break (see _can_break)."""
    if "\ue000" in word or URL_RE.search(word):
        return _pieces_by_atoms(word)  # a sentinel or a URL is one atom: never cut inside
    cuts = [m.start() for m in _BREAKS.finditer(word.translate(_TRAITS))]
    return [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)])]


#: Words that, at the start of a line, make it read as a list item or a quote.
LIST_MARKS = {"-", "–", "—", "*", "+", ">", "•"}


def _chunks(text: str) -> list[tuple[str, bool]]:
    """Unbreakable chunks of text as (chunk, preceded_by_space) pairs."""
    chunks: list[tuple[str, bool]] = []
    # Sentinels may contain spaces: mask them while splitting, restore after.
    sentinels = "\ue000" in text
    masked = SENTINEL_RE.sub("\ue000\ue002", text) if sentinels else text
    simple = _simple(masked)  # the usual case: no word of it can break inside
    for word in SPACE_RE.split(masked.strip()):
        if not word:
            continue
        if simple or _simple(word):  # no CJK inside: a word never breaks, one chunk
            if chunks and (word[0] in NO_START or word in LIST_MARKS):  # stays behind (see below)
                chunks[-1] = (chunks[-1][0] + " " + word, chunks[-1][1])
            else:
                chunks.append((word, bool(chunks)))
            continue
        pieces = _pieces(word)
        spaced = bool(chunks)
        if spaced and (pieces[0][0] in NO_START or (len(pieces) == 1 and pieces[0] in LIST_MARKS)):
            # A lone "-" or "*" starting a line would read as a list item: it stays behind too.
            # "word ，" : keep stray closing punctuation on the previous line.
            chunks[-1] = (chunks[-1][0] + " " + pieces.pop(0), chunks[-1][1])
            spaced = False
        chunks += [(p, spaced and j == 0) for j, p in enumerate(pieces)]
    if not sentinels:
        return chunks
    hidden = iter(SENTINEL_RE.findall(text))
    return [(SENTINEL_RE.sub(lambda _: next(hidden), c), sp) for c, sp in chunks]


def wrap(text: str, width: int = 72, initial_indent: str = "",
         subsequent_indent: str = "") -> list[str]:
    """Wrap text to lines of at most width display columns (indent included).

    Breaks at spaces and between CJK characters, never inside a word, URL or
    sentinel; a token wider than the line is kept whole on its own line.
    """
    lines: list[str] = []
    line, used, filled = initial_indent, display_width(initial_indent), False
    width_of = len if _simple(text) else display_width  # one column per character
    for chunk, spaced in _chunks(text):
        gap = " " if filled and spaced else ""
        w = width_of(chunk)
        if filled and used + len(gap) + w > width:
            lines.append(line)
            line, used, gap = subsequent_indent, display_width(subsequent_indent), ""
        line, used, filled = line + gap + chunk, used + len(gap) + w, True
    if filled:
        lines.append(line)
    return [ln.rstrip() for ln in lines]


def join_soft(text: str) -> str:
    """Soft line breaks become spaces, except between two CJK characters."""
    parts = text.split(SOFT)
    out = parts[0]
    for part in parts[1:]:
        cjk = out[-1:] and part[:1] and _is_wide(out[-1]) and _is_wide(part[0])
        out += ("" if cjk else " ") + part
    return out
