"""The command group: every command listed without importing it, -h everywhere."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from newsletter import commands
from newsletter.cli import COMMANDS, load, main


def test_every_command_module_is_listed():
    modules = {m.name for m in pkgutil.iter_modules(commands.__path__)} - {"options", "verbosity"}
    assert modules == {module for module, _ in COMMANDS.values()}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_help_is_the_commands_own_first_sentence(name):
    command = load(name)
    assert command.name == name
    assert COMMANDS[name][1] == " ".join(command.help.strip().split("\n\n")[0].split())


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_group_help_lists_every_command(flag):
    result = CliRunner().invoke(main, [flag])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_answers_dash_h_with_an_example(name):
    result = CliRunner().invoke(main, [name, "-h"])
    assert result.exit_code == 0, result.output
    assert f"Usage: main {name}" in result.output or f"Usage: newsletter {name}" in result.output
    assert "Example" in result.output


def test_help_does_not_import_the_build():
    code = ("import sys; from click.testing import CliRunner; from newsletter.cli import main; "
            "CliRunner().invoke(main, ['--help']); "
            "print(sorted(m for m in sys.modules if m.startswith(('newsletter.', 'jinja2', 'pydantic', "
            "'rich', 'mjml', 'pathlib'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # The shared -q/-v options come from newsletter.commands.verbosity, which loads only click.
    assert loaded.strip() == "['newsletter.cli', 'newsletter.commands', 'newsletter.commands.verbosity']"
