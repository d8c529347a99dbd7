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


def test_lifetime_values_out_of_range_are_capped_like_other_problems(tmp_path):
    # 10^18 or more, or more digits than an exact product keeps: the three numbers are ignored.
    rows = "".join(f"C-{i},Name {i},{10 ** (15 + i % 3)},100,1\n" for i in range(2 * CAP))
    rows += "P-1,Precise,1.0000000000001,1.0000000000001,1.0000000000001\nF-1,Fine,99,100,5\n"
    (tmp_path / "c.csv").write_text("id,name,ppy,aov,expected_years\n" + rows, encoding="utf-8")
    diagnostics = Diagnostics()
    settings = CustomerSettings(files=["c.csv"], columns={"purchases_per_year": "ppy",
                                                          "average_order_value": "aov"})
    records = {r.id: r for r in load_records(tmp_path, settings, diagnostics)}
    lines = [str(d) for d in diagnostics.items]
    first = ("lifetime value: purchases_per_year (column 'ppy') x average_order_value (column 'aov') x "
             "expected_years must be under 10^18, in at most 38 digits")
    assert lines[0] == f"c.csv:3: warning: {first} (got '10000000000000000 x 100 x 1'); value ignored [customer-value]"
    # 10^15, 10^16, 10^17 x 100: two rows in three reach 10^18.
    out = [i for i in range(2 * CAP) if i % 3]
    assert len(lines) == CAP + 1
    assert lines[-1] == (f"c.csv:{out[CAP] + 2}: warning: … and {len(out) + 1 - CAP} more rows like this "
                         f"({first}) [customer-value]")
    assert records["C-0"].purchases_per_year == 10 ** 15
    assert records["C-1"].purchases_per_year is None and records["C-1"].expected_years is None
    assert records["P-1"].average_order_value is None
    assert records["F-1"].purchases_per_year == 99
