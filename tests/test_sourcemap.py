from newsletter.core.sourcemap import SourceError, load_toml, load_yaml, split_front_matter
import pytest


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
