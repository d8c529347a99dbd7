"""The terminal tables of `newsletter results`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from newsletter.build import load
from newsletter.core.diagnostics import Diagnostics
from newsletter.results.report import build_reports
from newsletter.results.terminal import print_issue_report


def test_tables_show_counts_behind_rates(repo: Path):
    project, _ = load(repo)
    (report,) = build_reports(project, Diagnostics())
    console = Console(record=True, width=200)
    print_issue_report(console, report)
    text = console.export_text()
    for line in ("Per audience", "Per story", "Benefit redemption", "with a reminder", "without a reminder"):
        assert line in text
    m = report.messages[0]
    assert f"({len(m.clickers)}/{len(m.delivered)})" in text
