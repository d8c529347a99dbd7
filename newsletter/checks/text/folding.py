"""Case-insensitive patterns matched fast: on the lower-cased text, case-sensitively.

`re` compares every character through its case tables under re.I, which is most of the time
a search takes when a pattern is mostly words; a lower-cased text matched case-sensitively by
the same pattern written in lower case finds the same spans two to ten times faster (a
pattern led by a literal is then found by `re`'s own fast scan). The exact way stays for a
text `lowered` refuses: one whose lower case would move a character, or fold one otherwise
than `re` does.
"""

from __future__ import annotations

import re

#: Characters whose lower case `re` compares otherwise than str.lower() gives it (the long s,
#: the dotless i, Greek, old Cyrillic letter forms, the Kelvin sign...): a text holding one is
#: matched the slow, exact way (tests/test_text_folding.py finds every such character).
_FOLDS_APART = re.compile("[\u00b5\u0130\u0131\u017f\u0345\u0370-\u03ff\u1c80-\u1c88\u1e60\u1e61\u1e9b"
                          "\u1e9e\u1f00-\u1fff\u2126\u212a\u212b\ua64a\ua64b\ufb05\ufb06]")


def lowered(text: str) -> str | None:
    """The text in lower case, character for character, for CasePattern; None when
    lower-casing would move a character or fold one otherwise than `re` does."""
    low = text.lower()
    return low if len(low) == len(text) and not _FOLDS_APART.search(text) else None


class CasePattern:
    """A case-insensitive pattern, written in lower case (escapes aside)."""

    def __init__(self, source: str, flags: int = 0):
        letters = re.sub(r"\\.", "", source)
        if letters != letters.lower():
            raise ValueError(f"write the pattern in lower case: {source[:40]}")
        self.source = source
        self.exact = re.compile(source, flags | re.I)
        self.fast = re.compile(source, flags)

    def search(self, text: str, low: str | None) -> str | None:
        """The first match in `text` as written there, or None (`low` is lowered(text))."""
        if low is None:
            match = self.exact.search(text)
            return match.group(0) if match else None
        match = self.fast.search(low)
        return text[match.start():match.end()] if match else None

    def findall(self, text: str, low: str | None) -> list[str]:
        """Group 1 of every match in `text`, as written there (`low` is lowered(text))."""
        if low is None:
            return self.exact.findall(text)
        return [text[m.start(1):m.end(1)] for m in self.fast.finditer(low)]
