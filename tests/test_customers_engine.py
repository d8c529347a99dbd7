"""The DuckDB engine: same results as the Python reference, broken exports fail the checks,
Parquet and JSON read like CSV, and streamed JSON equal to the Python objects."""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from newsletter.build import load
from newsletter.customers.data import load_customer_data
from newsletter.customers.importer import load_records
from newsletter.customers.metrics import make_profile
from newsletter.content.customer_settings import CustomerSettings
from newsletter.core.diagnostics import Diagnostics

from .checkhelpers import findings
from .conftest import edit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DAYS = [date(2026, 10, 5), date(2026, 9, 15), date(2027, 3, 1)]


def _project(root):
    project, _ = load(root)
    return project


@pytest.mark.parametrize("name", ["customers-basic", "customers-mapped", "example"])
def test_engine_profiles_equal_the_python_reference(name, tmp_path, example):
    root = example if name == "example" else shutil.copytree(FIXTURES / name, tmp_path / name)
    project = _project(root)
    data = load_customer_data(project)
    settings = project.config.customers
    assert data.records, "the fixture has customers"
    for day in DAYS:
        for p in data.profiles(day):
            expected = make_profile(p.record, settings, day, data.locales.get(p.audience or "", data.default_locale))
            assert (p.ltv, p.tier, p.group, p.unused_benefits, p.onboarding_behind, p.locale) == (
                expected.ltv, expected.tier, expected.group, expected.unused_benefits,
                expected.onboarding_behind, expected.locale), (p.id, day)
            assert p.years == pytest.approx(expected.years)
            assert (p.expected_progress is None) == (expected.expected_progress is None)


def test_a_renamed_id_column_fails_the_tier_check(basic):
    edit(basic / "content/customers.csv", "id,name,", "customer,name,")
    found = findings(basic, "q1-tier-from-data")
    assert found and {f[0] for f in found} == {"error"}
    assert found[0][1] == "content/customers.csv:1"
    assert "customer data unusable: no 'id' column" in found[0][2]


def test_parquet_and_json_exports_read_like_csv(tmp_path):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("id,name,nps,average_order_value\nA-1,Ana,9,12.5\nA-2,Bo,3,\n", encoding="utf-8")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) TO '{tmp_path / 'c.parquet'}' "
                "(FORMAT parquet)")
    (tmp_path / "c.json").write_text('[\n{"id": "A-1", "name": "Ana", "nps": 9, "average_order_value": 12.5},\n'
                                     '{"id": "A-2", "name": "Bo", "nps": "3"}\n]\n', encoding="utf-8")
    seen = {}
    for name in ("c.csv", "c.parquet", "c.json"):
        diagnostics = Diagnostics()
        records = load_records(tmp_path, CustomerSettings(files=[name]), diagnostics)
        assert diagnostics.items == []
        seen[name] = [(r.id, r.name, r.nps, r.average_order_value) for r in records]
    assert seen["c.csv"] == seen["c.parquet"] == seen["c.json"] == [
        ("A-1", "Ana", 9, Decimal("12.5")), ("A-2", "Bo", 3, None)]
    assert str(load_records(tmp_path, CustomerSettings(files=["c.parquet"]), Diagnostics())[1].location) == "c.parquet:2"


def test_separators_bom_and_quoted_line_breaks_keep_their_rows(tmp_path):
    (tmp_path / "c.csv").write_text('\ufeffid;name;average_order_value\nA-1;"Ana\nMaria";"1.234,50"\n\nA-2;Bo;x\n',
                                    encoding="utf-8")
    diagnostics = Diagnostics()
    records = load_records(tmp_path, CustomerSettings(files=["c.csv"], decimal=","), diagnostics)
    assert [(r.id, r.name, r.average_order_value, r.location.line) for r in records] == [
        ("A-1", "Ana\nMaria", Decimal("1234.5"), 2), ("A-2", "Bo", None, 5)]
    assert [str(d) for d in diagnostics.items] == [
        "c.csv:5: warning: average_order_value: not a number (got 'x'); value ignored [customer-value]"]




@pytest.mark.parametrize("locale", ["en", "pt-BR", "hi"])  # hi: money only babel writes
def test_streamed_json_equals_the_python_objects(basic, locale):
    import json

    from newsletter.customers.ledger import build_ledger
    from newsletter.customers.report import build_report
    from newsletter.customers.suggest import month_range, suggest

    project = _project(basic)
    report = build_report(project, DAYS[0], locale)
    assert json.loads(report.json_text()) == report.to_dict()
    data = load_customer_data(project)
    start, end = month_range("2026-11", DAYS[0])
    plan = suggest(project, data, build_ledger(project), start, end)
    parts = []
    plan.write_json(parts.append, "GBP", locale)
    assert json.loads("".join(parts)) == plan.to_dict("GBP", locale)
    assert plan.follow_up_count() == len(plan.follow_up) == 2


def test_sql_name_keys_equal_pythons_for_every_character_sql_keys():
    from newsletter.customers.engine import name_key
    from newsletter.customers.queries import text

    con = duckdb.connect()
    con.execute(text("macros"))
    chars = [chr(c) for c in range(0x20, 0xA000)]
    rows = con.execute("SELECT c, sql_key('Ab ' || c || ' Z') FROM (SELECT unnest($c) AS c)", {"c": chars}).fetchall()
    keyed = [(c, key) for c, key in rows if key is not None]
    assert len(keyed) > 20000  # Latin, Cyrillic and CJK names never need Python
    assert [(c, key) for c, key in keyed if key != name_key(f"Ab {c} Z")] == []
    assert con.execute("SELECT sql_key('Straße'), sql_key('ﬁne'), sql_key('  Tom   BAKER ')").fetchone() == (
        None, None, "tom baker")


def test_each_problem_once_in_field_order_with_the_cell_as_written(tmp_path):
    # Problems are found in one pass over every row, then described from the raw cells of the
    # rows that have one: the text shown is the cell as written, not as trimmed or parsed.
    (tmp_path / "a.csv").write_text(
        "id,name,email,since,nps,benefits_issued,benefits_redeemed,consent_granted,consent_expires,marketing_opt_in\n"
        "A-1,Ana, ana@ , 2026-13-01 ,7.5,2,5,2026-03-01,2026-01-01,maybe\n"
        "A-2,Bo,bo@x.example,2026-01-01,11,1,1,,,yes\n"
        "A-1,Ana again,bad,nope,12,,,,,\n"
        ",Nobody,,,,,,,,\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id,name\nA-2,Bo twice\n", encoding="utf-8")
    diagnostics = Diagnostics()
    records = load_records(tmp_path, CustomerSettings(files=["a.csv", "b.csv"]), diagnostics)
    assert [(r.id, r.name, r.nps, r.benefits_redeemed, r.marketing_opt_in) for r in records] == [
        ("A-1", "Ana", None, 5, None), ("A-2", "Bo", None, 1, True)]
    assert [str(d) for d in diagnostics.items] == [
        "a.csv:2: warning: email: not an email address (got ' ana@ '); value ignored [customer-value]",
        "a.csv:2: warning: since: not a date like YYYY-MM-DD (got ' 2026-13-01 '); value ignored [customer-value]",
        "a.csv:2: warning: nps: must be a whole number (got '7.5'); value ignored [customer-value]",
        "a.csv:2: warning: marketing_opt_in: not yes or no (read as no) (got 'maybe'); value ignored [customer-value]",
        "a.csv:2: warning: benefits_redeemed: more redeemed (5) than issued (2); counted as none unused [customer-value]",
        "a.csv:2: warning: consent_expires: expires before it was granted; consent treated as expired [customer-value]",
        "a.csv:3: warning: nps: must be a whole number from 0 to 10 (got '11'); value ignored [customer-value]",
        # A skipped row's cells are not checked: the duplicate is the one problem to fix.
        "a.csv:4: error: row skipped: customer id 'A-1' already used at line 2 [customer-duplicate]",
        "a.csv:5: error: row skipped: no id [customer-row]",
        "b.csv:2: error: row skipped: customer id 'A-2' already used at a.csv:3 [customer-duplicate]"]
