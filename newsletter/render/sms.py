"""SMS text: which encoding a text needs and how many segments it is billed as.

An SMS carries 140 bytes. Text that fits the GSM 03.38 default alphabet is packed in
7-bit septets (160 per message); anything else goes as UCS-2/UTF-16 (70 code units).
A longer text is split into concatenated parts, each losing room to the 6-byte UDH
header: 153 septets or 67 UTF-16 units per part. Two more rules decide real counts:
an extension-table character (€ { } [ ] ~ \\ | ^ and form feed) is an escape plus a
septet, and neither that pair nor a UTF-16 surrogate pair (an emoji) is split across
two parts, so a part may end one unit short.
"""

from __future__ import annotations

import unicodedata

GSM7, UCS2 = "GSM-7", "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
PART = {GSM7: 153, UCS2: 67}

# GSM 03.38 default alphabet (basic character set), in table order.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
# The extension table: each costs an escape septet plus its own.
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

# Typographic punctuation with a plain GSM equivalent. One curly apostrophe would
# otherwise switch a whole English text to UCS-2 and more than double its cost.
_PLAIN = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
          "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "«": '"', "»": '"',
          "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
          "\u202f": " ", "\u2009": " ", "\u00b7": "-", "\u2022": "-", "\u2192": "->"}


def septets(char: str) -> int:
    """Septets a character takes in GSM-7 (0 if it is not in the alphabet)."""
    if char in GSM_BASIC:
        return 1
    return 2 if char in GSM_EXTENSION else 0


def encoding(text: str) -> str:
    """GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2."""
    return GSM7 if all(septets(c) for c in text) else UCS2


def _units(text: str, coding: str) -> list[int]:
    """The indivisible units of `text`: septets per character, or UTF-16 units per character."""
    if coding == GSM7:
        return [septets(c) for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def length(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes."""
    return sum(_units(text, encoding(text)))


def segments(text: str) -> int:
    """How many SMS parts the text is sent (and billed) as; 0 for an empty text."""
    if not text:
        return 0
    coding = encoding(text)
    units = _units(text, coding)
    if sum(units) <= SINGLE[coding]:
        return 1
    parts, used = 1, 0
    for size in units:
        # An escape pair or surrogate pair never straddles two parts.
        if used + size > PART[coding]:
            parts, used = parts + 1, 0
        used += size
    return parts


def non_gsm(text: str) -> list[str]:
    """The distinct characters that force UCS-2, in order of appearance."""
    seen: list[str] = []
    for char in text:
        if not septets(char) and char not in seen:
            seen.append(char)
    return seen


def gsm_friendly(text: str) -> str:
    """Plain punctuation for typographic quotes, dashes and spaces, when that alone makes
    the text GSM-7; otherwise the text unchanged (it needs UCS-2 anyway, which carries them)."""
    plain = "".join(_PLAIN.get(c, c) for c in text)
    return plain if encoding(plain) == GSM7 else text


def uncarried(text: str) -> list[str]:
    """Characters no SMS can carry: control characters outside the GSM alphabet (which has
    newline, carriage return and form feed), private-use and unassigned code points, lone
    surrogates. Phones show them as boxes or drop them."""
    bad: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if (category in ("Co", "Cn", "Cs") or (category == "Cc" and not septets(char))) \
                and char not in bad:
            bad.append(char)
    return bad


def describe(text: str) -> str:
    """'2 segments (GSM-7, 190 septets)': what the text costs, for findings and the manifest."""
    coding = encoding(text)
    unit = "septets" if coding == GSM7 else "UTF-16 units"
    count = segments(text)
    return f"{count} segment{'s' if count != 1 else ''} ({coding}, {length(text)} {unit})"
