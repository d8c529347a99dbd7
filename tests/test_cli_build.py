from click.testing import CliRunner

from newsletter.cli import main

from .conftest import edit


def test_build_prints_summary_and_where_to_look(minimal):
    result = CliRunner().invoke(main, ["build", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    assert "2 messages" in result.output
    assert "index.html" in result.output
    assert (minimal / "build/issues/2026-10/book-clubs/email.eml").is_file()


def test_errors_are_one_line_each_without_traceback(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "tier: platinum", "tier: diamond")
    edit(minimal / "content/issues/2026-10.md", "newest: 1", "newest: 0")
    result = CliRunner().invoke(main, ["build", "-p", str(minimal)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("content/issues/2026-10.md:10:35: error: sections[1].pick.newest:")
    assert lines[1].startswith("content/stories/tom-testimonial.md:8:9: error: unknown loyalty tier 'diamond'")
    assert lines[2] == "build failed: 2 problem(s); the previous build was left untouched"


def test_strict_flag(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "summary:", "sumary:")
    ok = CliRunner().invoke(main, ["build", "-p", str(minimal), "-q"])
    assert ok.exit_code == 0 and "warning: unknown key 'sumary'" in ok.output
    strict = CliRunner().invoke(main, ["build", "-p", str(minimal), "--strict"])
    assert strict.exit_code == 1


def test_not_a_project(tmp_path):
    result = CliRunner().invoke(main, ["build", "-p", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("newsletter.toml: error: no newsletter.toml in")


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
