"""Read customer exports (CSV, JSON or Parquet) into the engine's `raw` table, by file and row.

CSV rows are numbered by the line they start on (the header is line 1), JSON items by
the line their object opens on, Parquet rows by their position (the first is row 1), so
`file:row` opens at the right place in an editor.

A CSV file is read by DuckDB directly when it is plain (one line per row, the same
number of cells in each): the engine checks that its row count matches the file's line
breaks. Anything else (quoted line breaks, blank lines, ragged rows, bad quoting, bad
UTF-8) is read by Python's csv module, which numbers every row exactly and explains each
problem, and handed to DuckDB as a normalised copy.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb

from ..core.diagnostics import Diagnostics, Location
from .cache import FileFacts
from .sources import DEFAULT_FILE, data_files, has_data  # noqa: F401 (read from here too)
from ..content.customer_settings import FIELDS, REQUIRED_FIELDS, CustomerSettings
from ..content.reader_common import read_export

_DELIMITERS = ",;\t|"

Row = tuple[Location, dict[str, Any]]
#: Code points of the characters macros.sql's ptrim strips (\s, \x0b, \x1c-\x1f, \x85, \p{Z}).
SPACE_CODES = ", ".join(str(c) for c in [*range(9, 14), *range(28, 33), 133, 160, 5760, *range(8192, 8203),
                                         8232, 8233, 8239, 8287, 12288])


def resolve(root: Path, name: str, diagnostics: Diagnostics) -> Path | None:
    """The export file `name` inside `root`; None (and why, to `diagnostics`) when it cannot be read."""
    rel = PurePosixPath(name)
    base = root.resolve()
    target = (base / rel).resolve()
    if rel.is_absolute() or not target.is_relative_to(base):
        diagnostics.error("customer file must be inside the project folder",
                          Location(name), "customer-file")
        return None
    if not target.is_file():
        diagnostics.error("customer file not found (check [customers] files in newsletter.toml)",
                          Location(name), "customer-file")
        return None
    if target.suffix.lower() not in (".csv", ".json", ".parquet"):
        diagnostics.error("customer file must be .csv, .json or .parquet", Location(name), "customer-file")
        return None
    return target


def _header_map(header: list[str], settings: CustomerSettings, name: str,
                diagnostics: Diagnostics, sparse: bool = False,
                mapped: set[str] | None = None) -> dict[str, str] | None:
    """Our field -> the header's own spelling of its column; None if a required one is missing.

    `sparse` (JSON, where objects leave out empty keys) skips the warning for a mapped
    column that no row has.
    """
    by_key = {column.strip().casefold(): column for column in header if column}
    mapping: dict[str, str] = {}
    for field in FIELDS:
        wanted = settings.column(field)
        found = by_key.get(wanted.strip().casefold())
        if found is not None:
            mapping[field] = found
        elif field in settings.columns and not sparse:
            diagnostics.warning(f"column '{wanted}' (mapped to {field} in [customers] columns) "
                                "is not in the file", Location(name, 1), "customer-column")
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        wanted = ", ".join(f"'{settings.column(f)}'" for f in missing)
        diagnostics.error(f"no {wanted} column: map yours with [customers] columns "
                          f"(found: {', '.join(header) or 'nothing'})", Location(name, 1), "customer-column")
        return None
    if mapped is not None:
        mapped.update(mapping)
    return mapping


def _sniff(first_line: str) -> Any:
    try:
        return csv.Sniffer().sniff(first_line, delimiters=_DELIMITERS)
    except csv.Error:
        return csv.excel  # one column, or an empty file: the header check explains


def _csv_rows(text: str, name: str, settings: CustomerSettings,
              diagnostics: Diagnostics, mapped: set[str] | None = None) -> Iterator[Row]:
    dialect = _sniff(text.split("\n", 1)[0])
    # Lines end at \n, \r\n or \r only, as an editor counts them (str.splitlines would also
    # break at \x1c-\x1e, \x85 and \u2028 inside a cell and misnumber every later row).
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if header is None:
        diagnostics.error("the file is empty: expected a header row", Location(name, 1), "customer-file")
        return
    mapping = _header_map(header, settings, name, diagnostics, mapped=mapped)
    if mapping is None:
        return
    columns = {field: header.index(column) for field, column in mapping.items()}
    start = reader.line_num + 1
    for cells in reader:
        row_line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells carry nothing
        if len(cells) > len(header):
            diagnostics.warning(f"{len(cells)} cells but {len(header)} columns: extra cells ignored "
                                "(a separator inside an unquoted value?)", Location(name, row_line),
                                "customer-row")
        yield Location(name, row_line), {field: cells[index] if index < len(cells) else None
                                         for field, index in columns.items()}


def _json_items(text: str) -> Iterator[tuple[int, Any]]:
    """Each item of a top-level JSON list with the line it starts on; ValueError if not a list."""
    decoder = json.JSONDecoder()
    position = len(text) - len(text.lstrip())
    if text[position:position + 1] != "[":
        raise ValueError("expected a list of customer objects: [{...}, {...}]")
    position += 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if text[position:position + 1] == "]" or position >= len(text):
            return
        item, end = decoder.raw_decode(text, position)
        yield text.count("\n", 0, position) + 1, item
        position = end


def _json_rows(text: str, name: str, settings: CustomerSettings,
               diagnostics: Diagnostics, mapped: set[str] | None = None) -> Iterator[Row]:
    try:
        json.loads(text)  # one pass for a clear syntax error before any row is used
        items = list(_json_items(text))
    except json.JSONDecodeError as exc:
        diagnostics.error(f"invalid JSON: {exc.msg}", Location(name, exc.lineno, exc.colno), "syntax")
        return
    except ValueError as exc:
        diagnostics.error(str(exc), Location(name, 1, 1), "customer-file")
        return
    keys: list[str] = list(dict.fromkeys(k for _, item in items if isinstance(item, dict) for k in item))
    mapping = _header_map(keys, settings, name, diagnostics, sparse=True, mapped=mapped) if items else {}
    if mapping is None:
        return
    for line, item in items:
        if not isinstance(item, dict):
            diagnostics.error("row skipped: expected an object with the customer's fields",
                              Location(name, line), "customer-row")
            continue
        yield Location(name, line), {field: item.get(column) for field, column in mapping.items()}


# The engine's table of raw cells: one VARCHAR column per field of ours, and whether the row
# is plainly fine (the condition load_raw is given, over the f_ columns).
RAW_COLUMNS = ["_fileno", "_file", "_line", "_blank", *(f"f_{f}" for f in FIELDS), "_plain"]
_RAW_TYPES = ["INTEGER", "VARCHAR", "BIGINT", "BOOLEAN", *(["VARCHAR"] * len(FIELDS)), "BOOLEAN"]


def create_raw(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(f"{c} {t}" for c, t in zip(RAW_COLUMNS, _RAW_TYPES))
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw ({columns})")


def _insert(con: duckdb.DuckDBPyConnection, rows: str, params: dict, plain: str) -> None:
    """Add `rows` (every column of `raw` but _plain, the cells named f_<field>) to `raw`."""
    con.execute(f"INSERT INTO raw SELECT *, coalesce({plain}, FALSE) FROM ({rows})", params)


def number_lines(con: duckdb.DuckDBPyConnection, table: str, fileno: int) -> None:
    """Set `_line` of the rows of file `fileno` just added to `table`, one line per row after
    the header. The rows were read in parallel and kept in file order (preserve_insertion_order):
    a row's place in the table is its place in the file. A `row_number() OVER ()` would say
    the same while the rows are read, but a window over the whole file runs on one thread,
    with every cell check after it: the read took twice the time."""
    con.execute(f"UPDATE {table} SET _line = {line_number_sql(table)} WHERE _fileno = $fileno", {"fileno": fileno})


def line_number_sql(table: str, place: str = "rowid") -> str:
    """SQL for the line of a row of file `$fileno` in `table` whose place there is `place`
    (its rowid): the file's rows are in file order, one line each after the header."""
    return f"{place} - (SELECT min(rowid) FROM {table} WHERE _fileno = $fileno) + 2"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _json_cell(value: Any, mark: str) -> str | None:
    """A JSON value as the text a CSV cell would hold (numbers with the export's decimal mark)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"  # not a number: reported like any other text
    if isinstance(value, (int, float)):
        return str(value).replace(".", mark)
    return value if isinstance(value, str) else str(value)


def _insert_rows(con: duckdb.DuckDBPyConnection, fileno: int, name: str, rows: list[Row],
                 mark: str | None, plain: str) -> None:
    """Hand rows read by Python to DuckDB as a normalised CSV (every cell quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    fields = list(FIELDS)
    for location, raw in rows:
        cells = [raw.get(f) for f in fields]
        if mark is not None:
            cells = [_json_cell(v, mark) for v in cells]
        writer.writerow([location.line, *("\x00" if v is None else str(v) for v in cells)])
    if not rows:
        return
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv", delete=False) as tmp:
        tmp.write(buffer.getvalue())
    try:
        columns = {"l": "BIGINT", **{f"c{i}": "VARCHAR" for i in range(len(fields))}}
        cells = ", ".join(f"nullif(c{i}, chr(0)) AS f_{f}" for i, f in enumerate(fields))
        _insert(con, f"SELECT $fileno, $name, l, FALSE, {cells} FROM read_csv($path, "
                "header=false, delim=',', quote='\"', escape='\"', auto_detect=false, "
                "columns=$columns, parallel=false)",
                {"fileno": fileno, "name": name, "path": tmp.name, "columns": columns}, plain)
    finally:
        Path(tmp.name).unlink()


@dataclass(frozen=True)
class CsvHeader:
    """The header line of a CSV that DuckDB can read alone."""

    delimiter: str
    columns: list[str]
    mapping: dict[str, str]  # our field -> its column
    found: Diagnostics       # the header's warnings, to report once the rows are read
    rows: int                # data rows the file's line breaks promise

    @property
    def index(self) -> dict[str, int]:
        """Our field -> the position of its column."""
        return {field: self.columns.index(column) for field, column in self.mapping.items()}


def csv_header(path: Path, name: str, settings: CustomerSettings, facts: FileFacts) -> CsvHeader | None:
    """The header of a CSV with one line per row; None when the exact path must read it."""
    if facts.odd_breaks:
        return None
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            first = f.readline()
    except (OSError, UnicodeDecodeError):
        return None
    dialect = _sniff(first.rstrip("\r\n"))
    header = next(csv.reader([first], dialect), None)
    if not header or '"' in first:
        return None  # no header, or a quoted one (it may span lines): the exact path explains
    found = Diagnostics()
    mapping = _header_map(header, settings, name, found)
    if mapping is None:
        return None
    lines = facts.newlines + (0 if facts.ends_with_newline else 1)
    return CsvHeader(dialect.delimiter, header, mapping, found, lines - 1)


def _fast_csv(con: duckdb.DuckDBPyConnection, fileno: int, name: str, path: Path,
              settings: CustomerSettings, facts: FileFacts, diagnostics: Diagnostics,
              mapped: set[str], plain: str) -> bool:
    """Read a plain CSV with DuckDB alone; False (nothing inserted) when it is not plain."""
    found = csv_header(path, name, settings, facts)
    if found is None:
        return False
    header = found.columns
    columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
    index = found.index
    cells = ", ".join(f"c{index[f]} AS f_{f}" if f in index else f"NULL AS f_{f}" for f in FIELDS)
    # A first cell that starts with a non-space character settles it for most rows without
    # trimming the whole row (SPACE_CODES: every character ptrim strips).
    blank = (f"CASE WHEN c0 <> '' AND unicode(c0) NOT IN ({SPACE_CODES}) THEN FALSE "
             f"ELSE ptrim(concat_ws('', {', '.join(f'c{i}' for i in range(len(header)))})) = '' END")
    try:
        before = con.execute("SELECT count(*) FROM raw").fetchone()[0]
        _insert(con, f"SELECT $fileno, $name, CAST(NULL AS BIGINT), {blank}, {cells} "
                "FROM read_csv($path, header=false, skip=1, delim=$delim, quote='\"', escape='\"', "
                "auto_detect=false, columns=$columns, null_padding=true, store_rejects=true)",
                {"fileno": fileno, "name": name, "path": str(path), "delim": found.delimiter,
                 "columns": columns}, plain)
        rejected = con.execute("SELECT count(*) FROM reject_errors").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM raw").fetchone()[0] - before
        if rejected or rows != found.rows:
            con.execute("DELETE FROM raw WHERE _fileno = $fileno", {"fileno": fileno})
            return False
        number_lines(con, "raw", fileno)
    except duckdb.Error:
        con.execute("DELETE FROM raw WHERE _fileno = $fileno", {"fileno": fileno})
        return False
    diagnostics.extend(found.found)
    mapped.update(found.mapping)
    return True


def _parquet(con: duckdb.DuckDBPyConnection, fileno: int, name: str, path: Path,
             settings: CustomerSettings, diagnostics: Diagnostics, mapped: set[str], plain: str) -> None:
    try:
        schema = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}).fetchall()
    except duckdb.Error as exc:
        diagnostics.error(f"not a readable Parquet file ({str(exc).splitlines()[0][:120]})",
                          Location(name), "customer-file")
        return
    types = {column: kind for column, kind, *_ in schema}
    mapping = _header_map(list(types), settings, name, diagnostics, mapped=mapped)
    if mapping is None:
        return
    numeric = ("DOUBLE", "FLOAT", "DECIMAL", "REAL")

    def cell(field: str) -> str:
        if field not in mapping:
            return f"NULL AS f_{field}"
        column = _quote(mapping[field])
        text = f"CAST({column} AS VARCHAR)"
        if types[mapping[field]].startswith(numeric) and settings.decimal != ".":
            text = f"replace({text}, '.', {settings.decimal!r})"
        return f"{text} AS f_{field}"

    cells = ", ".join(cell(f) for f in FIELDS)
    _insert(con, f"SELECT $fileno, $name, row_number() OVER (), FALSE, {cells} FROM read_parquet($path)",
            {"fileno": fileno, "name": name, "path": str(path)}, plain)


def load_raw(con: duckdb.DuckDBPyConnection, root: Path, names: list[str], settings: CustomerSettings,
             diagnostics: Diagnostics, facts: Callable[[str, Path], FileFacts], plain: str = "FALSE") -> set[str]:
    """Fill the engine's `raw` table from every export file; file-level problems to `diagnostics`.

    `plain` is a condition on a row's f_ cells (queries.plain_sql), kept as its `_plain`.
    Returns the fields of ours that some file has a column for.
    """
    create_raw(con)
    mapped: set[str] = set()
    for fileno, name in enumerate(names):
        path = resolve(root, name, diagnostics)
        if path is None:
            continue
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            _parquet(con, fileno, name, path, settings, diagnostics, mapped, plain)
            continue
        if suffix == ".csv" and _fast_csv(con, fileno, name, path, settings, facts(name, path),
                                          diagnostics, mapped, plain):
            continue
        text = read_export(path, name, diagnostics)
        if text is None:
            continue
        if suffix == ".json":
            rows = list(_json_rows(text, name, settings, diagnostics, mapped))
            _insert_rows(con, fileno, name, rows, settings.decimal, plain)
            continue
        rows = list(_csv_rows(text, name, settings, diagnostics, mapped))
        _insert_rows(con, fileno, name, rows, None, plain)
    return mapped
