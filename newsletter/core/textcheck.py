"""Find characters no source file should hold: invisible controls and Unicode non-characters.

Word and some web forms paste a vertical tab or a form feed for a line break; MRML, YAML and
the email package each refuse such characters (or the XML they become) with a traceback, and
U+2028/U+2029 or U+0085 would make editors and the YAML parser disagree on line numbers. So
every reader checks a file's text first and names each such character at its line:col.
Tab, line feed and carriage return are the only controls allowed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

from .diagnostics import Diagnostics, Location

# C0 and DEL have no name in the Unicode character database, only these aliases.
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
    "ACKNOWLEDGE", "ALERT", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
    "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
    "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE",
)
_OTHER_NAMES = {0x7F: "DELETE", 0x85: "NEXT LINE"}
# Characters that someone meant as a line break: the fix is Enter, not only Delete.
_LINE_BREAKS = {0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029}

# The non-characters: U+FDD0-U+FDEF and the last two code points of each of the 17 planes.
# The pattern holds those above the first plane as one range, which `_bad` narrows: a class
# that lists the 32 of them is tested one by one on every character (7 times slower to scan
# the text of a project that has none, which every build reads).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff"
                        "\U0001fffe-\U0010ffff]")


def _bad(match: re.Match) -> bool:
    """Is the character `_FORBIDDEN` found forbidden (above the first plane: a non-character)?"""
    code = ord(match.group())
    return code < 0x10000 or code & 0xFFFE == 0xFFFE


def _forbidden(text: str):
    """The forbidden characters of `text`, as matches, in order."""
    return filter(_bad, _FORBIDDEN.finditer(text))

#: More than this many in one file are summed up in one last finding.
MAX_REPORTED = 5


@dataclass(frozen=True)
class BadCharacter:
    """A forbidden character at its 1-based line and column."""

    char: str
    line: int
    column: int

    @property
    def label(self) -> str:
        """"U+000B LINE TABULATION", the way Unicode names it."""
        code = ord(self.char)
        name = _C0_NAMES[code] if code < 0x20 else _OTHER_NAMES.get(code) or unicodedata.name(self.char, "")
        if not name:
            name = "a control character" if code <= 0x9F else "a non-character"
            return f"U+{code:04X} ({name})"
        return f"U+{code:04X} {name}"

    def message(self) -> str:
        """The one-line finding: what the character is, and what to do."""
        fix = "delete it (press Enter if you meant a new line)" if ord(self.char) in _LINE_BREAKS \
            else "delete it"
        return f"invisible character {self.label} is not allowed here (often pasted from Word or " \
               f"a web page): {fix}"


def find_bad_characters(text: str, limit: int = MAX_REPORTED + 1) -> list[BadCharacter]:
    """The first `limit` forbidden characters of `text`, with the line and column of each."""
    if _FORBIDDEN.search(text) is None:  # nearly always: every YAML value of a project is asked
        return []
    found = []
    for match in islice(_forbidden(text), limit):
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        found.append(BadCharacter(match.group(), text.count("\n", 0, start) + 1, start - line_start + 1))
    return found


def count_bad_characters(text: str) -> int:
    """How many forbidden characters `text` holds."""
    return sum(1 for _ in _forbidden(text))


def byte_location(name: str, exc: UnicodeDecodeError) -> Location:
    """Line and column of the first byte that is not UTF-8."""
    before = exc.object[:exc.start]
    return Location(name, before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1)


def characters_ok(name: str, text: str, diagnostics: Diagnostics) -> bool:
    """Report each invisible control character or non-character in a file's text (the first few)."""
    found = find_bad_characters(text)
    for bad in found[:MAX_REPORTED]:
        diagnostics.error(bad.message(), Location(name, bad.line, bad.column), "bad-character")
    if len(found) > MAX_REPORTED:
        more = count_bad_characters(text) - MAX_REPORTED
        first = found[MAX_REPORTED]
        diagnostics.error(f"{more} more invisible character(s) in this file, the next one here: "
                          "delete them too", Location(name, first.line, first.column), "bad-character")
    return not found
