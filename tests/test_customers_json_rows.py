"""Query results streamed out as JSON (newsletter.customers.json_rows): the report's and
`suggest`'s JSON equal to the Python objects, a large array written in halves equal to one
COPY, DuckDB's threads given back, and JSON text rows equal to what json.dumps writes."""

import json
import threading
from datetime import date

import pytest

from newsletter.build import load
from newsletter.customers.data import load_customer_data
from newsletter.customers.json_rows import JSON_BATCH, JSON_SPLIT, write_json_array, write_json_texts
from newsletter.customers.queries import indented_object_sql

DAYS = [date(2026, 10, 5), date(2026, 9, 15), date(2027, 3, 1)]


def _project(root):
    project, _ = load(root)
    return project


@pytest.mark.parametrize("locale", ["en", "pt-BR", "hi"])  # hi: money only babel writes
def test_streamed_json_equals_the_python_objects(basic, locale):
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


def test_streamed_json_gives_the_threads_back(basic):
    from newsletter.customers.report import build_report

    report = build_report(_project(basic), DAYS[0])
    con = report.data.engine.con
    con.execute("SET threads = 2")
    # No progress bar: DuckDB would draw it on stdout, inside `--format json` output.
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
    parts = []
    write_json_array(report.data.engine, "SELECT 1 AS one", parts.append)
    assert "".join(parts) == '[\n\t{"one":1}\n]\n'
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 2


@pytest.mark.parametrize("rows", [0, 1, 60_001])
def test_a_large_json_array_written_in_halves_is_the_one_copy_makes(basic, tmp_path, rows):
    """Past JSON_SPLIT rows the array is written as two halves at once and joined: the same
    bytes as one COPY of the ordered rows, with no thread left running."""
    from newsletter.customers.report import build_report

    assert rows < JSON_SPLIT or rows > JSON_SPLIT
    engine = build_report(_project(basic), DAYS[0]).data.engine
    sql = (f"SELECT range AS n, 'Ана ' || range || ' 是' AS name, range % 7 = 0 AS flag FROM range({rows}) "
           "ORDER BY range % 3, range DESC")
    engine.con.execute(f"COPY ({sql}) TO '{tmp_path / 'one.json'}' (FORMAT json, ARRAY true)")
    before = threading.active_count()
    chunks: list[bytes] = []
    write_json_array(engine, sql, lambda text: None, write_bytes=chunks.append)
    assert threading.active_count() == before
    assert b"".join(chunks) == (tmp_path / "one.json").read_bytes()
    assert len(json.loads(b"".join(chunks))) == rows


@pytest.mark.parametrize("extra", [0, JSON_BATCH + 1])
def test_json_text_rows_are_the_list_json_dumps_writes(basic, extra):
    """Rows of JSON text, over more than one batch, are json.dumps(indent=2)'s list: a control
    character escaped in lower case as Python does, escaped backslashes and text left alone."""
    engine = load_customer_data(_project(basic)).engine
    odd = ["a\x1fb", "\\u001F", "\\\x1f", '"q" Ана 是', "\\\\u001F\x7f"]
    values = [*odd, *(f"row {n}" for n in range(extra))]
    engine.con.execute("CREATE TEMP TABLE odd_texts AS SELECT unnest($values) AS v, generate_subscripts($values, 1) AS n",
                       {"values": values})
    fields = [("name", "v"), ("number", "n")]
    for where, expected in [("n <= $last", values), ("FALSE", [])]:
        parts: list[str] = []
        write_json_texts(engine, f"SELECT {indented_object_sql(fields, 2)} FROM odd_texts WHERE {where} ORDER BY n",
                         parts.append, 2, {"last": len(values)} if "$last" in where else None)
        items = [{"name": v, "number": n} for n, v in enumerate(expected, 1)]
        assert '{\n  "k": ' + "".join(parts) + "\n}" == json.dumps({"k": items}, ensure_ascii=False, indent=2)
