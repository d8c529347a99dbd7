"""The DuckDB engine: same results as the Python reference, broken exports fail the checks,
and Parquet and JSON read like CSV (its results streamed out as JSON: test_customers_json_rows.py)."""

import os
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


# A build reads a changed export in part (Engine.open with `named`): the same diagnostics
# and the same rows for the named customers as a full read, whatever the export holds.
_GOOD = {"id": ["unique"], "name": ["Ana Reyes", "Ольга Петрова", "林梅", "Tom Baker"],
         "email": ["a@b.co"], "locale": ["en", "pt_BR", "pt-BR"], "audience": ["a", "b"],
         "tier": ["gold", "silver"], "since": ["2024-01-31"], "consent_granted": ["2026-01-01"],
         "consent_expires": ["2026-12-31"], "purchases_per_year": ["12", "999999.9999", "0"],
         "average_order_value": ["42.50", "5"], "expected_years": ["3", "0.5"], "nps": ["9", "10", "0"],
         "benefits_issued": ["2", "3"], "benefits_redeemed": ["1", "2"],
         "onboarding_progress": ["100", "100.0", "99.5"], "marketing_opt_in": ["yes", "Sim", "NO"],
         "company": ["Lumen", ""], "first_name": ["Ana", ""]}
# Cells near the plain shapes' edges: some are fine (records.sql decides), most are not.
_ODD = {"id": ["C-0", "C-1", " C-2", ""], "name": ["ANA  reyes", "Straße Ꮚ", " Tom Baker", "ana reyes", ""],
        "email": ["x@y", " a@b.co"], "locale": ["zz-ZZ", "PT-br"], "audience": ["c"], "tier": ["tin"],
        "since": ["2024-02-30", "31/01/2024"], "consent_granted": ["2027-01-01", "01/01/2026"],
        "consent_expires": ["2025-01-01"], "purchases_per_year": ["1000000", "1,5", "-1", "1.234,5", "1" + "0" * 18],
        "average_order_value": ["42,50", "R$ 7", "0.00001"], "expected_years": ["1e3", "999999.99999"],
        "nps": ["11", "7.0", "07", "10,0"], "benefits_issued": ["2.0", "1234567890"], "benefits_redeemed": ["4"],
        "onboarding_progress": ["45%", "100.5", "100,0", "100.01"], "marketing_opt_in": ["nope", " yes"],
        "company": ["\u00a0x", "x\x01"], "first_name": [" Ana"]}


def _row(fields):
    from hypothesis import strategies as st
    good = st.tuples(*[st.sampled_from(_GOOD[f]) for f in fields])
    odd = st.lists(st.tuples(st.sampled_from(fields), st.integers(0, 5)), max_size=2)

    def mix(cells, changes):
        cells = list(cells)
        for field, n in changes:
            options = _ODD[field]
            cells[fields.index(field)] = options[n % len(options)]
        return cells
    return st.builds(mix, good, odd)


def _read_both(root: Path, settings: CustomerSettings, named: list[str]):
    from newsletter.customers.engine import Engine, name_key
    reads = []
    for names in (None, named):
        engine = Engine.open(root, settings, audiences={"a", "b"}, tiers=["silver", "gold"], use_cache=False,
                             named=names)
        keys = sorted({name_key(n) for n in named}) or ["-"]
        rows = engine.con.execute("SELECT * FROM customers WHERE name_key IN (SELECT unnest($k)) ORDER BY _order",
                                  {"k": keys}).fetchall()
        reads.append(([str(d) for d in engine.diagnostics], rows, engine.partial))
    return reads


def test_a_partial_read_gives_the_full_reads_diagnostics_and_named_rows():
    import tempfile

    from hypothesis import HealthCheck, given, settings as hsettings
    from hypothesis import strategies as st

    from newsletter.content.customer_settings import FIELDS

    fields = list(FIELDS)

    @hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=st.lists(_row(fields), min_size=1, max_size=12),
           decimal=st.sampled_from([".", ","]), named=st.lists(st.sampled_from(["ana  REYES", "Straße ꮚ", "Nobody"]), max_size=2),
           separator=st.sampled_from([",", ";"]))
    def check(rows, decimal, named, separator):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            # Ids are unique unless a row takes an odd one: C-0 again, " C-2" (the same once trimmed)...
            rows = [[f"C-{i}" if c == "unique" else c for c in row] for i, row in enumerate(rows)]
            lines = [separator.join(fields)] + [separator.join(c.replace(separator, "") for c in row) for row in rows]
            (root / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            settings = CustomerSettings(files=["c.csv"], decimal=decimal, date_formats=["%d/%m/%Y"])
            (full, full_rows, was_partial), (part, part_rows, is_partial) = _read_both(root, settings, named)
            assert not was_partial and is_partial
            assert part == full
            assert part_rows == full_rows

    check()


@pytest.mark.parametrize("name", ["customers-basic", "customers-mapped", "example"])
def test_a_build_reads_the_named_customers_and_every_problem(name, tmp_path, example):
    root = example if name == "example" else shutil.copytree(FIXTURES / name, tmp_path / name)
    project = _project(root)
    names = [s.meta.customer.name for s in project.stories.values() if s.meta.customer is not None]
    part = load_customer_data(project, named=names)
    assert part.partial
    again = load_customer_data(project, named=names)  # from the cache, still partial
    assert again.partial
    full = load_customer_data(_project(root))
    assert not full.partial
    for data in (part, again):
        assert [str(d) for d in data.diagnostics.items] == [str(d) for d in full.diagnostics.items]
        for day in DAYS:
            assert data.profiles_named(names, day) == full.profiles_named(names, day)
    with pytest.raises(ValueError, match="named customers only"):
        part.profiles(DAYS[0])


def test_a_changed_export_is_never_read_from_the_partial_cache(basic):
    project = _project(basic)
    first = load_customer_data(project, named=["Tom Baker"])
    tom = first.profiles_named(["Tom Baker"], DAYS[0])["tom baker"][0]
    assert tom.record.nps == 10 and not first.diagnostics.items
    path = basic / "content" / "customers.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("L-1,Tom Baker", "L-1,Tom Baker ", 1)
                    .replace(",5,10,2026-01-01", ",5,8,2026-01-01", 1), encoding="utf-8")
    second = load_customer_data(_project(basic), named=["Tom Baker"])
    assert second.profiles_named(["Tom Baker"], DAYS[0])["tom baker"][0].record.nps == 8


_CHANGES = {
    "touched only": lambda text: text,
    "a quote": lambda text: text.replace("L-3,Ruth Okoye,", 'L-3,"Okoye, Ruth",', 1),
    "an odd line break": lambda text: text.replace("\n", "\x0b\n", 1),
    "a row with problems": lambda text: text + "L-77,Tom Baker,,,,,,,,,,11\n",
    "a row fewer": lambda text: text[:text.rindex("\n", 0, -1) + 1],
}


@pytest.mark.parametrize("change", list(_CHANGES))
def test_a_changed_export_is_read_while_it_is_scanned_and_checked_against_its_facts(basic, monkeypatch, change):
    import threading

    path = basic / "content" / "customers.csv"
    names = ["Tom Baker", "Ruth Okoye"]
    load_customer_data(_project(basic), named=names).engine.wait()  # the export's facts and cache
    path.write_text(_CHANGES[change](path.read_text(encoding="utf-8")), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    started = []
    start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda thread: (started.append(thread), start(thread))[1])
    part = load_customer_data(_project(basic), named=names)
    assert [t.name for t in started] == ["newsletter-scan"]  # the lines were read while the export was scanned
    assert not any(t.is_alive() for t in started)  # the build forks its workers only with no thread alive
    assert part.partial and (part.engine.names is not None) == (change == "touched only")  # from the cache
    monkeypatch.undo()
    found = [str(d) for d in part.diagnostics.items], [part.profiles_named(names, day) for day in DAYS]
    shutil.rmtree(basic / ".newsletter-cache")
    full = load_customer_data(_project(basic))
    assert found == ([str(d) for d in full.diagnostics.items], [full.profiles_named(names, day) for day in DAYS])
    assert found[1][0]["tom baker"]


@pytest.mark.parametrize("decimal", [".", ","])
def test_each_odd_cell_reads_the_same_in_part_as_in_full(tmp_path, decimal):
    # Every odd value of every field in a row of its own, between plainly fine rows.
    from newsletter.content.customer_settings import FIELDS

    fields = list(FIELDS)
    good = [_GOOD[f][0] for f in fields]
    rows = [good]
    for index, field in enumerate(fields):
        for value in _ODD[field]:
            rows.append(good[:index] + [value] + good[index + 1:])
        rows.append(good)
    lines = [";".join(fields)] + [";".join(f"C-{i}" if c == "unique" else c for c in row)
                                  for i, row in enumerate(rows)]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = CustomerSettings(files=["c.csv"], decimal=decimal, date_formats=["%d/%m/%Y"])
    (full, full_rows, _), (part, part_rows, _) = _read_both(tmp_path, settings, ["Tom Baker"])
    assert len(full) >= 20  # most odd cells are reported
    assert part == full and part_rows == full_rows


def test_the_cache_written_aside_is_the_one_written_in_line(basic):
    """Engine.open(store_aside=True) writes the cache on a thread of its own: wait() leaves none
    running and gives DuckDB its threads back, and the cache reads as the in-line one."""
    import threading

    from newsletter.customers.cache import CACHE_DIR

    project = _project(basic)
    before = threading.active_count()
    aside = load_customer_data(project, store_aside=True)
    aside.engine.con.execute("SELECT count(*) FROM customers").fetchall()  # usable meanwhile
    aside.engine.wait()
    assert threading.active_count() == before
    assert aside.engine.con.execute("SELECT current_setting('threads')").fetchone()[0] == duckdb.connect().execute(
        "SELECT current_setting('threads')").fetchone()[0]
    cached = load_customer_data(project)
    assert cached.engine.names is not None, "read from the cache"
    assert [p.record for p in cached.profiles(DAYS[0])] == [p.record for p in aside.profiles(DAYS[0])]
    assert len(list((basic / CACHE_DIR).glob("*.parquet"))) == 2


def _read_twice(root: Path, settings: CustomerSettings):
    from newsletter.customers.engine import Engine
    reads = []
    for check_plain in (True, False):
        engine = Engine.open(root, settings, audiences={"a", "b"}, tiers=["silver", "gold"], use_cache=False,
                             locales={"a": "en", "b": "pt-BR"}, check_plain=check_plain)
        rows = engine.con.execute("SELECT * FROM customers ORDER BY _order").fetchall()
        reads.append(([str(d) for d in engine.diagnostics], rows))
    return reads


def test_plain_rows_are_read_as_the_long_way_reads_them():
    """Rows queries.plain_sql passes are cast directly (records.sql's last SELECT): the same
    records and diagnostics as checking every cell, in CSV and JSON, with either decimal mark."""
    import json
    import tempfile

    from hypothesis import HealthCheck, given, settings as hsettings
    from hypothesis import strategies as st

    from newsletter.content.customer_settings import FIELDS

    fields = list(FIELDS)

    @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=st.lists(_row(fields), min_size=1, max_size=12), decimal=st.sampled_from([".", ","]),
           kind=st.sampled_from(["csv", "json"]))
    def check(rows, decimal, kind):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            rows = [[f"C-{i}" if c == "unique" else c for c in row] for i, row in enumerate(rows)]
            if kind == "csv":
                text = "\n".join([";".join(fields)] + [";".join(c.replace(";", "") for c in r) for r in rows]) + "\n"
            else:
                text = json.dumps([dict(zip(fields, r)) for r in rows], ensure_ascii=False, indent=1)
            (root / f"c.{kind}").write_text(text, encoding="utf-8")
            settings = CustomerSettings(files=[f"c.{kind}"], decimal=decimal, date_formats=["%d/%m/%Y"])
            fast, slow = _read_twice(root, settings)
            assert fast == slow

    check()


@pytest.mark.parametrize("decimal", [".", ","])
def test_the_usual_rows_are_plain(tmp_path, decimal):
    from newsletter.content.customer_settings import FIELDS
    from newsletter.customers import queries
    from newsletter.customers.engine import Engine

    fields = list(FIELDS)
    mark = decimal
    (tmp_path / "c.csv").write_text("id\n", encoding="utf-8")
    settings = CustomerSettings(files=["c.csv"], decimal=decimal)
    engine = Engine.open(tmp_path, settings, audiences={"a", "b"}, tiers=["silver", "gold"], use_cache=False,
                         locales={"a": "en"})
    plain = queries.plain_sql(settings)
    usual = {**{f: _GOOD[f][0] for f in fields}, "id": "C-1", "locale": "zh_CN",
             "average_order_value": f"42{mark}50", "onboarding_progress": f"99{mark}5"}
    for row, expected in [(usual, True), ({**usual, "company": ""}, True), ({**usual, "locale": "xx-YY"}, False),
                          ({**usual, "name": " Ana"}, False), ({**usual, "nps": "11"}, False)]:
        cells = ", ".join(f"{queries.literal(row[f])} AS f_{f}" for f in fields)
        assert engine.con.execute(f"SELECT {plain} FROM (SELECT {cells})").fetchone()[0] is expected, row
