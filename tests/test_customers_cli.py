"""`newsletter customers` and `newsletter suggest` through click's CliRunner."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args):
    # Wide enough that rich does not wrap table cells in the middle of a value.
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", ["customers", "suggest"])
def test_help_has_an_example(name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"newsletter {name}" in result.output


def test_customers_text_report(basic):
    result = run("customers", "-p", str(basic), "--date", "2026-10-05")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Lumen Books: 10 customers from content/customers.csv, on 2026-10-05" in out
    assert "Loyalty ladder" in out and "Net Promoter Score" in out and "█" in out
    assert "£261,200.00" in out  # the platinum rung's total
    assert "+50" in out and "+33" in out  # new-readers and overall NPS
    assert "@" not in out  # no email addresses in the report


def test_customers_json_and_locale(basic):
    result = run("customers", "-p", str(basic), "--date", "2026-10-05", "--format", "json",
                 "--locale", "pt-BR")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["nps"]["overall"] == {"promoters": 5, "passives": 2, "detractors": 2,
                                      "respondents": 9, "nps": 33.3}
    tom = next(c for c in data["customers"] if c["id"] == "L-1")
    assert (tom["tier"], tom["lifetime_value"], tom["lifetime_value_text"]) == (
        "platinum", "50000", "£\xa050.000,00")
    assert tom["source"] == "content/customers.csv:2" and "email" not in tom


def test_customers_bad_rows_exit_1_but_report_the_rest(tmp_path):
    root = tmp_path / "customers-mapped"
    shutil.copytree(FIXTURES / "customers-mapped", root)
    result = CliRunner().invoke(main, ["customers", "-p", str(root), "--date", "2026-10-05",
                                       "--format", "json"])
    assert result.exit_code == 1
    assert "content/data/crm.csv:3: error: row skipped: no name (column 'Full name')" in result.stderr
    assert len(json.loads(result.stdout)["customers"]) == 7


def test_customers_without_data(tmp_path):
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    result = CliRunner().invoke(main, ["customers", "-p", str(root)])
    assert result.exit_code == 1
    assert "no customer data: add content/customers.csv" in result.stderr


def test_suggest_text_and_json(basic):
    result = run("suggest", "-p", str(basic), "--month", "2026-11")
    assert result.exit_code == 0, result.output
    assert "Suggestions for November 2026 (recent issues left out: 2026-10)" in result.output
    assert "Ruth Okoye" in result.output and "王强" in result.output
    assert "tom-testimonial" in result.output  # consent expiring
    assert "Dave Cole" in result.output and "dave@lumen-customer.example" in result.output
    result = run("suggest", "-p", str(basic), "--month", "2026-11", "--format", "json")
    data = json.loads(result.output)
    assert [c["id"] for c in data["feature"]["new-readers"]] == ["L-3"]
    assert [f["id"] for f in data["follow_up"]] == ["L-7", "L-8"]


def test_suggest_bad_month(basic):
    result = CliRunner().invoke(main, ["suggest", "-p", str(basic), "--month", "November"])
    assert result.exit_code == 2 and "month must look like 2026-12" in result.output


def test_suggest_scaffold(basic):
    result = run("suggest", "-p", str(basic), "--month", "2026-11", "--scaffold", "L-3")
    assert result.exit_code == 0, result.output
    assert "wrote content/stories/ruth-okoye-spotlight.md" in result.output
    assert (basic / "content/stories/ruth-okoye-spotlight.md").is_file()
    again = CliRunner().invoke(main, ["suggest", "-p", str(basic), "--scaffold", "L-3"])
    assert again.exit_code == 1 and "already exists: not overwritten" in again.stderr
    unknown = CliRunner().invoke(main, ["suggest", "-p", str(basic), "--scaffold", "L-404"])
    assert unknown.exit_code == 1 and "no customer with id 'L-404'" in unknown.stderr
    detractor = run("suggest", "-p", str(basic), "--month", "2026-11", "--scaffold", "L-7")
    assert "note: Dave Cole is silver: the check counts only top-tier customers" in detractor.output
    assert "note: Dave Cole is detractor, not a promoter" in detractor.output
    assert "no publication consent on record" in detractor.output
