import time

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from newsletter.core.sourcemap import SourceError, load_toml, load_yaml, split_front_matter
from newsletter.core.textcheck import find_bad_characters


def test_yaml_positions_point_at_values_and_keys():
    data, smap = load_yaml("title: Hi\ncustomer:\n  name: Ana\n  tier: gold\ntags: [a, b]\n", line_offset=1)
    assert data["customer"]["tier"] == "gold"
    assert smap.locate(("customer", "tier")) == (5, 9)
    assert smap.key(("customer", "tier")) == (5, 3)
    assert smap.locate(("tags", 1)) == (6, 11)
    # Unknown deeper paths fall back to the nearest parent.
    assert smap.locate(("customer", "missing")) == (4, 3)


def test_yaml_duplicate_key_is_an_error_with_position():
    with pytest.raises(SourceError) as info:
        load_yaml("a: 1\nb: 2\na: 3\n")
    assert (info.value.line, info.value.column) == (3, 1)
    assert "duplicate key 'a'" in info.value.message


def test_yaml_syntax_error_has_line_and_column():
    with pytest.raises(SourceError) as info:
        load_yaml("title: ok\ntags: [a, b\n", line_offset=1)
    assert info.value.line == 4
    assert info.value.message.startswith("invalid YAML")


def test_front_matter_split_reports_body_line():
    front, body, line = split_front_matter("---\ntitle: x\n---\nHello\n")
    assert front == "title: x\n" and body == "Hello\n" and line == 4


@pytest.mark.parametrize("text, message", [
    ("title: x\n", "missing YAML front matter"),
    ("---\ntitle: x\n", "not closed"),
])
def test_front_matter_errors(text, message):
    with pytest.raises(SourceError) as info:
        split_front_matter(text)
    assert message in info.value.message


def test_toml_key_lines_and_syntax_errors():
    data, smap = load_toml('[brand]\nname = "A"\n\n[brand.colors]\nprimary = "#fff"\n')
    assert data["brand"]["colors"]["primary"] == "#fff"
    assert smap.locate(("brand", "colors", "primary")) == (5, 1)
    assert smap.locate(("brand", "name")) == (2, 1)
    with pytest.raises(SourceError) as info:
        load_toml('[brand]\nname = \n')
    assert info.value.line == 2 and info.value.column > 0


def test_impossible_date_is_an_error_at_its_place():
    with pytest.raises(SourceError) as info:
        load_yaml("title: x\ndate: 2026-02-30\n", line_offset=1)
    assert (info.value.line, info.value.column) == (3, 7)
    assert info.value.message == "invalid value '2026-02-30': day is out of range for month"


def _error(text: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        load_yaml(text, line_offset=1)
    return info.value


def test_alias_expansion_is_bounded():
    levels = ['l0: &l0 [a, a, a, a, a, a, a, a, a]']
    levels += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 10)]
    start = time.process_time()
    error = _error("\n".join(levels))
    assert time.process_time() - start < 0.5
    assert "repeat this value more than 10000 times" in error.message and error.line >= 2
    # A few aliases, as people use them, still work.
    data, _ = load_yaml("base: &b {x: 1}\none: *b\ntwo: {<<: *b, y: 2}\n")
    assert data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1, "y": 2}}


@pytest.mark.parametrize("text, message, where", [
    ("a: " + "[" * 60 + "]" * 60, "nested more than 50 levels deep", (2, 53)),
    ("a: " + "[" * 5000 + "]" * 5000, "nested more than 50 levels deep", (2, 53)),
    ("a:\n  b: &r [x, *r]", "refers to the value that contains it", (3, 6)),
    ("a: &m {<<: *m}", "brings in the mapping that contains it", (2, 4)),
    ("a: !!int", "'' is not a valid !!int value", (2, 4)),
    ("a: !!timestamp x", "'x' is not a valid !!timestamp value", (2, 4)),
    ("a: !!set {x}", "the tag '!!set' is not supported here", (2, 4)),
    ("a: !!binary aGk=", "the tag '!!binary' is not supported here", (2, 4)),
    ('a: "x\\u000Bz"', "invisible character U+000B LINE TABULATION", (2, 4)),
    ("a: x\x0bz", "invalid YAML", (2, 5)),
])
def test_yaml_that_used_to_raise_or_hang(text, message, where):
    error = _error(text)
    assert message in error.message and (error.line, error.column) == where


def test_empty_document_locates_at_its_first_line():
    _, smap = load_yaml("", line_offset=1)
    assert smap.locate(("title",)) == (2, 0)


def test_toml_errors_at_the_end_name_the_last_line():
    with pytest.raises(SourceError) as info:
        load_toml('[a]\nb = 1\nc = "unterminated')
    assert (info.value.line, info.value.message) == (3, "invalid TOML: Unterminated string at the end of the file")
    with pytest.raises(SourceError) as info:
        load_toml("[a]\nb = " + "[" * 2000)
    assert info.value.line == 2 and "nested too deeply" in info.value.message
    with pytest.raises(SourceError) as info:
        load_toml('[a]\nb = 1\nc = "x\\u000Cy"\n')
    assert info.value.line == 3 and "U+000C FORM FEED" in info.value.message


# Text a project file may hold: the readers refuse the rest (non-characters, invisible
# controls) before or while the YAML is read, in double quotes too.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).filter(
    lambda text: not find_bad_characters(text, 1))
_SCALARS = st.one_of(_TEXT, st.integers(), st.booleans(), st.none(), st.dates(),
                     st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_TEXT.filter(lambda key: key not in ("<<", "=")),
                       st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3)), max_size=6),
       st.sampled_from([None, "'", '"', "|", ">"]))
def test_values_are_what_the_yaml_library_reads(data, style):
    """Text taken as written (load_yaml's shortcut) equals what PyYAML's constructor makes, in
    every scalar style."""
    text = yaml.safe_dump(data, default_style=style, allow_unicode=True, sort_keys=False)
    assert load_yaml(text)[0] == yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("text", ['"\ufdd0": x\n', 'a: "\\uFDD0"\n', 'a: "\\v"\n'])
def test_a_forbidden_character_in_double_quotes_is_refused(text):
    # What the property test above leaves out: double quotes can make (by an escape) or hold a
    # character the readers refuse, and load_yaml refuses it there, with where it is.
    with pytest.raises(SourceError) as info:
        load_yaml(text)
    assert info.value.line == 1 and "not allowed" in info.value.message
