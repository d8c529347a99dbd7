"""Read customer exports (CSV or JSON) into records, reporting problems by file and row.

CSV rows are numbered by the line they start on (the header is line 1), JSON items by
the line their object opens on, so `file:row` opens at the right place in an editor.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..content.customer_settings import FIELDS, REQUIRED_FIELDS, CustomerSettings
from ..core.diagnostics import Diagnostics, Location
from .records import CustomerRecord, parse_row

DEFAULT_FILE = "content/customers.csv"
_DELIMITERS = ",;\t|"

Row = tuple[Location, dict[str, Any]]


def data_files(root: Path, settings: CustomerSettings) -> list[str]:
    """The export files to read: `files`, else content/customers.csv when it exists."""
    if settings.files:
        return list(settings.files)
    return [DEFAULT_FILE] if (root / DEFAULT_FILE).is_file() else []


def has_data(root: Path, settings: CustomerSettings) -> bool:
    return bool(data_files(root, settings))


def _resolve(root: Path, name: str, diagnostics: Diagnostics) -> Path | None:
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
    if target.suffix.lower() not in (".csv", ".json"):
        diagnostics.error("customer file must be .csv or .json", Location(name), "customer-file")
        return None
    return target


def _header_map(header: list[str], settings: CustomerSettings, name: str,
                diagnostics: Diagnostics, sparse: bool = False) -> dict[str, str] | None:
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
    return mapping


def _csv_rows(text: str, name: str, settings: CustomerSettings,
              diagnostics: Diagnostics) -> Iterator[Row]:
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=_DELIMITERS)
    except csv.Error:
        dialect = csv.excel  # one column, or an empty file: the header check below explains
    reader = csv.reader(text.splitlines(keepends=True), dialect)
    header = next(reader, None)
    if header is None:
        diagnostics.error("the file is empty: expected a header row", Location(name, 1), "customer-file")
        return
    mapping = _header_map(header, settings, name, diagnostics)
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
               diagnostics: Diagnostics) -> Iterator[Row]:
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
    mapping = _header_map(keys, settings, name, diagnostics, sparse=True) if items else {}
    if mapping is None:
        return
    for line, item in items:
        if not isinstance(item, dict):
            diagnostics.error("row skipped: expected an object with the customer's fields",
                              Location(name, line), "customer-row")
            continue
        yield Location(name, line), {field: item.get(column) for field, column in mapping.items()}


def read_rows(root: Path, name: str, settings: CustomerSettings, diagnostics: Diagnostics
              ) -> tuple[list[Row], dict[str, str]]:
    """Rows of one export keyed by our field names, plus the column used for each field."""
    path = _resolve(root, name, diagnostics)
    if path is None:
        return [], {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not UTF-8 text (byte {exc.start}: {exc.reason}); export as UTF-8",
                          Location(name), "encoding")
        return [], {}
    reader = _json_rows if path.suffix.lower() == ".json" else _csv_rows
    rows = list(reader(text, name, settings, diagnostics))
    return rows, {field: settings.column(field) for field in FIELDS}


def load_records(root: Path, settings: CustomerSettings, diagnostics: Diagnostics, *,
                 audiences: set[str] | None = None, tiers: list[str] | None = None
                 ) -> list[CustomerRecord]:
    """Every good record of every export file; bad rows are reported and left out."""
    records: list[CustomerRecord] = []
    seen: dict[str, Location] = {}
    for name in data_files(Path(root), settings):
        rows, columns = read_rows(Path(root), name, settings, diagnostics)
        for location, raw in rows:
            record = parse_row(raw, location, settings, diagnostics, columns=columns,
                               audiences=audiences, tiers=tiers, seen=seen)
            if record is not None:
                records.append(record)
    return records
