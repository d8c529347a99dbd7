"""A build's read of a plain CSV as lines (newsletter.customers.lines): only the rows it needs
become rows of `raw`, and what it reports is what a full read reports."""

from pathlib import Path

import duckdb
import pytest

from newsletter.content.customer_settings import CustomerSettings
from newsletter.core.diagnostics import Diagnostics
from newsletter.customers import queries
from newsletter.customers.cache import Cache
from newsletter.customers.engine import Engine
from newsletter.customers.lines import keep_needed, line_files, read_lines, read_needed

HEADER = "id,name,email,locale,audience,tier,since,nps,benefits_issued,benefits_redeemed,marketing_opt_in,note"
GOOD = "C-{n},Ana Reyes {n},a{n}@b.co,pt_BR,a,gold,2024-01-31,9,2,1,Sim,anything at all"


def _write(root: Path, lines: list[str], end: str = "\n", bom: bool = False) -> None:
    text = ("\ufeff" if bom else "") + end.join([HEADER, *lines]) + end
    (root / "c.csv").write_bytes(text.encode("utf-8"))


def _needed(root: Path, named: list[str]) -> list[tuple] | None:
    settings = CustomerSettings(files=["c.csv"])
    con = duckdb.connect()
    con.execute(queries.text("macros"))
    Engine._given(con, {"a", "b"}, ["silver", "gold"], ["en"])
    files = line_files(root, ["c.csv"], settings, Cache(root).facts)
    assert files is not None
    keys = [n.lower() for n in named]
    found = read_needed(con, files, settings, keys, {"a", "b"}, ["silver", "gold"], Diagnostics())
    if found is None:
        assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name = 'lines'").fetchall()
        return None
    return con.execute("SELECT _line, f_id, _plain FROM raw ORDER BY _line").fetchall()


def test_only_the_rows_a_build_needs_are_cut_into_cells(tmp_path):
    rows = [GOOD.format(n=n) for n in range(1, 9)]
    rows[2] = rows[2].replace(",9,", ",11,")               # line 4: an NPS of 11
    rows[4] = rows[4].replace(",2024-01-31,", ",2024-02-30,")  # line 6: no such day
    rows[5] = rows[5].replace("C-6,", "C-1,")               # line 7: C-1 again
    rows[6] = rows[6].replace(",pt_BR,", ",zz-ZZ,")          # line 8: not a language
    _write(tmp_path, rows)
    # C-1's two rows (lines 2 and 7) are plain: their lines are kept for their names.
    assert _needed(tmp_path, ["Ana Reyes 8", "Ana Reyes 1", "Ana Reyes 6"]) == [
        (2, "C-1", True), (4, "C-3", False), (6, "C-5", False), (7, "C-1", True), (8, "C-7", False),
        (9, "C-8", True)]


def test_the_rows_of_an_id_used_twice_are_read_again_when_their_lines_were_let_go(tmp_path):
    rows = [GOOD.format(n=n) for n in range(1, 6)]
    rows[3] = rows[3].replace("C-4,", "C-2,")  # line 5: C-2 again, both plain and named by no story
    _write(tmp_path, rows)
    # Read again, they are rows records.sql checks in full (not plain).
    assert _needed(tmp_path, ["Ana Reyes 1"]) == [(2, "C-1", True), (3, "C-2", False), (5, "C-2", False)]
    # Named, the two rows are kept as they were read.
    assert _needed(tmp_path, ["Ana Reyes 2", "Ana Reyes 4"]) == [(3, "C-2", True), (5, "C-2", True)]


def test_an_id_used_twice_that_cannot_be_read_again_sends_the_file_to_the_usual_reader(tmp_path):
    rows = [GOOD.format(n=n) for n in range(1, 5)]
    rows[3] = rows[3].replace("C-4,", "C-2,")
    _write(tmp_path, rows)
    settings = CustomerSettings(files=["c.csv"])
    con = duckdb.connect()
    con.execute(queries.text("macros"))
    Engine._given(con, {"a", "b"}, ["silver", "gold"], ["en"])
    files = line_files(tmp_path, ["c.csv"], settings, Cache(tmp_path).facts)
    counts = read_lines(con, files, settings, [], {"a", "b"}, ["silver", "gold"])
    # The file changes between the two reads: line 5 no longer has C-2's id.
    rows[3] = rows[3].replace("C-2,", "C-9,")
    _write(tmp_path, rows)
    assert keep_needed(con, files, counts, Diagnostics()) is None
    assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name IN ('lines', 'repeated_ids')").fetchall()
    # Gone by then: the same, without an error.
    rows[3] = rows[3].replace("C-9,", "C-2,")
    _write(tmp_path, rows)
    counts = read_lines(con, files, settings, [], {"a", "b"}, ["silver", "gold"])
    (tmp_path / "c.csv").unlink()
    assert keep_needed(con, files, counts, Diagnostics()) is None
    assert not con.execute("SELECT * FROM duckdb_tables() WHERE table_name IN ('lines', 'repeated_ids')").fetchall()


@pytest.mark.parametrize("change", [
    lambda rows: rows + ["C-99,x,,,,,,,,,,,extra"],             # more cells than the header
    lambda rows: rows + ["C-98,x\x00y"],                         # the one character a line may not hold
])
def test_a_file_that_does_not_read_as_lines_is_left_to_the_usual_reader(tmp_path, change):
    _write(tmp_path, change([GOOD.format(n=1)]))
    assert _needed(tmp_path, []) is None


def test_quotes_anywhere_keep_the_file_from_the_line_reader(tmp_path):
    _write(tmp_path, [GOOD.format(n=1), 'C-2,"Reyes, Ana"'])
    assert line_files(tmp_path, ["c.csv"], CustomerSettings(files=["c.csv"]), Cache(tmp_path).facts) is None


@pytest.mark.parametrize("end, bom", [("\n", False), ("\r\n", True)])
def test_a_build_reads_what_a_full_read_reports(tmp_path, end, bom):
    rows = [GOOD.format(n=n) for n in range(1, 6)]
    rows += ["", ",,,,,,,,,,,", " C-2 ,Ana Reyes 2", "C-7,  Tom   Baker ,nobody,en,c,tin,31/01/2024,7.5,1,2,maybe",
             "C-8;Ana Reyes 8", GOOD.format(n=9).replace(",gold,", ",,")]
    _write(tmp_path, rows, end, bom)
    settings = CustomerSettings(files=["c.csv"])
    named = ["tom baker", "Ana Reyes 3"]
    reads = []
    for names in (None, named):
        engine = Engine.open(tmp_path, settings, audiences={"a", "b"}, tiers=["silver", "gold"], use_cache=False,
                             named=names)
        customers = engine.con.execute("SELECT * FROM customers WHERE name_key IN ('tom baker', 'ana reyes 3') "
                                       "ORDER BY _order").fetchall()
        reads.append(([str(d) for d in engine.diagnostics], customers))
    assert reads[0] == reads[1]
    assert len(reads[0][0]) >= 6 and len(reads[0][1]) == 2
