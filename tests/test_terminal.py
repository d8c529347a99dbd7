"""Terminal output: tables off a terminal are tab-separated and whole, NO_COLOR means no
escape codes at all, progress appears only on a terminal."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rich.table import Table
from rich.text import Text

from newsletter.cli import main
from newsletter.console.terminal import Screen, Terminal


def _table() -> Table:
    table = Table(title="Ladder [dim](lifetime value)[/dim]")
    for column in ("tier", "customers", "average lifetime value"):
        table.add_column(column)
    table.add_row("[bold]platinum[/bold]", "14", "$134,670.86 " + "x" * 120)
    table.add_row(Text("gold\tplus", style="yellow"), "3", "$2,000.00")
    return table


def test_a_table_off_a_terminal_is_tab_separated_and_never_cut():
    out = io.StringIO()
    Screen(file=out).print(_table())
    assert out.getvalue().splitlines() == [
        "Ladder (lifetime value)",
        "tier\tcustomers\taverage lifetime value",
        "platinum\t14\t$134,670.86 " + "x" * 120,
        "gold plus\t3\t$2,000.00",
    ]


def test_a_table_on_a_terminal_is_drawn():
    out = io.StringIO()
    Screen(file=out, force_terminal=True, width=60).print(_table())
    assert "┃" in out.getvalue() or "│" in out.getvalue()
    assert "\t" not in out.getvalue()


def test_no_color_drops_every_escape_code_even_on_a_terminal(monkeypatch):
    def printed() -> str:
        out = io.StringIO()
        screen = Screen(file=out, force_terminal=True, color_system="truecolor", width=60)
        screen.print("[bold red]failed[/bold red] [italic]see[/italic] [dim]report[/dim]")
        screen.print(_table())
        return out.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in printed()  # the same output does carry escapes without NO_COLOR
    monkeypatch.setenv("NO_COLOR", "1")
    plain = printed()
    assert "\x1b" not in plain
    assert "failed see report" in plain


def test_an_empty_no_color_keeps_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "")
    out = io.StringIO()
    Screen(file=out, force_terminal=True, color_system="standard").print("[red]x[/red]")
    assert "\x1b[" in out.getvalue()


def test_progress_is_drawn_only_on_a_terminal_and_not_when_quiet():
    def drawn(force: bool, verbosity: int) -> str:
        err = io.StringIO()
        term = Terminal(verbosity, err=Screen(file=err, force_terminal=force, stderr=True))
        with term.progress("building") as update:
            update(1, 2, "2026-11/cafe-owners/email")
            update(2, 2, "2026-11/regulars/email")
        return err.getvalue()

    assert "building" in drawn(True, 0)
    assert drawn(False, 0) == ""
    assert drawn(True, -1) == ""


def test_quiet_reports_go_to_stderr():
    quiet, normal = Terminal(-1), Terminal(0)
    assert quiet.report is quiet.err
    assert normal.report is normal.out


def test_piped_customers_report_keeps_every_figure(example):
    result = CliRunner().invoke(main, ["customers", "--project", str(example), "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert "$134,670.86" in result.stdout  # the platinum tier's average, cut to "$134,670…" before
    header = next(line for line in result.stdout.splitlines() if line.startswith("id\t"))
    assert header.split("\t")[:4] == ["id", "customer", "audience", "tier"]


def test_no_color_through_the_real_command_on_a_forced_terminal(minimal):
    """FORCE_COLOR makes rich treat the pipe as a terminal; NO_COLOR must still win."""
    program = Path(sys.executable).parent / "newsletter"
    sgr = re.compile(r"\x1b\[[0-9;]*m")  # colour, bold, italic, dim: every style escape

    def output(**extra: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")} | extra
        done = subprocess.run([str(program), "check", "--fast", "-p", str(minimal)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    assert sgr.search(output(FORCE_COLOR="1"))
    plain = output(FORCE_COLOR="1", NO_COLOR="1")
    assert not sgr.search(plain)
    assert "0 error(s)" in plain
