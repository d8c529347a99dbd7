"""Customer data bound to a project: the engine's tables, and Python objects when few are needed.

Commands over every customer (the report, `suggest`, the contacts export) query the
engine; `records`, `profiles` and `find` build Python objects for the small uses (the
checks' featured customers, a scaffolded story, preview samples, tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..content.customer_settings import CustomerSettings
from ..core.diagnostics import Diagnostic, Diagnostics, Location
from ..core.names import CONFIG_FILE
from ..core.sourcemap import SourceError, SourceMap, load_toml
from .engine import CUSTOMER_COLUMNS, Engine, name_key
from .json_rows import write_json_texts
from .reading import data_files, has_data
from .metrics import Profile
from .queries import indented_object_sql
from .records import CustomerRecord

__all__ = ["CustomerData", "load_customer_data", "name_key", "has_data"]

#: Problems that leave the data unusable, not just a row: checks that need the data fail.
FILE_CODES = {"customer-file", "customer-column", "encoding", "syntax", "unknown-tier"}
_PROFILE_COLUMNS = ["years", "nps_group", "computed_tier", "unused_benefits", "expected_progress",
                    "onboarding_behind", "message_locale"]


def _number(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).normalize() if value != int(value) else Decimal(int(value))


def record_from_row(row: dict) -> CustomerRecord:
    """A CustomerRecord from one row of the `customers` table."""
    return CustomerRecord(
        id=row["id"], name=row["name"], location=Location(row["_file"], row["_line"]),
        company=row["company"], email=row["email"], first_name=row["first_name"],
        locale=row["locale"], audience=row["audience"], since=row["since"],
        purchases_per_year=_number(row["purchases_per_year"]),
        average_order_value=_number(row["average_order_value"]),
        expected_years=_number(row["expected_years"]), nps=row["nps"], tier=row["tier"],
        consent_granted=row["consent_granted"], consent_expires=row["consent_expires"],
        benefits_issued=row["benefits_issued"], benefits_redeemed=row["benefits_redeemed"],
        onboarding_progress=row["onboarding_progress"], marketing_opt_in=row["marketing_opt_in"])


@dataclass
class CustomerData:
    """A project's customer data and the settings and context to compute their metrics."""

    settings: CustomerSettings
    engine: Engine
    files: list[str]
    diagnostics: Diagnostics
    tiers: list[str]  # loyalty tiers, lowest first
    top_tiers: list[str]
    currency: str
    locales: dict[str, str]  # audience id -> locale
    default_locale: str
    _records: list[CustomerRecord] | None = field(default=None, repr=False)
    _profiles: dict[date, list[Profile]] = field(default_factory=dict, repr=False)
    _named: set[str] = field(default_factory=set, repr=False)
    _named_on: dict[date, list[Profile]] = field(default_factory=dict, repr=False)

    @property
    def partial(self) -> bool:
        """Whether only the customers named when loading are here (load_customer_data's `named`)."""
        return self.engine.partial

    def _whole(self) -> None:
        if self.engine.partial:
            raise ValueError("customer data loaded for named customers only: load it without `named`")

    @property
    def records(self) -> list[CustomerRecord]:
        """Every good record, in file and row order (builds one object per customer)."""
        self._whole()
        if self._records is None:
            self._records = [record_from_row(r) for r in self._rows(
                "SELECT * FROM customers ORDER BY _order")]
        return self._records

    @property
    def unusable(self) -> list[Diagnostic]:
        """Problems with whole files (missing, unreadable, no id or name column)."""
        return [d for d in self.diagnostics.errors if d.code in FILE_CODES]

    def _rows(self, sql: str, params: dict | None = None) -> list[dict]:
        cursor = self.engine.con.execute(sql, params or {})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def keep_named(self, names: list[str]) -> None:
        """Copy the rows of customers with these names aside (one scan of the data), so that
        `profiles_named` for any day reads only them: the checks ask once per message."""
        keys = sorted({name_key(n) for n in names})
        self.engine.con.execute("CREATE OR REPLACE TEMP TABLE named_customers AS "
                                f"SELECT * FROM customers WHERE {self.engine.where_named(keys)}")
        self._named = set(keys)
        self._named_on = {}

    def profile_rows(self, today: date, where: str = "TRUE", params: dict | None = None,
                     order: str = "_order", few: bool = False, table: str = "customers") -> list[Profile]:
        """Profiles on `today` of the customers that meet a SQL condition, in row order.

        `few` computes the metrics of those customers only, instead of everyone's for the day
        (for the checks, which need a handful of customers on each issue's send date).
        """
        columns = ", ".join(CUSTOMER_COLUMNS + _PROFILE_COLUMNS)
        if not few:
            self._whole()  # every customer's metrics: a partial load has only some
        if few:
            sql = f"SELECT {columns} FROM ({self.engine.profiles_where(today, where, table)}) ORDER BY {order}"
        else:
            table = self.engine.profiles_table(today)
            sql = f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {order}"
        rows = self._rows(sql, params)
        return [Profile(record_from_row(r), None if r["ltv_text"] is None else Decimal(r["ltv_text"]),
                        r["years"], r["nps_group"], r["computed_tier"], r["unused_benefits"],
                        r["expected_progress"], r["onboarding_behind"], r["message_locale"])
                for r in rows]

    def write_profiles_json(self, write: Callable[[str], object], today: date, fields: list[tuple[str, str]],
                            where: str = "TRUE", params: dict | None = None, order: str = "_order",
                            indent: int = 0) -> None:
        """The customers that meet `where`, as `profile_rows` finds them, written to `write` as
        the indented JSON list json.dumps(indent=2) writes under a key indented by `indent`
        spaces: one object of `fields` (key, SQL expression on the day's metrics) each. The
        engine writes the text, so a hundred thousand customers never become Python objects."""
        self._whole()
        table = self.engine.profiles_table(today)
        sql = f"SELECT {indented_object_sql(fields, indent)} FROM {table} WHERE {where} ORDER BY {order}"
        write_json_texts(self.engine, sql, write, indent, params)

    def first_seen(self, today: date, column: str, where: str = "TRUE", params: dict | None = None,
                   order: str = "_order") -> list:
        """The distinct values of `column` among the customers that meet `where`, in the order
        their first customer comes in `order`."""
        self._whole()
        table = self.engine.profiles_table(today)
        sql = (f"SELECT value FROM (SELECT {column} AS value, row_number() OVER (ORDER BY {order}) AS pos "
               f"FROM {table} WHERE {where}) GROUP BY value ORDER BY min(pos)")
        return [value for (value,) in self.engine.query(sql, params)]

    def profiles(self, today: date) -> list[Profile]:
        """Every customer's metrics as of `today` (tenure, onboarding and so tiers depend on it)."""
        if today not in self._profiles:
            self._profiles[today] = self.profile_rows(today)
        return self._profiles[today]

    def profiles_named(self, names: list[str], today: date) -> dict[str, list[Profile]]:
        """Profiles on `today` of customers with these names (matched like stories), by name key."""
        keys = sorted({name_key(n) for n in names})
        found: dict[str, list[Profile]] = {}
        if keys and set(keys) <= self._named:
            # One query per day for everyone kept aside, then picked from in Python.
            if today not in self._named_on:
                self._named_on[today] = self.profile_rows(today, few=True, table="named_customers")
            wanted = set(keys)
            for p in self._named_on[today]:
                if name_key(p.name) in wanted:
                    found.setdefault(name_key(p.name), []).append(p)
        elif keys:
            for p in self.profile_rows(today, "name_key IN (SELECT unnest($keys))", {"keys": keys}, few=True):
                found.setdefault(name_key(p.name), []).append(p)
        return found

    def profile_by_id(self, customer_id: str, today: date) -> Profile | None:
        self._whole()
        found = self.profile_rows(today, "id = $id", {"id": customer_id}, few=True)
        return found[0] if found else None

    def find(self, profiles: list[Profile], name: str, company: str | None = None) -> Profile | None:
        """The profile a story's customer refers to: by name, and by company when names repeat."""
        key = name_key(name)
        matches = [p for p in profiles if name_key(p.name) == key]
        if len(matches) > 1 and company:
            matches = [p for p in matches if name_key(p.record.company or "") == name_key(company)] or matches
        return matches[0] if matches else None

    def rank(self, tier: str | None) -> int:
        """Position on the ladder, higher is better; -1 for no tier."""
        return self.tiers.index(tier) if tier in self.tiers else -1


def _tier_names_ok(root: Path, settings: CustomerSettings, tiers: list[str],
                   diagnostics: Diagnostics) -> None:
    smap = None
    for index, rule in enumerate(settings.tiers):
        if rule.name in tiers:
            continue
        if smap is None:
            try:
                _, smap = load_toml((root / CONFIG_FILE).read_text(encoding="utf-8"))
            except (OSError, SourceError, UnicodeDecodeError):
                smap = SourceMap()  # the config was already reported by the reader
        line, col = smap.locate(("customers", "tiers", index, "name"))
        diagnostics.error(f"customers.tiers[{index}]: '{rule.name}' is not one of loyalty.tiers "
                          f"({', '.join(tiers)})", Location(CONFIG_FILE, line, col), "unknown-tier")


def load_customer_data(project, diagnostics: Diagnostics | None = None,
                       named: list[str] | None = None, store_aside: bool = False) -> CustomerData | None:
    """Read the project's customer exports (or their cached copy); None when it has none.

    Problems go to `diagnostics` (a fresh one when not given, kept on the result). With
    `named`, the result may hold only the customers of those names (`partial`: for
    `keep_named` and `profiles_named`), with every diagnostic: what a build needs, at a
    fraction of the cost of reading every row (Engine.open). `store_aside`: a changed export's
    cache is written on a thread of its own while the caller goes on, and the caller must call
    `engine.wait()` before it returns (Engine.open).
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    config = project.config
    root = Path(project.root)
    settings = config.customers
    if not data_files(root, settings):
        return None
    tiers = list(config.loyalty.tiers)
    _tier_names_ok(root, settings, tiers, diagnostics)
    default_locale = config.project.default_locale
    locales = {a.id: a.locale or default_locale for a in project.audiences.values()}
    engine = Engine.open(root, settings, audiences=set(project.audiences), tiers=tiers,
                         locales=locales, default_locale=default_locale, named=named, store_aside=store_aside)
    diagnostics.extend(engine.diagnostics)
    return CustomerData(settings, engine, engine.files, diagnostics, tiers, list(config.loyalty.top_tiers),
                        settings.currency, locales, default_locale)
