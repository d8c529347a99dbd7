"""Property: whatever a CSV or JSON export holds, reading it gives records and our own
diagnostics (each with the file and, for a row, its line), never a traceback."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter.customers.importer import load_records
from newsletter.content.customer_settings import FIELDS, CustomerSettings
from newsletter.core.diagnostics import Diagnostic, Diagnostics

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
CELL = st.one_of(TEXT, st.sampled_from(["", " ", "9", "11", "-1", "1.234,5", "1,5", "45%", "2026-02-30",
                                        "15/03/2026", "x@y.z", "pt-BR", "zz-ZZ", '"', '""', "\n", ";", "yes"]))
COLUMNS = st.lists(st.sampled_from([*FIELDS, "extra", "ID", " name "]), min_size=1, max_size=8)
JSON_VALUE = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                    TEXT), lambda inner: st.lists(inner, max_size=3), max_leaves=5)


def _read(name: str, content: bytes, decimal: str) -> tuple[list, list[Diagnostic]]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(content)
        diagnostics = Diagnostics()
        records = load_records(Path(tmp), CustomerSettings(files=[name], decimal=decimal,
                                                           date_formats=["%d/%m/%Y"]), diagnostics)
        return records, diagnostics.items


def _ours(items: list[Diagnostic], name: str, lines: int) -> None:
    for item in items:
        assert item.location is not None and item.location.file == name
        assert 0 <= item.location.line <= lines + 1
        assert "\n" not in str(item) and "Traceback" not in str(item)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=COLUMNS, rows=st.lists(st.lists(CELL, max_size=10), max_size=8),
       separator=st.sampled_from([",", ";", "\t", "|"]), bom=st.booleans(),
       garbage=st.lists(TEXT, max_size=3), decimal=st.sampled_from([".", ","]))
def test_any_csv_gives_records_and_our_diagnostics(header, rows, separator, bom, garbage, decimal):
    lines = [separator.join(header)] + [separator.join(row) for row in rows] + garbage
    text = ("\ufeff" if bom else "") + "\n".join(lines) + "\n"
    records, items = _read("c.csv", text.encode("utf-8"), decimal)
    _ours(items, "c.csv", text.count("\n") + text.count("\r") + 1)
    assert all(r.id and r.name for r in records)
    assert len({r.id for r in records}) == len(records)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(st.one_of(st.dictionaries(st.sampled_from([*FIELDS, "other"]), JSON_VALUE, max_size=8),
                                JSON_VALUE), max_size=6),
       broken=st.booleans(), decimal=st.sampled_from([".", ","]))
def test_any_json_gives_records_and_our_diagnostics(items, broken, decimal):
    text = json.dumps(items, ensure_ascii=False, indent=1)
    if broken:
        text = text[: len(text) // 2]
    records, found = _read("c.json", text.encode("utf-8"), decimal)
    _ours(found, "c.json", text.count("\n") + 1)
    assert all(r.id and r.name for r in records)


@settings(max_examples=20, deadline=None)
@given(content=st.binary(max_size=60))
def test_any_bytes_give_our_diagnostics(content):
    _, items = _read("c.csv", b"id,name\n" + content, ".")
    _ours(items, "c.csv", content.count(b"\n") + content.count(b"\r") + 2)
