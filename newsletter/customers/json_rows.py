"""Query results streamed out as JSON: the engine's rows written in pieces, never held in Python.

`write_json_array` writes the rows of a query as the JSON array DuckDB's COPY writes (a
large one as two halves at once, one per core, then joined), or rewrites each row in Python
for what only Python can write; `write_json_texts` writes rows that are JSON text already as
the indented list json.dumps writes. `one_thread` runs DuckDB's queries on one thread, for
ordered COPYs (the engine's cache writes too).
"""

from __future__ import annotations

import codecs
import json
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import duckdb

from . import queries

#: Rows of JSON text fetched at a time by write_json_texts.
JSON_BATCH = 20_000
#: Rows from which write_json_array writes its array as two halves, one per core.
JSON_SPLIT = 50_000
#: How DuckDB frames a JSON array (COPY ... ARRAY true) of at least one object.
_ARRAY_HEAD, _ARRAY_TAIL = b"[\n\t", b"}\n]\n"
#: A control character as the engine escapes it (\u001F) where Python writes \u001f; the
#: backslashes before it must be even (an escaped backslash followed by text is left alone).
_LOUD_ESCAPE = re.compile(r"((?<!\\)(?:\\\\)*)\\u00([0-9A-F]{2})")


class Source(Protocol):
    """What the writers need of an engine (engine.Engine): its connection, and `wait()` for
    the cache it may be writing aside."""

    con: duckdb.DuckDBPyConnection

    def wait(self) -> None: ...


def _framed(path: Path) -> bool:
    """Whether DuckDB wrote `path` as the JSON array of one or more objects _json_array joins."""
    with path.open("rb") as f:
        head = f.read(len(_ARRAY_HEAD))
        f.seek(-len(_ARRAY_TAIL), 2)
        return head == _ARRAY_HEAD and f.read() == _ARRAY_TAIL


def _chunks(path: Path, skip: int, drop: int) -> Iterator[bytes]:
    """The bytes of `path` in large chunks, without its first `skip` and last `drop` bytes."""
    left = path.stat().st_size - skip - drop
    with path.open("rb") as f:
        f.seek(skip)
        while left > 0 and (chunk := f.read(min(1 << 22, left))):
            left -= len(chunk)
            yield chunk


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the queries inside on one thread. An ordered COPY of a million rows costs
    twice the CPU time on two threads (4.4 against 2.1 s, the report at 1M rows) and is
    no faster: the rows must come out in order, which the threads then wait on."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


def write_json_array(engine: Source, sql: str, write: Callable[[str], object],
                     fix: Callable[[dict], dict] | None = None,
                     write_bytes: Callable[[bytes], object] | None = None) -> None:
    """The rows of `sql` on the engine as a JSON array of objects, in pieces to `write`.

    DuckDB writes the array to a temporary file, which is passed on in large chunks: a
    million rows never become a million Python objects. `fix` rewrites each row in Python
    instead (slower; for what only Python can write, such as babel's rarer number formats).
    `write_bytes`, when given, takes the engine's UTF-8 as it is (without `fix`): 330 MB at
    a million customers are then neither decoded nor encoded again. A cache being written
    aside (`Engine._store_aside`) is waited for once the rows are in order.
    """
    with tempfile.TemporaryDirectory(prefix="newsletter-json-") as tmp:
        path = Path(tmp) / "rows.json"
        if fix is None:
            if write_bytes is not None:
                for chunk in _json_array(engine, sql, Path(tmp)):
                    write_bytes(chunk)
                return
            decoder = codecs.getincrementaldecoder("utf-8")()
            for chunk in _json_array(engine, sql, Path(tmp)):
                write(decoder.decode(chunk))
            write(decoder.decode(b"", final=True))
            return
        engine.wait()
        with one_thread(engine.con):
            engine.con.execute(f"COPY ({sql}) TO {queries.literal(str(path))} (FORMAT json)")
        separator = "[\n"
        with path.open(encoding="utf-8") as f:
            while lines := f.readlines(1 << 22):
                write(separator + ",\n".join(json.dumps(fix(json.loads(line)), ensure_ascii=False)
                                              for line in lines))
                separator = ",\n"
        write("[]" if separator == "[\n" else "\n]")


def _json_array(engine: Source, sql: str, folder: Path) -> Iterator[bytes]:
    """The rows of `sql` as DuckDB writes them as a JSON array, in chunks. A large array is
    written as two halves at once, one per core, then joined: the rows are put in order
    first (on both cores), into a table whose row ids are their places, and each half
    is an ordered COPY of a range of them on one thread. The bytes are those of one COPY."""
    # Put in order while a changed export's cache is still being written (_store_aside),
    # one core each; then the halves have both.
    engine.con.execute(f"CREATE OR REPLACE TABLE json_rows AS {sql}")  # not TEMP: the halves' cursors read it
    engine.wait()
    try:
        count = engine.con.execute("SELECT count(*) FROM json_rows").fetchone()[0]
        paths = [folder / "rows0.json", folder / "rows1.json"] if count >= JSON_SPLIT else []
        with one_thread(engine.con):
            if paths:
                _copy_ranges(engine.con, [0, count // 2, count], paths)
            if not paths or not all(_framed(path) for path in paths):
                paths = [folder / "rows.json"]
                engine.con.execute(f"COPY json_rows TO {queries.literal(str(paths[0]))} (FORMAT json, ARRAY true)")
    finally:
        engine.con.execute("DROP TABLE IF EXISTS json_rows")
    # Each half is [\n\t{...},\n\t{...}\n]\n: the first without its end, the second
    # without its start, joined the way DuckDB separates two rows.
    for number, path in enumerate(paths):
        last = number == len(paths) - 1
        if number:
            yield b",\n"
        yield from _chunks(path, 0 if number == 0 else len(b"[\n"), 0 if last else len(b"\n]\n"))


def _copy_ranges(con: duckdb.DuckDBPyConnection, cuts: list[int], paths: list[Path]) -> None:
    """COPY the rows of json_rows from cuts[i] to cuts[i + 1] to paths[i], all at once."""
    errors: list[BaseException] = []

    def copy(lo: int, hi: int, path: Path, cursor: duckdb.DuckDBPyConnection) -> None:
        try:
            cursor.execute(f"COPY (SELECT * FROM json_rows WHERE rowid >= {lo} AND rowid < {hi}) TO "
                           f"{queries.literal(str(path))} (FORMAT json, ARRAY true)")
        except BaseException as exc:  # re-raised by the caller once every half is done
            errors.append(exc)
        finally:
            cursor.close()

    workers = [threading.Thread(target=copy, args=(cuts[i], cuts[i + 1], path, con.cursor()),
                                name="newsletter-json") for i, path in enumerate(paths)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def write_json_texts(engine: Source, sql: str, write: Callable[[str], object], indent: int,
                     params: dict | None = None) -> None:
    """The rows of `sql` on the engine, one column of JSON text each (queries.indented_object_sql),
    as the indented JSON list json.dumps writes under a key indented by `indent` spaces, in
    pieces to `write`: the rows are fetched a batch at a time, as text only."""
    cursor = engine.con.execute(sql, params or {})
    separator = "[\n"
    while rows := cursor.fetchmany(JSON_BATCH):
        piece = ",\n".join(row[0] for row in rows)
        if "\\u00" in piece:
            piece = _LOUD_ESCAPE.sub(lambda m: m.group(1) + "\\u00" + m.group(2).lower(), piece)
        write(separator + piece)
        separator = ",\n"
    write("[]" if separator == "[\n" else "\n" + " " * indent + "]")
