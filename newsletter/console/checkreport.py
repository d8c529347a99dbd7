"""The check report in the terminal: by issue and audience, failing questions first."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..checks import QUESTIONS, REGISTRY
from ..checks.run import VERDICT_ORDER, CheckReport

_BADGE = {"pass": "[green]PASS[/green]", "warn": "[yellow]WARN[/yellow]", "fail": "[red]FAIL[/red]"}
_MARK = {"error": "[red]✗ error[/red]", "warning": "[yellow]! warning[/yellow]", "info": "[dim]· info[/dim]"}


def _label(question) -> str:
    return f"Q{question} {QUESTIONS[question]}" if isinstance(question, int) else QUESTIONS[question]


def print_report(console: Console, report: CheckReport, verbose: bool = False) -> None:
    """Problems with where and what to do; with `verbose`, the passing signals too."""
    current_issue = None
    for variant in report.variants:
        if variant.issue != current_issue:
            current_issue = variant.issue
            console.rule(f"[bold]{variant.issue}[/bold]", align="left")
        verdicts = variant.verdicts()
        line = "  ".join(f"{'Q' + q if q.isdigit() else 'list'} {_BADGE[v]}" for q, v in verdicts.items())
        console.print(f"[bold]{variant.audience}[/bold] ({variant.channel})  {line}", highlight=False)
        order = sorted(QUESTIONS, key=lambda q: (VERDICT_ORDER[verdicts[str(q)]], str(q)))
        for question in order:
            results = [r for r in variant.results if r.check.question == question]
            shown = [r for r in results if verbose or r.severity in ("error", "warning")]
            if not shown:
                continue
            console.print(f"  {_label(question)}: {_BADGE[verdicts[str(question)]]}", highlight=False)
            for result in sorted(shown, key=lambda r: (r.severity != "error", r.severity != "warning")):
                f = result.finding
                where = f"{f.location}: " if f.location else ""
                mark = "[green]✓[/green]" if f.passed else _MARK[result.severity]
                console.print(f"    {mark} {escape(where + f.message)} [dim]\\[{result.check.id}][/dim]",
                              highlight=False, soft_wrap=True, markup=True)
                if f.suggestion:
                    console.print(f"      → {f.suggestion}", highlight=False, soft_wrap=True, markup=False)
    if report.skipped:
        console.print(f"[dim]skipped (run `newsletter check` for them): {', '.join(report.skipped)}[/dim]")
    style = "red" if report.errors else "yellow" if report.warnings else "green"
    console.print(f"[{style}]{report.errors} error(s), {report.warnings} warning(s) across "
                  f"{len(report.variants)} message(s)[/{style}]", highlight=False)


def print_checks_table(console: Console) -> None:
    """Every registered check with its question, default severity and doc line."""

    table = Table(title="checks")
    for column in ("id", "question", "default", "what it looks at"):
        table.add_column(column, overflow="fold")
    for item in sorted(REGISTRY.values(), key=lambda c: (str(c.question), c.id)):
        table.add_row(item.id, _label(item.question), item.severity, escape(item.doc))
    console.print(table)
