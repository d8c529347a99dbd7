"""Terminal output: one line per diagnostic and the closing summary table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..core.diagnostics import Diagnostic, Location, Severity

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_diagnostics(console: Console, diagnostics: list[Diagnostic]) -> None:
    ordered = sorted(diagnostics, key=lambda d: (d.location or Location(""), d.message))
    for diagnostic in ordered:
        console.print(str(diagnostic), style=_STYLE[diagnostic.severity], markup=False,
                      highlight=False, soft_wrap=True)


def print_summary(console: Console, result) -> None:
    """Outputs per issue and audience with sizes, then where to look."""
    table = Table(title="newsletter build", title_justify="left")
    for column in ("message", "audience", "channel", "locale", "stories", "files", "subject"):
        table.add_column(column, overflow="fold")
    for output in result.outputs:
        v = output.variant
        files = ", ".join(f"{name} {_kb(len(data))}" for name, data in sorted(output.files.items()))
        table.add_row(v.issue.id, v.audience.id, v.channel, v.locale, str(len(v.stories)), files,
                      output.subject)
    console.print(table)
    warnings = len(result.warnings)
    console.print(f"{len(result.outputs)} messages, {len(result.files)} files, "
                  f"{warnings} warning(s) in the sources. Open [bold]{result.out_dir}/index.html[/bold] in a browser; "
                  f"[bold]manifest.json[/bold] lists every file.", highlight=False, soft_wrap=True)


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"
