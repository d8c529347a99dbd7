"""A build's read of a plain CSV export: whole lines, and cells only for the rows it needs.

A build needs every problem in the export but the records of a few customers only. When
every export file is a CSV with one line per row and no quote anywhere (cache.FileFacts),
DuckDB reads each file as whole lines, a fraction of the cost of cutting every row into
cells. One pattern per line (queries.line_pattern) and a few cells tell the rows that are
plainly fine; only the other rows, the rows of the named customers and the rows whose id
is used more than once become rows of `raw`, with the cells reading.load_raw gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..core.diagnostics import Diagnostics
from ..content.customer_settings import FIELDS, CustomerSettings
from . import queries
from .cache import FileFacts
from .reading import CsvHeader, create_raw, csv_header, number_lines, resolve

#: The column separator DuckDB is given to read a whole line as one cell: no text file has it
#: (a file that does fails the read, and is read the usual way).
_NO_SEPARATOR = "\x00"


@dataclass(frozen=True)
class LineFile:
    """One export file that can be read as lines."""

    name: str
    path: Path
    header: CsvHeader


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
    row with at most its header's cells: the caller reads the usual way."""
    con.execute("CREATE OR REPLACE TEMP TABLE lines (_fileno INTEGER, _file VARCHAR, _line BIGINT, "
                "line VARCHAR, f_id VARCHAR, f_name VARCHAR, _plain BOOLEAN, _cells INTEGER)")
    try:
        for fileno, file in enumerate(files):
            header = file.header
            con.execute(f"INSERT INTO lines SELECT $fileno, $name, NULL, line, {_cell(header, 'id')}, "
                        f"{_cell(header, 'name')}, coalesce({_plain(header, settings, audiences, tiers)}, FALSE), "
                        "len(s) FROM (SELECT line, string_split(line, $delim) AS s FROM read_csv($path, "
                        "header=false, skip=1, delim=$none, quote='', escape='', auto_detect=false, "
                        "columns={'line': 'VARCHAR'}))",
                        {"fileno": fileno, "name": file.name, "path": str(file.path), "delim": header.delimiter,
                         "none": _NO_SEPARATOR})
            rows, widest = con.execute("SELECT count(*), coalesce(max(_cells), 0) FROM lines WHERE _fileno = $f",
                                       {"f": fileno}).fetchone()
            if rows != header.rows or widest > len(header.columns):
                raise ValueError(file.name)  # extra cells are explained by the exact reader
            number_lines(con, "lines", fileno)
    except (duckdb.Error, ValueError):
        con.execute("DROP TABLE lines")
        return None
    # A plain row's id and name are already trimmed and not empty.
    con.execute("CREATE OR REPLACE TEMP TABLE repeated_ids AS SELECT CASE WHEN _plain THEN f_id ELSE cell(f_id) END "
                "AS id FROM lines WHERE _plain OR (cell(f_id) IS NOT NULL AND cell(f_name) IS NOT NULL) "
                "GROUP BY 1 HAVING count(*) > 1")
    create_raw(con)
    mapped: set[str] = set()
    for fileno, file in enumerate(files):
        header = file.header
        cells = ", ".join(_cell(header, field) for field in FIELDS)
        con.execute(f"INSERT INTO raw SELECT _fileno, _file, _line, line IS NULL OR ptrim(replace(line, $delim, '')) = '', "
                    f"{cells}, _plain FROM (SELECT *, string_split(line, $delim) AS s FROM lines "
                    f"WHERE _fileno = $fileno AND (NOT _plain OR {queries.named_sql(keys)} "
                    "OR (EXISTS (FROM repeated_ids) AND cell(f_id) IN (SELECT id FROM repeated_ids)))) ORDER BY _line",
                    {"fileno": fileno, "delim": header.delimiter})
        diagnostics.extend(header.found)
        mapped.update(header.mapping)
    con.execute("DROP TABLE lines")
    con.execute("DROP TABLE repeated_ids")
    return mapped
