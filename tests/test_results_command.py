"""`newsletter results` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsletter.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["results", *args])


def test_example_results_as_json(example: Path):
    result = run("--project", str(example), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "newsletter/results/1"
    (issue,) = document["issues"]
    assert issue["issue"] == "2026-10" and len(issue["messages"]) == 4
    assert issue["redemption"]["reminded"]["customers"] > 0
    assert "@" not in result.stdout  # no recipient addresses


def test_example_results_as_text(example: Path):
    result = run("--project", str(example))
    assert result.exit_code == 0, result.output
    assert "October 2026" in result.output and "Per story" in result.output


def test_bad_rows_exit_1_with_file_and_line_and_are_capped(example: Path):
    rows = ",\n".join('{"event": "click", "email": "a@x.example"}' for _ in range(4))
    (example / "content/results/2026-10/sendgrid-cafe-owners.json").write_text(f"[\n{rows}\n]", encoding="utf-8")
    result = run("--project", str(example), "--max-problems", "2")
    assert result.exit_code == 1
    assert "content/results/2026-10/sendgrid-cafe-owners.json:2: error: row skipped" in result.output
    assert "sendgrid-cafe-owners.json:4:" not in result.output
    assert "2 more problem(s) of this kind not shown" in result.output


def test_unknown_issue_is_a_usage_error(example: Path):
    result = run("--project", str(example), "--issue", "1999-01")
    assert result.exit_code == 2 and "no issue '1999-01'" in result.output


def test_no_results_says_where_to_put_them(example: Path):
    result = run("--project", str(example), "--issue", "2026-11")
    assert result.exit_code == 1 and "content/results/<issue>/<provider>-<audience>.json" in result.output
