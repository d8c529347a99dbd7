"""The customer metrics as SQL: the named queries in `sql/`, filled in from the settings.

`sql/*.sql` hold every query the engine runs; this module reads them and writes the
pieces that depend on `[customers]` (the tier rules, the onboarding curve, separators and
date formats) as SQL literals. `for_dialect` transpiles the portable metric definitions
(profiles.sql, nps.sql, ladder.sql) with sqlglot for a user's warehouse.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from re import escape as re_escape

import sqlglot

from ..content.customer_settings import FIELDS, CustomerSettings, TierRule

#: Values of the marketing_opt_in column read as yes and as no (compared lower-cased).
OPT_IN_YES = ("yes", "y", "true", "1", "x", "on", "opt-in", "opted in", "subscribed",
              "sim", "sí", "si", "да", "是")
OPT_IN_NO = ("no", "n", "false", "0", "off", "opt-out", "opted out", "unsubscribed",
             "não", "nao", "нет", "否")
#: Dialects `newsletter customers --sql` names in its help; sqlglot knows more.
DIALECTS = ("duckdb", "spark", "bigquery", "snowflake", "postgres", "redshift", "databricks",
            "trino", "mysql", "tsql")


@cache
def text(name: str) -> str:
    """The SQL file `sql/<name>.sql`."""
    return resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def literal(value: object) -> str:
    """A Python value as a SQL literal (strings quoted with '' doubled)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _in(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(literal(v) for v in values)


def _rule(rule: TierRule) -> str:
    """A tier rule as a condition on `audience`, `ltv`, `years` and `nps`."""
    parts = []
    if rule.audiences is not None:
        parts.append(f"audience IN ({_in(rule.audiences)})" if rule.audiences else "FALSE")
    if rule.min_ltv:
        # Rounded so 12.35 x 3 x 40 counts as the 1482 it is, not 1481.9999999999998.
        parts.append(f"ROUND(ltv, 6) >= {literal(float(rule.min_ltv))}")
    if rule.min_years:
        parts.append(f"years >= {literal(float(rule.min_years))}")
    if rule.min_nps is not None:
        parts.append(f"nps >= {rule.min_nps}")
    return " AND ".join(parts) or "TRUE"


def tier_sql(settings: CustomerSettings) -> str:
    """The first rule met, top-down; the export's own tier first with tier_source = "export"."""
    whens = []
    if settings.tier_source == "export":
        whens.append("WHEN tier IS NOT NULL THEN tier")
    whens += [f"WHEN {_rule(r)} THEN {literal(r.name)}" for r in settings.tiers]
    return "CASE " + " ".join(whens) + " END"


def expected_progress_sql(curve: dict[int, float]) -> str:
    """Progress expected by `day_number`, joined by straight lines from 0% on day 0; NULL past the end."""
    if not curve:
        return "CAST(NULL AS DOUBLE)"
    points = [(0, 0.0)] + [(d, float(p)) for d, p in sorted(curve.items()) if d > 0]
    last_day = max(curve)
    whens = [f"WHEN day_number IS NULL OR day_number < 0 OR day_number > {last_day} THEN NULL",
             f"WHEN day_number >= {points[-1][0]} THEN {literal(points[-1][1])}"]
    for (d0, p0), (d1, p1) in reversed(list(zip(points, points[1:]))):
        whens.append(f"WHEN day_number >= {d0} THEN {literal(p0)} + ({literal(p1)} - {literal(p0)}) "
                     f"* (day_number - {d0}) / ({d1} - {d0})")
    return "CASE " + " ".join(whens) + " END"


def audience_locale_sql(locales: dict[str, str], default_locale: str) -> str:
    whens = " ".join(f"WHEN audience = {literal(a)} THEN {literal(loc)}" for a, loc in sorted(locales.items()))
    return f"CASE {whens} ELSE {literal(default_locale)} END" if whens else literal(default_locale)


def profiles_sql(settings: CustomerSettings, today: date | None, locales: dict[str, str],
                 default_locale: str, source: str = "customers") -> str:
    """profiles.sql for these settings; `today` None means CURRENT_DATE (for --sql).

    `source` is the table (or a parenthesised query) the customers come from.
    """
    return text("profiles").format(
        source=source,
        today=literal(today) if today else "CURRENT_DATE",
        expected_progress=expected_progress_sql(settings.onboarding_expected),
        tier=tier_sql(settings), threshold=literal(float(settings.onboarding_threshold)),
        audience_locale=audience_locale_sql(locales, default_locale))


def records_sql(settings: CustomerSettings) -> str:
    """records.sql for these settings: separators, date formats and opt-in words."""
    mark = settings.decimal
    sep = "," if mark == "." else "."
    formats = list(dict.fromkeys(["%Y-%m-%d", *settings.date_formats]))

    def dates(column: str) -> str:
        tries = ", ".join(f"TRY_STRPTIME({column}, {literal(f)})" for f in formats)
        return f"COALESCE(iso_date({column}), {tries})"

    return text("records").format(
        sep=sep, mark=mark, misplaced="\\" + sep + r"(\d{0,2}(\D|$)|\d{4})",
        dates_since=dates("since_text"), dates_granted=dates("granted_text"),
        dates_expires=dates("expires_text"), yes=_in(OPT_IN_YES), no=_in(OPT_IN_NO))


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def for_dialect(dialect: str, settings: CustomerSettings, locales: dict[str, str],
                default_locale: str) -> str:
    """The metric definitions for a warehouse: profiles as a view, then NPS and the ladder.

    Raises ValueError for a dialect sqlglot does not know.
    """
    try:
        sqlglot.Dialect.get_or_raise(dialect)
    except ValueError:
        raise ValueError(f"unknown SQL dialect {dialect!r} (try {', '.join(DIALECTS)})") from None
    statements = [
        ("profiles: every customer's metrics today (a view over your table `customers`)",
         "CREATE VIEW profiles AS " + _strip_comments(profiles_sql(settings, None, locales, default_locale))),
        ("NPS per audience and overall", _strip_comments(text("nps"))),
        ("the loyalty ladder", _strip_comments(text("ladder"))),
    ]
    out = []
    for title, sql in statements:
        transpiled = sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=True)[0]
        out.append(f"-- {title}\n{transpiled};\n")
    return "\n".join(out)


def metrics_sql(project, dialect: str) -> str:
    """`for_dialect` with a project's settings, audiences' languages and default language."""
    default_locale = project.config.project.default_locale
    locales = {a.id: a.locale or default_locale for a in project.audiences.values()}
    return for_dialect(dialect, project.config.customers, locales, default_locale)


_SPACE = r"\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}"
_ISO = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
# A real day (no 29 February: a plain row never needs one), in a year from 1000.
_DAY = (r"[1-9][0-9]{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))")


def _shapes(settings: CustomerSettings, banned: str, numbers: bool = True) -> dict[str, str]:
    """The common shape of each field's cell (a regular expression; an empty cell matches
    too, but not for id and name); `banned` characters are in no cell (chr(1) for cells
    joined by it). Without `numbers`, the decimal mark is no cell's either."""
    text = rf"[^{_SPACE}{banned}]([^{banned}]*[^{_SPACE}{banned}])?"
    email = rf'[^@{_SPACE}<>"{banned}]+@[^@{_SPACE}<>"{banned}]+\.[^@{_SPACE}<>"{banned}]+'
    mark = re_escape(settings.decimal)
    fraction = rf"({mark}[0-9]{{1,4}})?" if numbers else ""
    number = rf"[0-9]{{1,6}}{fraction}"
    progress = rf"(100({mark}0+)?|[0-9]{{1,2}}({mark}[0-9]+)?)?" if numbers else "(100|[0-9]{1,2})?"
    shapes = {"id": text, "name": text, "email": f"({email})?",
              "since": f"({_ISO})?", "consent_granted": f"({_ISO})?", "consent_expires": f"({_ISO})?",
              "purchases_per_year": f"({number})?", "average_order_value": f"({number})?",
              "expected_years": f"({number})?", "nps": "(10|[0-9])?",
              "benefits_issued": "([0-9]{1,9})?", "benefits_redeemed": "([0-9]{1,9})?",
              "onboarding_progress": progress}
    return {f: shapes.get(f, f"({text})?") for f in FIELDS}


def plain_sql(settings: CustomerSettings, audiences: bool = True, tiers: bool = True) -> str:
    """A condition on a row of `raw` that holds only when records.sql finds no problem in it.

    The common shape of every cell (no space at either end, ISO dates, plain numbers below a
    million: lifetime values stay below 10^18) is one regular expression over the joined
    cells; membership (audiences, tiers, languages, yes/no words) and the comparisons of two
    fields are plain SQL. A row that is not plain may still be fine: records.sql decides.
    Reads the variables known_audiences and known_tiers (when `audiences` and `tiers`: without
    the project's lists every value is known) and plain_locales (valid language tags), which
    set_known_values sets: a lookup in a table would be a join, and a join may pass the rows
    on out of the file's order, which numbers them (reading.number_lines).
    """
    # Cells are joined with \x01 for one pattern per row; a cell holding \x01 is never plain.
    pattern = r"\x{01}".join(_shapes(settings, r"\x{01}").values())
    joined = ", ".join(f"coalesce(f_{f}, '')" for f in FIELDS)
    words = _in(OPT_IN_YES + OPT_IN_NO)
    known = ((" AND (f_audience IS NULL OR list_contains(getvariable('known_audiences'), f_audience))"
              if audiences else "")
             + (" AND (f_tier IS NULL OR list_contains(getvariable('known_tiers'), f_tier))" if tiers else ""))
    return (f"(regexp_full_match(concat_ws(chr(1), {joined}), {literal(pattern)}){known}"
            f" AND (f_locale IS NULL OR {plain_locale_sql('f_locale')})"
            f" AND (f_marketing_opt_in IS NULL OR lower(f_marketing_opt_in) IN ({words}))"
            " AND (f_since IS NULL OR TRY_CAST(f_since AS DATE) IS NOT NULL)"
            " AND (f_consent_granted IS NULL OR TRY_CAST(f_consent_granted AS DATE) IS NOT NULL)"
            " AND (f_consent_expires IS NULL OR TRY_CAST(f_consent_expires AS DATE) IS NOT NULL)"
            " AND NOT coalesce(TRY_CAST(f_consent_expires AS DATE) < TRY_CAST(f_consent_granted AS DATE), FALSE)"
            " AND NOT coalesce(TRY_CAST(f_benefits_redeemed AS BIGINT) > TRY_CAST(f_benefits_issued AS BIGINT),"
            " FALSE))")


def plain_locale_sql(cell: str) -> str:
    """A condition on the SQL text `cell`: one of the language tags in the variable plain_locales."""
    return f"regexp_full_match(replace({cell}, '_', '-'), getvariable('plain_locales'))"


def set_known_values(con, audiences: list[str] | None, tiers: list[str] | None, locales: list[str]) -> None:
    """Set the variables plain_sql and lines.py read: the project's audiences and tiers (when
    given, as lists) and the language tags a plain row may have (as a pattern: a thousand
    tags are looked up as fast as a join's hash table, 0.06 s a million rows)."""
    if audiences is not None:
        con.execute("SET VARIABLE known_audiences = $v", {"v": audiences})
    if tiers is not None:
        con.execute("SET VARIABLE known_tiers = $v", {"v": tiers})
    con.execute("SET VARIABLE plain_locales = $v", {"v": _exactly(locales) if locales else r"[^\x{0}-\x{10ffff}]"})


def _exactly(values: list[str]) -> str:
    """A pattern matching exactly one of `values` (every character escaped)."""
    return "(" + "|".join("".join(f"\\x{{{ord(c):x}}}" for c in v) for v in values) + ")"


def line_pattern(settings: CustomerSettings, columns: list[str | None], delimiter: str,
                 audiences: list[str] | None, tiers: list[str] | None) -> str:
    """A pattern for a whole CSV line (no quotes) whose cells, `columns` (our field per column,
    None for a column we do not read), meet plain_sql's shapes, with the project's
    audiences and tiers (when given), yes/no words and real ISO days written in. Languages
    and the comparisons of two fields are left to SQL (lines.py)."""
    banned = rf"\x{{01}}\x{{{ord(delimiter):x}}}"
    shapes = _shapes(settings, banned, numbers=settings.decimal != delimiter)
    for field in ("since", "consent_granted", "consent_expires"):
        shapes[field] = f"({_DAY})?"
    if audiences is not None:
        shapes["audience"] = f"{_exactly(audiences)}?"
    if tiers is not None:
        shapes["tier"] = f"{_exactly(tiers)}?"
    # Yes and no as written in lower case, capitalised or in capitals: lower() gives the word.
    words = sorted({v for w in OPT_IN_YES + OPT_IN_NO for v in (w, w.capitalize(), w.upper()) if v.lower() == w})
    shapes["marketing_opt_in"] = f"{_exactly(words)}?"
    anything = rf"[^{banned}]*"
    return rf"\x{{{ord(delimiter):x}}}".join(shapes[c] if c else anything for c in columns)


def named_sql(keys: list[str], name: str = "f_name") -> str:
    """A condition on a row of `raw` (its name cell the SQL `name`) that holds for every row
    whose name is keyed as one of `keys` (macros.sql's sql_key), and for the names only
    Python keys."""
    if not keys:
        return "FALSE"
    return f"coalesce(sql_key({name}) IN ({_in(keys)}), TRUE)"


def indented_object_sql(fields: list[tuple[str, str]], indent: int) -> str:
    """SQL writing one row as the JSON object `json.dumps(..., indent=2, ensure_ascii=False)`
    writes as an item of a list whose key line is indented by `indent` spaces: `fields` are
    (key, SQL expression) in order. The engine writes each value (to_json), so rows stream out
    as text instead of becoming Python objects."""
    item, inner = " " * (indent + 2), " " * (indent + 4)
    parts = []
    for number, (key, expression) in enumerate(fields):
        lead = ("{\n" if number == 0 else ",\n") + inner + json.dumps(key, ensure_ascii=False) + ": "
        parts.append(f"{literal(lead)} || coalesce(CAST(to_json({expression}) AS VARCHAR), 'null')")
    return f"{literal(item)} || " + " || ".join(parts) + f" || {literal(chr(10) + item + '}')}"
