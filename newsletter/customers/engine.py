"""The customer-data engine: DuckDB reads the exports, parses and checks every row as a set.

`Engine.open` reads the export files into a `customers` view (typed columns, our field
names, over the table sql/records.sql makes in one pass: rows that are plainly fine are
cast directly, the others checked cell by cell; problems.sql then describes the few rows
with a problem from their raw cells), or, when the same files were read before with the
same settings, maps the cached Parquet copy instead (cache.py). A build's read of a plain
CSV takes whole lines and parses only the rows it needs (lines.py). Metrics for a day are one
query (sql/profiles.sql); the report, `suggest` and the checks query those profiles
rather than looping over rows in Python, and json_rows.py streams the results out as JSON.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
import threading
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from ..core.diagnostics import Diagnostic, Diagnostics, Location, Severity
from . import problems, queries
from .cache import Cache
from .json_rows import one_thread
from .names import name_key
from .lines import keep_needed, line_files, read_needed, read_while_scanned
from .reading import data_files, load_raw
from ..content.customer_settings import CustomerSettings

#: Columns of the `customers` table, in this order (CustomerRecord's fields plus bookkeeping).
CUSTOMER_COLUMNS = ["_order", "_file", "_line", "id", "name", "name_key", "company", "email",
                    "first_name", "locale", "audience", "since", "purchases_per_year",
                    "average_order_value", "expected_years", "ltv_text", "nps", "tier",
                    "consent_granted", "consent_expires", "benefits_issued", "benefits_redeemed",
                    "onboarding_progress", "marketing_opt_in"]
#: Memory DuckDB may use before it spills to disk: a million rows fit in far less.
MEMORY_LIMIT = "600MB"
#: The rows of `parsed` (records.sql) that are records: the `customers` view, and what the cache keeps.
_CUSTOMERS_SQL = f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM parsed WHERE NOT _skip"


@lru_cache(maxsize=4096)
def valid_locale(tag: str) -> bool:
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


@lru_cache(maxsize=16)
def plain_locales(project: tuple[str, ...]) -> list[str]:
    """Language tags a plain row may have: the project's and those babel has data for, as
    `en-GB` and `zh-Hans-CN`, and without the script (`zh-CN`); only valid ones (a few ms)."""
    tags = set(project)
    for name in locale_identifiers():
        parts = name.split("_")
        tags.add(name)
        if len(parts) == 3:
            tags.add(f"{parts[0]}_{parts[2]}")
    return sorted({t.replace("_", "-") for t in tags if valid_locale(t.replace("_", "-"))})


def _values_table(con: duckdb.DuckDBPyConnection, name: str, column: str, values: list[str]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({column} VARCHAR)")
    if values:
        # One statement: executemany costs 0.08 s for a thousand values.
        con.execute(f"INSERT INTO {name} SELECT unnest($values)", {"values": values})


class Engine:
    """One project's customer data in an in-memory DuckDB database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: CustomerSettings, files: list[str],
                 diagnostics: list[Diagnostic], locales: dict[str, str], default_locale: str,
                 has_opt_in: bool, partial: bool = False, names: Path | None = None):
        self.con = con
        # `customers` holds only the named customers (and rows with a problem): see open().
        self.partial = partial
        self.settings = settings
        self.files = files
        self.diagnostics = diagnostics
        self.locales = locales
        self.default_locale = default_locale
        self.has_opt_in = has_opt_in  # some export file has a marketing_opt_in column
        self.names = names  # the cached copy's names file (Cache.names_path), when read from the cache
        self._profiles: dict[date, str] = {}
        self._aside: threading.Thread | None = None  # the cache being written (_store_aside)
        self._threads = 0  # DuckDB's threads before _store_aside

    @classmethod
    def open(cls, root: Path, settings: CustomerSettings, *, audiences: set[str] | None,
             tiers: list[str] | None, locales: dict[str, str] | None = None,
             default_locale: str = "en", use_cache: bool = True,
             named: list[str] | None = None, check_plain: bool = True,
             store_aside: bool = False) -> "Engine | None":
        """Read (or map from the cache) the project's exports; None when it has none.

        With `named` (the customers stories name), a partial engine may be returned for what a
        build needs: every diagnostic, exactly as a full read gives them, but in `customers`
        only the rows of those names (and rows with a problem). Rows that are plainly fine
        (queries.plain_sql, lines.py) are checked by one pattern and not parsed, and the result
        is cached apart, small: a changed export costs the build about a quarter of a full read.
        `check_plain` False parses every row the long way (for tests that compare the two).
        `store_aside` writes a full read's cache on a thread of its own while the caller goes
        on (see _store_aside): the caller must call `wait()` before it returns.
        """
        root = Path(root)
        names = data_files(root, settings)
        if not names:
            return None
        con = cls._connect()
        cache = Cache(root)
        keys = sorted({name_key(n) for n in named}) if named is not None else None
        given = [*(locales or {}).values(), default_locale]
        early = None
        if keys is not None and check_plain:
            # A build of a changed export reads its lines while the files' facts are worked out.
            early = read_while_scanned(con, root, cache, names, settings, keys, audiences, tiers,
                                       lambda: cls._given(con, audiences, tiers, given))
        key = None
        if use_cache:
            key = cls._cache_key(root, cache, names, settings, audiences, tiers)
            meta = cache.meta(key) if key else None
            if meta is not None:
                con = cls._connect(con) if early is not None else con
                return cls._from_cache(con, cache, key, meta, settings, names, locales, default_locale,
                                       partial=False)
        part_key = Cache.key([], {"records": key, "named": keys}) if key and keys is not None else None
        if part_key:
            meta = cache.meta(part_key)
            if meta is not None:
                con = cls._connect(con) if early is not None else con
                return cls._from_cache(con, cache, part_key, meta, settings, names, locales, default_locale,
                                       partial=True)
        diagnostics = Diagnostics()
        if early is None:
            cls._given(con, audiences, tiers, given)
        facts = cache.facts
        mapped = None
        if keys is not None and check_plain:
            # A build: plain CSV files are read as lines, and only the rows it needs are parsed.
            files = line_files(root, names, settings, facts)
            if early is not None:
                read, counts = early
                same = files is not None and [f.head() for f in files] == [f.head() for f in read]
                mapped = keep_needed(con, files or [], counts if same else None, diagnostics)
            elif files:
                mapped = read_needed(con, files, settings, keys, audiences, tiers, diagnostics)
        if mapped is None:
            plain = queries.plain_sql(settings, audiences is not None, tiers is not None) if check_plain else "FALSE"
            mapped = load_raw(con, root, names, settings, diagnostics, facts, plain)
            if keys is not None:
                cls._keep_unplain(con, keys)
        has_opt_in = "marketing_opt_in" in mapped
        cls._known(con, audiences, tiers)
        con.execute(queries.records_sql(settings))
        con.execute(queries.text("duplicates"))
        found = problems.cap(diagnostics.items) + cls._row_problems(con, settings, audiences, tiers or [])
        found = sorted(found, key=lambda d: names.index(d.location.file)
                       if d.location and d.location.file in names else -1)
        cls._build_customers(con)
        engine = cls(con, settings, names, found, locales or {}, default_locale, bool(has_opt_in),
                     partial=keys is not None)
        if keys is not None and part_key:
            engine._store(cache, part_key, f"SELECT * FROM customers WHERE name_key IN "
                                           f"({', '.join(queries.literal(k) for k in keys) or 'NULL'})", few=True)
        elif key and store_aside:
            engine._store_aside(cache, key)
        elif key:
            engine._store(cache, key)
        return engine

    @staticmethod
    def _connect(old: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
        """A new in-memory database with our settings and macros (`old` closed)."""
        if old is not None:
            old.close()
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        # DuckDB draws a progress bar on stdout when it guesses it runs interactively (python -c,
        # a notebook): it would land inside `--format json` output.
        con.execute("SET enable_progress_bar = false")
        con.execute("SET preserve_insertion_order = true")
        con.execute(queries.text("macros"))
        return con

    @classmethod
    def _from_cache(cls, con: duckdb.DuckDBPyConnection, cache: Cache, key: str, meta: dict,
                    settings: CustomerSettings, names: list[str], locales: dict[str, str] | None,
                    default_locale: str, partial: bool) -> "Engine":
        con.execute("CREATE TEMP VIEW customers AS SELECT * FROM read_parquet("
                    f"{queries.literal(str(cache.records_path(key)))})")
        found = [Diagnostic(Severity(d["severity"]), d["message"],
                            Location(d["file"], d["line"] or 0, d["column"] or 0) if d["file"] else None,
                            d["code"]) for d in meta["diagnostics"]]
        return cls(con, settings, names, found, locales or {}, default_locale, meta["has_opt_in"], partial,
                   cache.names_path(key))

    @staticmethod
    def _keep_unplain(con: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
        """Keep in `raw` only the rows records.sql must parse for a build: those that are not
        plainly fine, those that may be one of the named customers, and those whose id is used
        more than once (duplicates.sql reports the later ones with the first)."""
        con.execute("ALTER TABLE raw RENAME TO raw_all")
        # A plain row's id and name are already trimmed and not empty.
        con.execute("CREATE TEMP TABLE repeated_ids AS SELECT CASE WHEN _plain THEN f_id ELSE cell(f_id) END AS id "
                    "FROM raw_all WHERE _plain OR (NOT _blank AND cell(f_id) IS NOT NULL AND cell(f_name) IS NOT NULL) "
                    "GROUP BY 1 HAVING count(*) > 1")
        con.execute("CREATE TEMP TABLE raw AS SELECT * FROM raw_all WHERE NOT _plain "
                    f"OR {queries.named_sql(keys)} "
                    "OR (EXISTS (FROM repeated_ids) AND cell(f_id) IN (SELECT id FROM repeated_ids)) "
                    "ORDER BY _fileno, _line")
        con.execute("DROP TABLE raw_all")
        con.execute("DROP TABLE repeated_ids")

    @staticmethod
    def _cache_key(root: Path, cache: Cache, names: list[str], settings: CustomerSettings,
                   audiences: set[str] | None, tiers: list[str] | None) -> str | None:
        files = []
        try:
            for name in names:
                path = root / name
                if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
                    return None  # the reader reports it; nothing worth caching
                files.append((name, cache.facts(name, path).sha256))
        except OSError:
            return None
        context = {"settings": settings.model_dump(mode="json"),
                   "audiences": sorted(audiences) if audiences is not None else None, "tiers": tiers}
        return Cache.key(files, context)

    @staticmethod
    def _given(con: duckdb.DuckDBPyConnection, audiences: set[str] | None, tiers: list[str] | None,
               locales: list[str]) -> None:
        """The values queries.plain_sql reads while the export is read: the project's audiences
        and tiers (when given; records.sql joins their tables too), and its valid language tags
        (a row with another tag is not plain, and records.sql checks it)."""
        if audiences is not None:
            _values_table(con, "known_audiences", "id", sorted(audiences))
        if tiers is not None:
            _values_table(con, "known_tiers", "name", list(tiers))
        queries.set_known_values(con, sorted(audiences) if audiences is not None else None,
                                 list(tiers) if tiers is not None else None,
                                 plain_locales(tuple(sorted({t for t in locales if t}))))

    @staticmethod
    def _known(con: duckdb.DuckDBPyConnection, audiences: set[str] | None, tiers: list[str] | None) -> None:
        """The tables of known audiences, tiers and valid language tags records.sql joins for
        the rows that are not plain (a plain row's are known: see _given)."""
        # Unknown audiences and tiers are only reported when the project's lists are given.
        if audiences is None:
            con.execute("CREATE OR REPLACE TEMP TABLE known_audiences AS "
                        "SELECT DISTINCT cell(f_audience) AS id FROM raw WHERE NOT _plain")
        if tiers is None:
            con.execute("CREATE OR REPLACE TEMP TABLE known_tiers AS "
                        "SELECT DISTINCT cell(f_tier) AS name FROM raw WHERE NOT _plain")
        tags = [t for (t,) in con.execute("SELECT DISTINCT replace(cell(f_locale), '_', '-') FROM raw "
                                          "WHERE NOT _plain AND cell(f_locale) IS NOT NULL").fetchall()]
        _values_table(con, "good_locales", "tag", sorted(t for t in tags if valid_locale(t)))

    @staticmethod
    def _row_problems(con: duckdb.DuckDBPyConnection, settings: CustomerSettings,
                      audiences: set[str] | None, tiers: list[str]) -> list[Diagnostic]:
        rows = con.execute(queries.text("problems").format(cap=problems.CAP)).fetchall()
        known = sorted(audiences) if audiences is not None else None
        out: list[Diagnostic] = []
        firsts: dict[tuple, Diagnostic] = {}
        for row in rows:
            nth = row[-2]
            kind = (row[0], row[4], row[5])
            if nth <= problems.CAP:
                item = problems.row_problem(row, settings, known, tiers)
                firsts.setdefault(kind, item)
                out.append(item)
            else:
                out.append(problems.more_like_this(row, firsts[kind]))
        return out

    @staticmethod
    def _build_customers(con: duckdb.DuckDBPyConnection) -> None:
        # Names SQL cannot key exactly are keyed the way stories are (NFKC, casefold) by Python,
        # once per distinct name. _order is the file's place, then the line: no sort needed.
        names = [n for (n,) in con.execute("SELECT DISTINCT name FROM parsed "
                                           "WHERE NOT _skip AND name_key IS NULL").fetchall()]
        con.execute("CREATE OR REPLACE TEMP TABLE unicode_keys (name VARCHAR, name_key VARCHAR)")
        if names:
            buffer = io.StringIO()
            csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
                (n, name_key(n)) for n in names)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv", delete=False) as tmp:
                tmp.write(buffer.getvalue())
            try:
                con.execute("INSERT INTO unicode_keys SELECT * FROM read_csv($path, header=false, delim=',', "
                            "quote='\"', escape='\"', auto_detect=false, "
                            "columns={'name': 'VARCHAR', 'name_key': 'VARCHAR'}, parallel=false)",
                            {"path": tmp.name})
            finally:
                Path(tmp.name).unlink()
        # Keyed in place: a million rows are not copied for the few names SQL cannot key.
        con.execute("UPDATE parsed SET name_key = k.name_key FROM unicode_keys AS k "
                    "WHERE parsed.name_key IS NULL AND k.name = parsed.name")
        con.execute(f"CREATE OR REPLACE TEMP VIEW customers AS {_CUSTOMERS_SQL}")
        con.execute("DROP TABLE IF EXISTS raw")
        con.execute("DROP TABLE IF EXISTS unicode_keys")

    def _store(self, cache: Cache, key: str, rows: str = "SELECT * FROM customers",
               con: duckdb.DuckDBPyConnection | None = None, few: bool = False) -> None:
        """Keep the records for next time; a cache that cannot be written is only slower.
        `con`: a cursor already on one thread (_store_aside) instead of the engine's own.
        `few`: `rows` are a handful (a build's named customers), written as the engine runs."""
        try:
            tmp, names = cache.tmp_records_path(key), cache.tmp_records_path(key, ".names")
            # The records as they come, and their names sorted apart (where_named): sorting the
            # records themselves cost 2.3 to 3.3 CPU-s at a million rows, these two 1.5 and
            # 0.7. On one thread: on two, an ordered COPY costs more CPU time in the same time
            # (but going to one thread and back costs 0.03 s, more than a few rows take).
            # Snappy, not zstd: the changed export's report waits for this write, which zstd
            # made 0.1-0.2 s longer at a million rows (for a file half the size: 27 against 52 MB).
            with one_thread(self.con) if con is None and not few else contextlib.nullcontext():
                (con or self.con).execute(f"COPY ({rows}) TO {queries.literal(str(tmp))} "
                                          "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 16384)")
                (con or self.con).execute(f"COPY (SELECT name_key, _order FROM ({rows}) ORDER BY name_key, _order) "
                                          f"TO {queries.literal(str(names))} (FORMAT parquet, COMPRESSION snappy, "
                                          "ROW_GROUP_SIZE 16384)")
            cache.commit_records(tmp, names, key)
            cache.save_meta(key, {"files": self.files, "has_opt_in": self.has_opt_in,
                                  "diagnostics": [d.to_dict() for d in self.diagnostics]})
            cache.save_index()
        except (OSError, duckdb.Error):
            pass
        finally:
            if con is not None:
                con.close()

    def _store_aside(self, cache: Cache, key: str) -> None:
        """Write the cache on a cursor of its own, in a thread, while the caller goes on (the
        profiles, the report: 1.4 CPU-s at a million rows that no longer wait for each other).
        DuckDB runs on one thread meanwhile, for every query: each of the two then has a core
        (two threads each would only compete for them, and an ordered COPY costs twice the
        CPU on two). `wait()` joins it and gives the engine both cores back."""
        self._threads = int(self.con.execute("SELECT current_setting('threads')").fetchone()[0])
        self.con.execute("SET threads = 1")
        self._aside = threading.Thread(target=self._store, args=(cache, key, _CUSTOMERS_SQL, self.con.cursor()),
                                       name="newsletter-customer-cache")
        self._aside.start()

    def wait(self) -> None:
        """Let the cache write started by `Engine.open(store_aside=True)` finish (no thread is
        left running) and give DuckDB its threads back. Does nothing when there is none."""
        if self._aside is not None:
            self._aside.join()
            self._aside = None
            self.con.execute(f"SET threads = {self._threads}")

    def where_named(self, keys: list[str]) -> str:
        """A condition on `customers` for the rows of these name keys. From the cache, their
        places are looked up in the sorted names file first, so that DuckDB reads only the
        row groups of the records that hold them (each keeps its min and max _order)."""
        wanted = ", ".join(queries.literal(k) for k in keys) or "NULL"
        if self.names is None:
            return f"name_key IN ({wanted})"
        found = self.con.execute(f"SELECT _order FROM read_parquet({queries.literal(str(self.names))}) "
                                 f"WHERE name_key IN ({wanted}) ORDER BY _order").fetchall()
        return f"_order IN ({', '.join(str(order) for (order,) in found) or 'NULL'})"

    # Queries -----------------------------------------------------------------------------

    def profiles_table(self, today: date) -> str:
        """The name of a table of every customer's metrics on `today` (computed once per day)."""
        if today not in self._profiles:
            table = f"profiles_{today.strftime('%Y%m%d')}"
            sql = queries.profiles_sql(self.settings, today, self.locales, self.default_locale)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}")
            self._profiles[today] = table
        return self._profiles[today]

    def profiles_where(self, today: date, where: str, table: str = "customers") -> str:
        """SQL for the metrics on `today` of only the customers that meet `where` (no table made)."""
        return queries.profiles_sql(self.settings, today, self.locales, self.default_locale,
                                    source=f"(SELECT * FROM {table} WHERE {where})")

    def use_profiles(self, today: date, table: bool = True) -> None:
        """Point the view `profiles` (read by nps.sql, ladder.sql...) at the metrics on `today`:
        a table of them made once per day, or with `table` False their SQL itself, for a few
        scans that read a few columns each (the report's three cost less than the table's
        0.75 CPU-s at a million customers)."""
        source = (f"SELECT * FROM {self.profiles_table(today)}" if table else
                  queries.profiles_sql(self.settings, today, self.locales, self.default_locale))
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW profiles AS {source}")

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(sql, params or {}).fetchall()

    def count(self) -> int:
        return self.con.execute("SELECT count(*) FROM customers").fetchone()[0]
