"""-q/--quiet and -v/--verbose: on the group and after every command name, one meaning everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.cli import COMMANDS, load, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_takes_quiet_and_verbose(name):
    opts = {opt for param in load(name).params for opt in param.opts}
    assert {"-q", "--quiet", "-v", "--verbose", "-h"} <= opts | {"-h"}


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_build_prints_nothing_on_a_passing_project(where, minimal: Path):
    args = ["build", "-p", str(minimal)]
    result = CliRunner().invoke(main, ["-q", *args] if where == "before" else [*args, "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (minimal / "build/index.html").is_file()


def test_a_normal_build_prints_its_summary(minimal: Path):
    result = CliRunner().invoke(main, ["build", "-p", str(minimal)])
    assert result.exit_code == 0
    assert "messages" in result.stdout


def test_quiet_and_verbose_exclude_each_other(minimal: Path):
    result = CliRunner().invoke(main, ["-q", "check", "-p", str(minimal), "-v"])
    assert result.exit_code == 2
    assert "exclude each other" in result.output


def test_verbose_before_the_command_shows_passing_checks(minimal: Path):
    quiet_ok = CliRunner().invoke(main, ["check", "-p", str(minimal), "--fast"])
    verbose = CliRunner().invoke(main, ["-v", "check", "-p", str(minimal), "--fast"])
    assert verbose.exit_code == quiet_ok.exit_code == 0
    assert "✓" in verbose.stdout and "✓" not in quiet_ok.stdout


def test_quiet_keeps_json_that_was_asked_for(minimal: Path):
    result = CliRunner().invoke(main, ["-q", "check", "-p", str(minimal), "--fast", "--format", "json"])
    assert json.loads(result.stdout)["schema"] == "newsletter/check/1"


def test_usage_errors_exit_2(minimal: Path):
    assert CliRunner().invoke(main, ["build", "--no-such-option"]).exit_code == 2
    assert CliRunner().invoke(main, ["check", "--format", "xml"]).exit_code == 2
