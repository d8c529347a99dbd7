"""The README stays true: its runnable shell blocks run as written, and every
`newsletter COMMAND --option` it names exists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsletter.cli import COMMANDS, load, main

README = Path(__file__).resolve().parent.parent / "README.md"
MARKER = "<!-- runnable -->"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def runnable_blocks(text: str) -> list[str]:
    """The ```sh blocks whose previous non-blank line is the runnable marker."""
    blocks = []
    for match in FENCE.finditer(text):
        before = text[:match.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if before == MARKER:
            assert match.group(1) == "sh", f"a runnable block must be ```sh: {match.group(2)[:60]!r}"
            blocks.append(match.group(2))
    return blocks


def command_lines(text: str) -> list[str]:
    """Every piece of code in the README: fenced lines and inline `code` spans."""
    pieces = [line for match in FENCE.finditer(text) for line in match.group(2).splitlines()]
    prose = FENCE.sub("", text)
    pieces += re.findall(r"`([^`\n]+)`", prose)
    return pieces


def mentions(text: str) -> list[tuple[str, list[str], str]]:
    """(command, options, where) for each `newsletter COMMAND ...` written in code."""
    found = []
    for piece in command_lines(text):
        for match in re.finditer(r"(?:^|[\s;&(/])newsletter(?:\s+-[qv])*\s+([a-z][a-z-]*)(.*)", piece):
            name, rest = match.group(1), match.group(2)
            rest = re.split(r"\s#|\s\||&&|;|(?<![\w-])newsletter\s", rest)[0]  # a comment, a pipe or the next command
            options = re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", rest)
            found.append((name, options, piece.strip()))
    return found


def test_the_readme_has_runnable_blocks():
    assert len(runnable_blocks(README.read_text(encoding="utf-8"))) >= 2


def test_every_command_and_option_named_in_the_readme_exists():
    text = README.read_text(encoding="utf-8")
    group_options = {opt for param in main.params for opt in param.opts} | {"-h", "--help"}
    wrong = []
    seen = mentions(text)
    for name, options, where in seen:
        if name not in COMMANDS:
            wrong.append(f"no command '{name}': {where}")
            continue
        known = {opt for param in load(name).params for opt in param.opts} | group_options
        wrong += [f"{name} has no {opt}: {where}" for opt in options if opt not in known]
    assert len(seen) > 30  # the README names commands all over; the parser found them
    assert not wrong, "\n".join(wrong)


def test_the_option_check_would_catch_a_wrong_option():
    assert mentions("run `newsletter build --no-such-thing` here") == [
        ("build", ["--no-such-thing"], "newsletter build --no-such-thing")]


@pytest.mark.parametrize("index", range(len(runnable_blocks(README.read_text(encoding="utf-8")))))
def test_runnable_block_runs_as_written(index: int, example: Path):
    block = runnable_blocks(README.read_text(encoding="utf-8"))[index]
    # The scratch copy of the example gets the virtualenv where `make build` puts it.
    (example / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_COLOR")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=example, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{block}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
