"""Row problems: at most CAP lines per kind, then one line with how many more."""

from newsletter.customers.importer import load_records
from newsletter.customers.problems import CAP, cap
from newsletter.content.customer_settings import CustomerSettings
from newsletter.core.diagnostics import Diagnostic, Diagnostics, Location, Severity


def test_diagnostics_are_capped_per_kind(tmp_path):
    rows = "".join(f"C-{i},Name {i},{11 + i % 5}\n" for i in range(CAP + 37))
    (tmp_path / "c.csv").write_text("id,name,nps\n" + rows, encoding="utf-8")
    diagnostics = Diagnostics()
    records = load_records(tmp_path, CustomerSettings(files=["c.csv"]), diagnostics)
    assert len(records) == CAP + 37
    lines = [str(d) for d in diagnostics.items]
    assert len(lines) == CAP + 1
    assert lines[0] == ("c.csv:2: warning: nps: must be a whole number from 0 to 10 (got '11'); "
                        "value ignored [customer-value]")
    assert lines[-1] == (f"c.csv:{CAP + 2}: warning: … and 37 more rows like this (nps: must be a whole "
                         "number from 0 to 10) [customer-value]")


def test_cap_counts_each_file_and_message_kind_apart():
    items = [Diagnostic(Severity.WARNING, f"{n} cells but 3 columns: extra cells ignored", Location(f, n), "customer-row")
             for f in ("a.csv", "b.csv") for n in range(2, CAP + 4)]
    capped = cap(items)
    assert len(capped) == 2 * (CAP + 1)
    assert str(capped[CAP]).startswith(f"a.csv:{CAP + 2}: warning: … and 2 more rows like this")
