"""A build's read of a plain CSV export: whole lines, and cells only for the rows it needs.

A build needs every problem in the export but the records of a few customers only. When
every export file is a CSV with one line per row and no quote anywhere (cache.FileFacts),
DuckDB reads each file as whole lines, a fraction of the cost of cutting every row into
cells. One pattern per line (queries.line_pattern) and a few cells tell the rows that are
plainly fine; only the other rows, the rows of the named customers and the rows whose id
is used more than once become rows of `raw`, with the cells reading.load_raw gives them.
Only the lines of the first two kinds are kept while the lines are read; the rows of an id
used twice whose lines were let go (an export with repeated ids) are read from the file
again. When the export changed, its lines are read while its facts (cache.py) are
worked out, and checked against them after (read_while_scanned, keep_needed).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..core.diagnostics import Diagnostics
from ..content.customer_settings import FIELDS, CustomerSettings
from . import queries
from .cache import Cache, FileFacts
from .reading import CsvHeader, create_raw, csv_header, line_number_sql, resolve

#: The column separator DuckDB is given to read a whole line as one cell: no text file has it
#: (a file that does fails the read, and is read the usual way).
_NO_SEPARATOR = "\x00"
#: A file's lines after its header, one VARCHAR `line` each ($path; $none: _NO_SEPARATOR).
_LINES = ("read_csv($path, header=false, skip=1, delim=$none, quote='', escape='', auto_detect=false, "
          "columns={'line': 'VARCHAR'})")
#: The facts read_while_scanned reads the lines by before the scan says them: only the rows
#: each file's line breaks promise stay unknown (keep_needed checks them against the scan's).
_UNKNOWN = FileFacts("", 0, True, False, False)


@dataclass(frozen=True)
class LineFile:
    """One export file that can be read as lines."""

    name: str
    path: Path
    header: CsvHeader

    def head(self) -> tuple:
        """What the file's lines are read by: all but the rows its line breaks promise."""
        return self.name, self.path, self.header.delimiter, self.header.columns, self.header.mapping


def line_files(root: Path, names: list[str], settings: CustomerSettings,
               facts: Callable[[str, Path], FileFacts]) -> list[LineFile] | None:
    """Every export file as a LineFile, or None when one of them must be read the usual way."""
    files = []
    for name in names:
        path = resolve(root, name, Diagnostics())
        if path is None or path.suffix.lower() != ".csv":
            return None
        found = facts(name, path)
        header = None if found.quotes else csv_header(path, name, settings, found)
        # Two of our fields read from one column: each cell would need two shapes at once.
        if header is None or len(set(header.mapping.values())) < len(header.mapping):
            return None
        files.append(LineFile(name, path, header))
    return files


def _cell(header: CsvHeader, field: str) -> str:
    """SQL for the cell of `field` in the split line `s`, NULL when empty (as DuckDB reads it)."""
    index = header.index
    return f"nullif(s[{index[field] + 1}], '')" if field in index else "CAST(NULL AS VARCHAR)"


def _plain(header: CsvHeader, settings: CustomerSettings, audiences: set[str] | None,
           tiers: list[str] | None) -> str:
    """A condition on `line` and its cells `s` that holds only when queries.plain_sql holds
    for the row, as reading.load_raw would make it."""
    fields = {column: field for field, column in header.mapping.items()}
    columns = [fields.get(column) if header.columns.index(column) == i else None
               for i, column in enumerate(header.columns)]
    pattern = queries.line_pattern(settings, columns, header.delimiter,
                                   sorted(audiences) if audiences is not None else None, tiers)
    locale, cell = _cell(header, "locale"), lambda field: _cell(header, field)
    # The pattern also holds with a separator inside a cell, but not with the cells counted.
    return (f"regexp_full_match(line, {queries.literal(pattern)}) AND len(s) = {len(columns)}"
            f" AND ({locale} IS NULL OR {queries.plain_locale_sql(locale)})"
            # ISO days compare as text.
            f" AND NOT coalesce({cell('consent_expires')} < {cell('consent_granted')}, FALSE)"
            f" AND NOT coalesce(TRY_CAST({cell('benefits_redeemed')} AS BIGINT)"
            f" > TRY_CAST({cell('benefits_issued')} AS BIGINT), FALSE)")


def read_needed(con: duckdb.DuckDBPyConnection, files: list[LineFile], settings: CustomerSettings,
                keys: list[str], audiences: set[str] | None, tiers: list[str] | None,
                diagnostics: Diagnostics) -> set[str] | None:
    """Fill `raw` with the rows a build must parse (those of `keys`, the name keys of the named
    customers); the header warnings go to `diagnostics`. Returns the fields of ours that some
    file has a column for; None, with nothing made, when a file did not read as one line per
    row with at most its header's cells, or a row of an id used twice could not be read again
    (_lines_again): the caller reads the usual way."""
    return keep_needed(con, files, read_lines(con, files, settings, keys, audiences, tiers), diagnostics)


def read_lines(con: duckdb.DuckDBPyConnection, files: list[LineFile], settings: CustomerSettings,
               keys: list[str], audiences: set[str] | None, tiers: list[str] | None) -> list[tuple[int, int]] | None:
    """Read every file's lines into the table `lines`, each told plain or not, with the line
    itself kept only when the row is not plain or names one of `keys` (`_keep`), and its id
    cell (and the name cell of a row that is not plain) for the ids used twice; each file's
    count of rows and its most cells in a row. None, with nothing made, when DuckDB cannot
    read a file as lines. The counts are checked by keep_needed against the line breaks the
    files' facts promise, which may be worked out meanwhile (read_while_scanned)."""
    con.execute("CREATE OR REPLACE TEMP TABLE lines (_fileno INTEGER, line VARCHAR, f_id VARCHAR, "
                "f_name VARCHAR, _plain BOOLEAN, _keep BOOLEAN, _cells INTEGER)")
    counts = []
    try:
        for fileno, file in enumerate(files):
            header = file.header
            # Most lines are plain and name nobody the stories feature: letting them go (and
            # the name cells of plain rows) keeps 0.13 CPU-s of a million rows' storing and the
            # second look at them from the build.
            con.execute(f"INSERT INTO lines SELECT $fileno, CASE WHEN keep THEN line END, {_cell(header, 'id')}, "
                        f"CASE WHEN NOT plain THEN {_cell(header, 'name')} END, plain, keep, len(s) "
                        f"FROM (SELECT *, NOT plain OR {queries.named_sql(keys, _cell(header, 'name'))} AS keep "
                        f"FROM (SELECT line, s, coalesce({_plain(header, settings, audiences, tiers)}, FALSE) AS plain "
                        f"FROM (SELECT line, string_split(line, $delim) AS s FROM {_LINES})))",
                        {"fileno": fileno, "path": str(file.path), "delim": header.delimiter,
                         "none": _NO_SEPARATOR})
            counts.append(con.execute("SELECT count(*), coalesce(max(_cells), 0) FROM lines WHERE _fileno = $f",
                                      {"f": fileno}).fetchone())
    except duckdb.Error:
        con.execute("DROP TABLE lines")
        return None
    return counts


def read_while_scanned(con: duckdb.DuckDBPyConnection, root: Path, cache: Cache, names: list[str],
                       settings: CustomerSettings, keys: list[str], audiences: set[str] | None,
                       tiers: list[str] | None, prepare: Callable[[], None],
                       ) -> tuple[list[LineFile], list[tuple[int, int]] | None] | None:
    """For a build whose export changed (a file's size or mtime): read_lines (after `prepare`,
    which sets the values the lines are checked by) while the files' facts are worked out on a
    thread, both at once (hashlib and DuckDB let go of the GIL), the scan being what the cache
    key needs first. Returns the files as read, their headers' row counts not known then, and
    what read_lines gave, for keep_needed to check against the facts; None, with nothing read,
    when every fact is known already or the files did not read as lines last time."""
    try:
        stale = [name for name in names if cache.stale(name, root / name)]
    except OSError:
        return None  # the reader reports it
    if not stale or any((seen := cache.seen(name)) is not None and (seen.quotes or seen.odd_breaks)
                        for name in names):
        return None
    # Only files inside the project (line_files checks) are scanned.
    files = line_files(root, names, settings, lambda name, path: _UNKNOWN)
    if not files:
        return None

    def scan() -> None:
        for file in files:
            if file.name in stale:
                with contextlib.suppress(OSError):  # the caller's own call to cache.facts meets it again
                    cache.facts(file.name, file.path)

    worker = threading.Thread(target=scan, name="newsletter-scan")
    worker.start()
    try:
        prepare()
        counts = read_lines(con, files, settings, keys, audiences, tiers)
    finally:
        worker.join()  # the build forks its workers only while no other thread is alive
    return files, counts


def keep_needed(con: duckdb.DuckDBPyConnection, files: list[LineFile], counts: list[tuple[int, int]] | None,
                diagnostics: Diagnostics) -> set[str] | None:
    """Make `raw` from the `lines` read_lines read (`counts`) as read_needed says; None, with
    `lines` dropped, when a file's rows are not one per line break its facts promise, or when
    a row of an id used twice, whose line was let go, cannot be read again (_lines_again)."""
    if counts is None or len(counts) != len(files) or any(
            rows != file.header.rows or widest > len(file.header.columns) for file, (rows, widest) in zip(files, counts)):
        con.execute("DROP TABLE IF EXISTS lines")  # extra cells are explained by the exact reader
        return None
    # A plain row's id and name are already trimmed and not empty.
    con.execute("CREATE OR REPLACE TEMP TABLE repeated_ids AS SELECT CASE WHEN _plain THEN f_id ELSE cell(f_id) END "
                "AS id FROM lines WHERE _plain OR (cell(f_id) IS NOT NULL AND cell(f_name) IS NOT NULL) "
                "GROUP BY 1 HAVING count(*) > 1")
    # Every row of an id used twice must become a row of `raw` (duplicates.sql reports the later ones).
    repeated = con.execute("SELECT EXISTS (FROM repeated_ids)").fetchone()[0]
    try:
        again = not repeated or all(_lines_again(con, file, fileno) for fileno, file in enumerate(files))
    except duckdb.Error:  # the file cannot be read again (gone, or changed meanwhile): the usual reader says why
        again = False
    if not again:
        con.execute("DROP TABLE lines")
        con.execute("DROP TABLE repeated_ids")
        return None
    create_raw(con)
    mapped: set[str] = set()
    for fileno, file in enumerate(files):
        header = file.header
        cells = ", ".join(_cell(header, field) for field in FIELDS)
        # A row's line number is its place among the file's lines, as number_lines sets it,
        # for the kept rows only (an UPDATE of every line cost 0.03 s of one core).
        con.execute(f"INSERT INTO raw SELECT _fileno, $name, {line_number_sql('lines', '_place')}, "
                    "line IS NULL OR ptrim(replace(line, $delim, '')) = '', "
                    f"{cells}, _plain FROM (SELECT *, rowid AS _place, string_split(line, $delim) AS s FROM lines "
                    "WHERE _fileno = $fileno AND _keep) ORDER BY _place",
                    {"fileno": fileno, "name": file.name, "delim": header.delimiter})
        diagnostics.extend(header.found)
        mapped.update(header.mapping)
    con.execute("DROP TABLE lines")
    con.execute("DROP TABLE repeated_ids")
    return mapped


def _lines_again(con: duckdb.DuckDBPyConnection, file: LineFile, fileno: int) -> bool:
    """Keep the lines read_lines let go of the rows of file `fileno` whose id is used twice (an
    export with repeated ids: rare), read from the file again. They become rows that are not
    plain, so records.sql checks them whatever the file holds by now. False, with some left
    out, when the file no longer has each of them at its place with its id."""
    lost = "l._fileno = $fileno AND NOT l._keep AND l.f_id IN (SELECT id FROM repeated_ids)"
    params = {"fileno": fileno}
    if not con.execute(f"SELECT EXISTS (FROM lines AS l WHERE {lost})", params).fetchone()[0]:
        return True
    # A window numbering every line runs on one core: paid only here, not by every build.
    found_id = _cell(file.header, "id")
    con.execute(f"UPDATE lines AS l SET line = again.line, _keep = TRUE, _plain = FALSE FROM ("
                f"SELECT line, number, {found_id} AS id FROM (SELECT line, string_split(line, $delim) AS s, "
                f"row_number() OVER () + 1 AS number FROM {_LINES}) "
                f"WHERE {found_id} IN (SELECT id FROM repeated_ids)) AS again "
                f"WHERE {lost} AND l.f_id = again.id AND {line_number_sql('lines', 'l.rowid')} = again.number",
                {**params, "path": str(file.path), "delim": file.header.delimiter, "none": _NO_SEPARATOR})
    return not con.execute(f"SELECT EXISTS (FROM lines AS l WHERE {lost})", params).fetchone()[0]
