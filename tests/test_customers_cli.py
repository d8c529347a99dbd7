"""`newsletter customers` and `newsletter suggest` through click's CliRunner."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.build import load
from newsletter.cli import main
from newsletter.console.machine import schema_name
from newsletter.customers.report import build_report

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


def _set_cells(root: Path, line: int, **cells: str) -> None:
    """Rewrite some cells of one line of the project's customers.csv."""
    path = root / "content" / "customers.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    row = lines[line - 1].split(",")
    for column, value in cells.items():
        row[header.index(column)] = value
    lines[line - 1] = ",".join(row)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_customers_lifetime_value_out_of_range_is_one_line_not_a_traceback(basic, fmt):
    # 10^28 x 500 x 5 is beyond any exact decimal the ladder can total: a warning on the row,
    # the lifetime value unknown, and the rest of the report as usual.
    _set_cells(basic, 2, purchases_per_year="1" + "0" * 28)
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["customers", "-p", str(basic), "--date", "2026-10-05", "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "lifetime value" in line]
    assert lines == ["content/customers.csv:2: warning: lifetime value: purchases_per_year x "
                     "average_order_value x expected_years must be under 10^18, in at most 38 digits (got "
                     "'10000000000000000000000000000 x 500 x 5'); value ignored [customer-value]"]
    if fmt == "json":
        tom = next(c for c in json.loads(result.stdout)["customers"] if c["id"] == "L-1")
        assert tom["lifetime_value"] is None and tom["lifetime_value_text"] == "–"


def test_customers_many_decimals_total_exactly(basic):
    # Within range but with 12 decimals: the ladder's exact total used to overflow Python's
    # 28-digit decimals (decimal.InvalidOperation) once the integer part passed 16 digits.
    _set_cells(basic, 2, purchases_per_year="100000.000001", average_order_value="1000000.000001",
               expected_years="100000")
    result = run("customers", "-p", str(basic), "--date", "2026-10-05", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    tom = next(c for c in data["customers"] if c["id"] == "L-1")
    assert tom["lifetime_value"] == "10000000000110000.000000100000"
    # The other platinum customers add 211,200; the engine's totals keep 10 decimals.
    assert data["ladder"][0]["total_lifetime_value"] == "10000000000321200.0000001000"


@pytest.mark.parametrize("locale", ["en", "pt-BR", "hi"])  # hi: money only babel writes (no bytes path)
def test_json_output_is_the_text_the_report_writes(basic, locale):
    # The CLI passes the engine's UTF-8 on as bytes; the library writes text: the same document.
    result = run("customers", "-p", str(basic), "--date", "2026-10-05", "--format", "json", "--locale", locale)
    assert result.exit_code == 0, result.output
    report = build_report(load(basic)[0], date(2026, 10, 5), locale)
    parts: list[str] = []
    report.write_json(parts.append, {"schema": schema_name("customers")})
    assert result.stdout_bytes == "".join(parts).encode("utf-8")
    assert "王强" in result.stdout  # not ASCII: written as UTF-8, not escaped
