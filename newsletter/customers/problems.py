"""Row problems as one line each, `file:row` first, and at most CAP lines of each kind.

A broken export (a decimal comma read with `decimal = "."`, say) can make every row wrong
the same way; nobody reads 100,000 identical warnings, so each kind shows its first CAP
rows and then one line with how many more there are.
"""

from __future__ import annotations

import re

from ..core.diagnostics import Diagnostic, Location, Severity
from ..content.customer_settings import CustomerSettings

#: Lines shown per kind of problem (per file, field and reason).
CAP = 20

REASONS = {
    "nan": "not a number",
    "neg": "must be a number of 0 or more",
    "whole": "must be a whole number",
    "range10": "must be a whole number from 0 to 10",
    "range100": "must be a percentage from 0 to 100",
    "locale": "not a language tag such as en, pt-BR, ru, zh-CN",
    "email": "not an email address",
    "yesno": "not yes or no (read as no)",
}


def _label(settings: CustomerSettings, field: str) -> str:
    column = settings.column(field)
    return field if column == field else f"{field} (column '{column}')"


def _reason(code: str, settings: CustomerSettings) -> str:
    if code == "sep":
        sep = "," if settings.decimal == "." else "."
        return (f"has a '{sep}' that is not a thousands separator "
                f"(set [customers] decimal = \"{sep}\" if it marks decimals)")
    if code == "date":
        shown = [f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in settings.date_formats]
        return f"not a date like {' or '.join(dict.fromkeys(['YYYY-MM-DD', *shown]))}"
    return REASONS[code]


def row_problem(row: tuple, settings: CustomerSettings, audiences: list[str] | None,
                tiers: list[str]) -> Diagnostic:
    """The line for one row of problems.sql."""
    _, file, line, _, field, code, got, no_id, no_name, first_file, first_line, *_ = row
    where = Location(file, line)
    if field == "skip":
        if code == "missing":
            missing = [_label(settings, f) for f, gone in (("id", no_id), ("name", no_name)) if gone]
            return Diagnostic(Severity.ERROR, f"row skipped: no {' and no '.join(missing)}", where,
                              "customer-row")
        at = f"line {first_line}" if first_file == file else f"{first_file}:{first_line}"
        return Diagnostic(Severity.ERROR, f"row skipped: customer id '{got}' already used at {at}",
                          where, "customer-duplicate")
    label = _label(settings, field)
    if code == "audience":
        text = (f"{label}: unknown audience '{got}' (known: {', '.join(sorted(audiences or []))}); "
                "value ignored")
    elif code == "tier":
        text = f"{label}: unknown loyalty tier '{got}' (known: {', '.join(tiers)}); value ignored"
    elif code == "redeemed":
        redeemed, issued = got.split("/")
        text = f"{label}: more redeemed ({redeemed}) than issued ({issued}); counted as none unused"
    elif code == "ltv":
        factors = " x ".join(_label(settings, f) for f in ("purchases_per_year", "average_order_value",
                                                          "expected_years"))
        text = (f"lifetime value: {factors} must be under 10^18, in at most 38 digits "
                f"(got {str(got)[:40]!r}); value ignored")
    elif code == "order":
        text = f"{label}: expires before it was granted; consent treated as expired"
    else:
        text = f"{label}: {_reason(code, settings)} (got {str(got)[:40]!r}); value ignored"
    return Diagnostic(Severity.WARNING, text, where, "customer-value")


def more_like_this(row: tuple, first: Diagnostic) -> Diagnostic:
    """The line that stands for the rows of one kind past the first CAP."""
    total = row[-1]
    kind = re.sub(r" \(got .*?\); value ignored$", "", first.message)
    return Diagnostic(first.severity, f"… and {total - CAP} more rows like this ({kind})",
                      Location(row[1], row[2]), first.code)


def cap(items: list[Diagnostic]) -> list[Diagnostic]:
    """At most CAP diagnostics of each kind (file, code, message without its values), then one summary."""
    seen: dict[tuple, list] = {}
    out: list[Diagnostic] = []
    for item in items:
        kind = (item.location.file if item.location else "", item.code,
                re.sub(r"'[^']*'|\d+", "…", item.message))
        entry = seen.setdefault(kind, [0, None])
        entry[0] += 1
        if entry[0] <= CAP:
            out.append(item)
        elif entry[0] == CAP + 1:
            entry[1] = len(out)
            out.append(item)  # replaced below once the total is known
    for (_, _, _), (count, index) in seen.items():
        if index is not None:
            first = out[index]
            out[index] = Diagnostic(first.severity, f"… and {count - CAP} more rows like this "
                                    f"({first.message})", first.location, first.code)
    return out
