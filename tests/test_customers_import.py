"""Reading exports: mapped columns, CSV and JSON, and bad rows named by file and row."""

import shutil
from pathlib import Path

import pytest

from newsletter.build import load
from newsletter.content.config import load_config
from newsletter.customers.data import load_customer_data
from newsletter.customers.importer import data_files, load_records
from newsletter.content.customer_settings import CustomerSettings
from newsletter.core.diagnostics import Diagnostics

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _copy(tmp_path, name):
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture
def mapped(tmp_path):
    return _copy(tmp_path, "customers-mapped")


def _read(root):
    project, _ = load(root)
    diagnostics = Diagnostics()
    data = load_customer_data(project, diagnostics)
    return data, [str(d) for d in diagnostics.items]


def test_bad_rows_are_reported_by_file_and_row_and_the_rest_kept(mapped):
    data, messages = _read(mapped)
    assert [r.id for r in data.records] == ["M-1", "M-3", "M-4", "M-5", "M-6", "M-7", "J-1"]
    crm, esp = "content/data/crm.csv", "content/data/esp.json"
    assert f"{crm}:3: error: row skipped: no name (column 'Full name') [customer-row]" in messages
    assert (f"{crm}:5: error: row skipped: customer id 'M-1' already used at line 2 "
            "[customer-duplicate]") in messages
    assert (f"{crm}:4: warning: nps (column 'Last NPS'): must be a whole number from 0 to 10 "
            "(got '11'); value ignored [customer-value]") in messages
    assert (f"{crm}:4: warning: since (column 'Customer since'): not a date like YYYY-MM-DD or "
            "DD/MM/YYYY (got '45/13/2021'); value ignored [customer-value]") in messages
    assert (f"{crm}:4: warning: benefits_redeemed (column 'Vouchers redeemed'): more redeemed (3) "
            "than issued (1); counted as none unused [customer-value]") in messages
    assert (f"{crm}:6: warning: audience (column 'Segment'): unknown audience 'book-readers' "
            "(known: book-clubs, new-readers); value ignored [customer-value]") in messages
    # The quoted company on lines 7-8 spans two lines: the next row is still line 9.
    assert (f"{crm}:9: warning: nps (column 'Last NPS'): not a number (got 'ten'); value ignored "
            "[customer-value]") in messages
    assert (f"{crm}:1: warning: column 'Loyalty level' (mapped to tier in [customers] columns) "
            "is not in the file [customer-column]") in messages
    assert f"{esp}:5: error: row skipped: no name (column 'Full name') [customer-row]" in messages
    assert f"{esp}:7: error: row skipped: expected an object with the customer's fields [customer-row]" in messages
    assert (f"{esp}:8: error: row skipped: customer id 'M-4' already used at {crm}:6 "
            "[customer-duplicate]") in messages
    # JSON objects leave out empty keys: no "column missing" warnings for them.
    assert not any(m.startswith(f"{esp}:1:") for m in messages)


def test_mapped_columns_decimal_commas_and_day_month_dates(mapped):
    data, _ = _read(mapped)
    records = {r.id: r for r in data.records}
    tom = records["M-1"]
    assert (tom.name, tom.company, tom.audience, str(tom.since)) == (
        "Tom Baker", "Baker & Daughters", "new-readers", "2019-01-01")
    assert tom.average_order_value == 500  # "R$ 500,00"
    assert tom.onboarding_progress == 100  # "100%"
    assert records["M-4"].average_order_value == pytest.approx(1234.5)  # "1.234,50"
    assert records["M-4"].email is None and records["M-4"].locale is None  # bad values dropped
    assert records["M-5"].company == "Casa do\nLivro"
    assert records["M-7"].average_order_value is None  # "500.5" with decimal = ","
    assert records["J-1"].average_order_value == pytest.approx(450.5)  # a JSON number stays a number
    assert str(records["J-1"].location) == "content/data/esp.json:2"


def test_default_file_is_content_customers_csv(tmp_path):
    root = _copy(tmp_path, "customers-basic")
    assert data_files(root, CustomerSettings()) == ["content/customers.csv"]
    (root / "content/customers.csv").unlink()
    assert data_files(root, CustomerSettings()) == []


def test_missing_file_header_and_outside_paths(tmp_path):
    root = tmp_path / "p"
    (root / "content").mkdir(parents=True)
    (root / "content/a.csv").write_text("Kunde;Name\n1;X\n", encoding="utf-8")
    (root / "content/b.csv").write_bytes(b"id,name\n1,\xff\n")
    settings = CustomerSettings(files=["content/a.csv", "content/b.csv", "content/none.csv", "../x.csv"])
    diagnostics = Diagnostics()
    assert load_records(root, settings, diagnostics) == []
    assert [str(d) for d in diagnostics.items] == [
        "content/a.csv:1: error: no 'id' column: map yours with [customers] columns "
        "(found: Kunde, Name) [customer-column]",
        "content/b.csv:2:3: error: not UTF-8 text (invalid start byte); export it again as UTF-8 "
        "(in a spreadsheet: CSV UTF-8) [encoding]",
        "content/none.csv: error: customer file not found (check [customers] files in newsletter.toml) "
        "[customer-file]",
        "../x.csv: error: customer file must be inside the project folder [customer-file]",
    ]


def test_a_bom_and_header_case_do_not_matter(tmp_path):
    (tmp_path / "c.csv").write_text("\ufeffID,Name,NPS\nA-1,Ana,9\n", encoding="utf-8")
    records = load_records(tmp_path, CustomerSettings(files=["c.csv"]), Diagnostics())
    assert [(r.id, r.name, r.nps) for r in records] == [("A-1", "Ana", 9)]


def test_settings_are_validated_with_their_line(tmp_path):
    base = (FIXTURES / "minimal/newsletter.toml").read_text(encoding="utf-8")
    (tmp_path / "newsletter.toml").write_text(
        base + '\n[customers]\ncurrency = "XYZ"\n\n[customers.columns]\nnmae = "Full name"\n',
        encoding="utf-8")
    diagnostics = Diagnostics()
    assert load_config(tmp_path, diagnostics) is None
    messages = [str(d) for d in diagnostics.items]
    assert any(m.startswith("newsletter.toml:19:1: error: customers.currency: unknown currency 'XYZ'")
               for m in messages), messages
    assert any(m.startswith("newsletter.toml:21:1: error: customers.columns: unknown field(s) nmae "
                            "(known: id, name, company,") for m in messages), messages


def test_tier_rules_must_name_loyalty_tiers(tmp_path):
    root = _copy(tmp_path, "customers-basic")
    toml = root / "newsletter.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "bronze"', 'name = "copper"'),
                    encoding="utf-8")
    _, messages = _read(root)
    assert messages == ["newsletter.toml:42:1: error: customers.tiers[3]: 'copper' is not one of "
                        "loyalty.tiers (bronze, silver, gold, platinum) [unknown-tier]"]
