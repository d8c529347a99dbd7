"""Case-insensitive patterns matched on the lower-cased text find what re.I finds."""

import re
import sys

import pytest
from hypothesis import given, settings, strategies as st

from newsletter.checks import presend_render
from newsletter.checks.text import promotion
from newsletter.checks.text.folding import CasePattern, lowered

#: Every CasePattern the checks use.
PATTERNS = [p for table in promotion._COMPILED.values() for p in table.values()] + [
    promotion._PRICE, presend_render._STYLE_ATTR, presend_render._MJ_STYLE]


def _every() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_lower_case_keeps_every_character_in_the_escapes_classes():
    """\\w, \\d and \\s (and so \\b) say the same of a character and of its lower case, for
    every character `lowered` lets through."""
    every = _every()
    for escape in (r"\w", r"\d", r"\s"):
        members = set(re.findall(escape, every))
        moved = [c for c in every if len(c.lower()) == 1 and (c in members) != (c.lower() in members)]
        assert [c for c in moved if lowered(c) is not None] == [], escape


def test_every_character_re_folds_otherwise_than_lower_takes_the_exact_way():
    """For every letter of every pattern, the characters re.I matches to it are exactly those
    str.lower() turns into it, in any text `lowered` accepts."""
    letters = set()
    for p in PATTERNS:
        source = re.sub(r"\\.", "", p.source)
        letters |= {c for c in source if c.isalpha()}
        for low, high in re.findall(r"(\w)-(\w)", source):  # a range in a class: every letter in it
            letters |= {chr(c) for c in range(ord(low), ord(high) + 1) if chr(c).isalpha()}
    every = _every()
    by_lower: dict[str, set[str]] = {}
    for c in every:
        by_lower.setdefault(c.lower(), set()).add(c)
    apart = set()
    for letter in letters:
        apart |= set(re.findall(re.escape(letter), every, re.I)) ^ by_lower.get(letter, set())
    assert "\u017f" in apart and "\u0131" in apart  # the long s and the dotless i: re's own folds
    assert {c for c in apart if lowered(f"a {c} b") is not None} == set()


def test_lowered_refuses_a_text_whose_lower_case_moves_characters():
    assert lowered("İstanbul") is None  # "i" and a combining dot: one more character
    assert lowered("ſale") is None and lowered("SALE Ends") == "sale ends"


def test_a_pattern_must_be_written_in_lower_case():
    with pytest.raises(ValueError):
        CasePattern(r"\bSale\b")
    assert CasePattern(r"\bsale\S*").search("Big SALES today", lowered("Big SALES today")) == "SALES"


def _words() -> list[str]:
    found = set()
    for p in PATTERNS:
        found |= set(re.findall(r"[^\W\d_]{2,}", re.sub(r"\\.", " ", p.source)))
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_words()),
                          st.sampled_from(["20%", "R$ 10", "$5", "€ 3", "1 990 ₽", " ", "\n", ". ", "ſ", "İ",
                                           "\u212a", "Σ", 'style="color:red"', '<mj-style>', '</mj-style>',
                                           "data-", "x", '"', "=", "<p "])),
                max_size=30),
       st.lists(st.booleans(), max_size=30))
def test_a_lowered_text_matches_what_re_i_matches(pieces, upper):
    text = "".join(p.upper() if up else p for p, up in zip(pieces, upper + [False] * len(pieces)))
    low = lowered(text)
    for pattern in PATTERNS:
        assert pattern.search(text, low) == pattern.search(text, None)
        if pattern.fast.groups:
            assert pattern.findall(text, low) == pattern.findall(text, None)
    assert promotion._price(text, low) == promotion._PRICE.search(text, None)


def test_style_attributes_are_read_in_any_case_and_only_where_a_word_starts():
    source = '<p STYLE="Color:red" data-style="float:left" xstyle="a:b"><mj-Style>.a{b:c}</MJ-style>'
    low = lowered(source)
    assert presend_render._STYLE_ATTR.findall(source, low) == ["Color:red", "float:left"]
    assert presend_render._MJ_STYLE.findall(source, low) == [".a{b:c}"]
