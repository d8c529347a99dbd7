"""Invisible control characters and non-characters, found at their line and column."""

from __future__ import annotations

import pytest

from newsletter.core.diagnostics import Diagnostics
from newsletter.content.reader_common import characters_ok
from newsletter.core.textcheck import MAX_REPORTED, count_bad_characters, find_bad_characters


def test_line_and_column_of_each_character():
    found = find_bad_characters("first line\nsec\x0bond\n\x0c and \uffff\n")
    assert [(b.line, b.column, b.label) for b in found] == [
        (2, 4, "U+000B LINE TABULATION"), (3, 1, "U+000C FORM FEED"), (3, 7, "U+FFFF (a non-character)")]


@pytest.mark.parametrize("char, label", [
    ("\x00", "U+0000 NULL"), ("\x1b", "U+001B ESCAPE"), ("\x7f", "U+007F DELETE"),
    ("\x85", "U+0085 NEXT LINE"), ("\x9b", "U+009B (a control character)"),
    ("\u2029", "U+2029 PARAGRAPH SEPARATOR"), ("\ufdd0", "U+FDD0 (a non-character)"),
    ("\U0010fffe", "U+10FFFE (a non-character)"),
])
def test_every_kind_is_named_by_its_code_point(char, label):
    assert [b.label for b in find_bad_characters(f"a{char}b")] == [label]


def test_the_fix_says_enter_for_characters_meant_as_line_breaks():
    vertical_tab, escape = find_bad_characters("\x0b\x1b")
    assert vertical_tab.message().endswith("delete it (press Enter if you meant a new line)")
    assert escape.message().endswith("delete it")


def test_what_people_really_write_passes():
    text = ("Tab\there, Windows lines\r\n, Português: ação, Русский: ёжик, 中文：读书会，"
            "العربية\u200f مع علامة الاتجاه, emoji 👩\u200d💻, no-break\u00a0space, \ufeffBOM, soft\u00adhyphen\n")
    assert find_bad_characters(text) == []


def test_a_file_full_of_them_is_summed_up_after_the_first_few():
    diagnostics = Diagnostics()
    assert not characters_ok("story.md", "x\x0b" * 40, diagnostics)
    assert len(diagnostics.errors) == MAX_REPORTED + 1
    assert str(diagnostics.errors[0]).startswith("story.md:1:2: error: invisible character U+000B")
    assert str(diagnostics.errors[-1]).startswith(f"story.md:1:{2 * MAX_REPORTED + 2}: error: "
                                                  f"{40 - MAX_REPORTED} more invisible character(s)")
    assert count_bad_characters("x\x0b" * 40) == 40


def test_a_clean_file_adds_nothing():
    diagnostics = Diagnostics()
    assert characters_ok("story.md", "Hello\n", diagnostics)
    assert diagnostics.items == []


def test_non_characters_of_every_plane_and_nothing_else_above_the_first():
    """The last two code points of each plane are found; emoji and rare Han characters pass."""
    ends = [chr(plane * 0x10000 + low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF)]
    others = ["\U0001f600", "\U00020000", "\U0002a6d6", "\U0001fffd", "\U00100000", "\U0010fffd"]
    text = "".join(f"{c}x{o}\n" for c, o in zip(ends, others * 6))
    found = find_bad_characters(text, limit=len(ends) + 1)
    assert [(b.char, b.line, b.column) for b in found] == [(c, n, 1) for n, c in enumerate(ends, start=1)]
    assert count_bad_characters(text) == len(ends)
    assert find_bad_characters("".join(others) + "\ufdd0", limit=9)[0].column == len(others) + 1
