"""Inputs that once ended in a traceback: each now gets one line with file:line and exit code 1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.cli import main

from .conftest import edit

STORY = "content/stories/tom-testimonial.md"
ISSUE = "content/issues/2026-10.md"
AUDIENCES = "content/audiences.yml"


def fails_with_one_line(root: Path, *args: str) -> str:
    """Run a command that must refuse the project: exit 1, no traceback, one error line; that line."""
    result = CliRunner().invoke(main, [*(args or ("build",)), "-p", str(root)])
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash CliRunner caught
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.output
    return errors[0]


def test_vertical_tab_in_a_story_body(minimal):
    """Word pastes U+000B for a soft line break; MRML used to fail with 'unable to parse next template'."""
    edit(minimal / STORY, "now reads", "now\x0breads")
    line = fails_with_one_line(minimal)
    assert line.startswith(f"{STORY}:17:46: error: invisible character U+000B LINE TABULATION ")
    assert "press Enter if you meant a new line" in line


@pytest.mark.parametrize("char, label", [("\x0c", "U+000C FORM FEED"), ("\x01", "U+0001 START OF HEADING"),
                                         ("\uffff", "U+FFFF (a non-character)"),
                                         ("\ufffe", "U+FFFE (a non-character)"),
                                         ("\x7f", "U+007F DELETE"), ("\u2028", "U+2028 LINE SEPARATOR")])
def test_control_characters_and_non_characters_in_an_issue_intro(minimal, char, label):
    edit(minimal / ISSUE, "Hi {{", f"Hi {char}{{{{")
    line = fails_with_one_line(minimal)
    assert line.startswith(f"{ISSUE}:21:4: error: invisible character {label} ")


def test_tab_and_crlf_stay_allowed(minimal):
    edit(minimal / ISSUE, "This month:", "This\tmonth:")
    text = (minimal / STORY).read_text(encoding="utf-8")
    (minimal / STORY).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert CliRunner().invoke(main, ["build", "-p", str(minimal), "-q"]).exit_code == 0


def test_raw_control_character_inside_yaml(minimal):
    """The YAML reader's ReaderError used to escape from sourcemap.py."""
    edit(minimal / AUDIENCES, "name: New readers", "name: New\x1freaders")
    assert fails_with_one_line(minimal).startswith(f"{AUDIENCES}:2:12: error: invisible character U+001F ")


def test_escaped_control_character_in_quoted_yaml(minimal):
    edit(minimal / STORY, "title: Tom's first month", 'title: "Tom\\vfirst month"')
    assert fails_with_one_line(minimal).startswith(f"{STORY}:2:8: error: invisible character U+000B ")


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_an_error_in_well_under_a_second(minimal):
    bomb = "- " + billion_laughs().replace("\n", "\n  ").rstrip() + "\n"  # as the first audience
    (minimal / AUDIENCES).write_text(bomb + (minimal / AUDIENCES).read_text(encoding="utf-8"), encoding="utf-8")
    start = time.process_time()
    line = fails_with_one_line(minimal)
    assert time.process_time() - start < 0.5
    assert line.startswith(f"{AUDIENCES}:") and "aliases ('*') repeat this value more than" in line


@pytest.mark.parametrize("value, message", [
    ("[" * 500 + "]" * 500, "nested more than 50 levels deep"),
    ("&r [*r]", "refers to the value that contains it"),
    ("&m {<<: *m}", "brings in the mapping that contains it"),
])
def test_deep_nesting_and_recursive_aliases(minimal, value, message):
    edit(minimal / STORY, "audiences: [", f"extra: {value}\naudiences: [")  # was a RecursionError
    line = fails_with_one_line(minimal)
    assert line.startswith(f"{STORY}:") and message in line


@pytest.mark.parametrize("value, shown", [("!!int", "'' is not a valid !!int value"),
                                          ("!!float", "'' is not a valid !!float value"),
                                          ("!!timestamp x", "'x' is not a valid !!timestamp value"),
                                          ("!!bool x", "'x' is not a valid !!bool value"),
                                          ("!!binary aGk=", "the tag '!!binary' is not supported")])
def test_bad_yaml_tags(minimal, value, shown):
    """IndexError, AttributeError and KeyError from PyYAML's constructors, before."""
    edit(minimal / STORY, "kind: testimonial", f"kind: {value}")
    assert fails_with_one_line(minimal).startswith(f"{STORY}:3:7: error: {shown}")


def test_empty_section_title_map(minimal):
    """`title: {}` used to stop the build with StopIteration when the section was rendered."""
    edit(minimal / ISSUE, "title: {en: Read more, zh-CN: 多读一点}", "title: {}")
    assert fails_with_one_line(minimal).startswith(
        f"{ISSUE}:9:12: error: sections[1].title: give the title as text, or in at least one language")


@pytest.mark.parametrize("old, new, line", [
    ('[sender]\nname = "Lumen Books"', '[sender]\nname = "Lumen\\r\\nBcc: all@example.com"', 10),
    ('[brand]\nname = "Lumen Books"', '[brand]\nname = """Lumen\nBooks"""', 6),
    ('[list]\n', '[list]\nname = "Readers\\nBcc: all@example.com"\n', 14),
    ('[list]\n', '[list]\nname = "Readers\\rX"\n', 14),
])
def test_line_break_in_a_header_field(minimal, old, new, line):
    """The email package refused these with a ValueError while writing the .eml."""
    edit(minimal / "newsletter.toml", old, new)
    error = fails_with_one_line(minimal)
    assert error.startswith(f"newsletter.toml:{line}:1: error: ")
    assert "must be on one line (it goes into an email header): remove the line break" in error


def test_line_break_in_the_unsubscribe_url(minimal):
    edit(minimal / "newsletter.toml", 'unsubscribe_url = "https://lumen.example/unsubscribe?t={token}"',
         'unsubscribe_url = "https://lumen.example/unsubscribe?t={token}\\r\\nBcc: x@example.com"')
    assert fails_with_one_line(minimal).startswith(
        "newsletter.toml:15:1: error: list.unsubscribe_url: a URL cannot hold spaces or line breaks")


def test_line_break_in_a_sample_first_name(minimal):
    (minimal / "content/samples.yml").write_text(
        '- id: known\n  first_name: "Ana\\r\\nBcc: all@example.com"\n', encoding="utf-8")
    assert fails_with_one_line(minimal, "export", "--esp", "mailchimp").startswith(
        "content/samples.yml:2:15: error: first_name: must be on one line")


def test_toml_error_at_the_end_of_the_file_names_the_last_line(minimal):
    with (minimal / "newsletter.toml").open("a", encoding="utf-8") as config:
        config.write('\n[utm]\nsource = "news')
    assert fails_with_one_line(minimal).startswith(
        "newsletter.toml:19: error: invalid TOML: Unterminated string at the end of the file")
