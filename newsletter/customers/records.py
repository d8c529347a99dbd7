"""The customer record: one row of a CRM or ESP export, parsed and validated.

A row without an id or name, or with an id seen before, is an error and is skipped. A
value that cannot be read (a date in the wrong format, an NPS of 11) is a warning and is
treated as unknown, so one typo never hides a customer from the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError

from ..content.customer_settings import REQUIRED_FIELDS, CustomerSettings
from ..core.diagnostics import Diagnostics, Location


@dataclass(frozen=True)
class CustomerRecord:
    """What the export says about one customer; `location` is its file and row."""

    id: str
    name: str
    location: Location
    company: str | None = None
    email: str | None = None
    first_name: str | None = None
    locale: str | None = None
    audience: str | None = None
    since: date | None = None
    purchases_per_year: Decimal | None = None
    average_order_value: Decimal | None = None
    expected_years: Decimal | None = None
    nps: int | None = None
    tier: str | None = None
    consent_granted: date | None = None
    consent_expires: date | None = None
    benefits_issued: int | None = None
    benefits_redeemed: int | None = None
    onboarding_progress: float | None = None

    def consent_problem(self, start: date, end: date | None = None) -> str | None:
        """Why the consent on record does not cover `start`..`end`; None if it does or is unknown."""
        end = end or start
        if self.consent_granted is None and self.consent_expires is None:
            return None
        if self.consent_granted is None:
            return "has no consent grant date in the customer data"
        if self.consent_granted > start:
            return f"consent in the customer data starts {self.consent_granted.isoformat()}"
        if self.consent_expires is not None and self.consent_expires < end:
            return f"consent in the customer data expired {self.consent_expires.isoformat()}"
        return None

    @property
    def has_consent_data(self) -> bool:
        return self.consent_granted is not None or self.consent_expires is not None


_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_date(value: Any, formats: list[str]) -> date:
    text = str(value).strip()
    for fmt in ["%Y-%m-%d", *formats]:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    shown = [f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in formats]
    raise ValueError(f"not a date like {' or '.join(dict.fromkeys(['YYYY-MM-DD', *shown]))}")


def parse_number(value: Any, decimal_mark: str = ".") -> Decimal:
    """A non-negative number; currency signs, spaces and thousands separators are ignored."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
    else:
        # Keep digits, separators and a sign: "R$ 1.234,50" and "1 234,50 ₽" read the same.
        text = re.sub(r"[^0-9.,\-]", "", str(value))
        thousands = "," if decimal_mark == "." else "."
        # A thousands separator is always followed by three digits; "500,00" with a "."
        # decimal mark is a misconfigured export, not fifty thousand.
        if re.search(rf"\{thousands}(?!\d{{3}}(?!\d))", text):
            raise ValueError(f"has a '{thousands}' that is not a thousands separator "
                             f"(set [customers] decimal = \"{thousands}\" if it marks decimals)")
        text = text.replace(thousands, "").replace(decimal_mark, ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("not a number") from None
    if not number.is_finite() or number < 0:
        raise ValueError("must be a number of 0 or more")
    return number


def parse_count(value: Any, decimal_mark: str = ".") -> int:
    number = parse_number(value, decimal_mark)
    if number != number.to_integral_value():
        raise ValueError("must be a whole number")
    return int(number)


def parse_nps(value: Any, decimal_mark: str = ".") -> int:
    score = parse_count(value, decimal_mark)
    if score > 10:
        raise ValueError("must be a whole number from 0 to 10")
    return score


def parse_percent(value: Any, decimal_mark: str = ".") -> float:
    progress = float(parse_number(str(value).replace("%", "") if isinstance(value, str) else value,
                                  decimal_mark))
    if progress > 100:
        raise ValueError("must be a percentage from 0 to 100")
    return progress


def parse_locale(value: Any) -> str:
    text = str(value).strip().replace("_", "-")
    try:
        Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError("not a language tag such as en, pt-BR, ru, zh-CN") from None
    return text


def parse_email(value: Any) -> str:
    text = str(value).strip()
    if not _EMAIL.fullmatch(text):
        raise ValueError("not an email address")
    return text


def _parsers(settings: CustomerSettings) -> dict[str, Any]:
    mark = settings.decimal
    number = lambda v: parse_number(v, mark)  # noqa: E731
    day = lambda v: parse_date(v, settings.date_formats)  # noqa: E731
    return {
        "email": parse_email, "locale": parse_locale, "since": day,
        "purchases_per_year": number, "average_order_value": number, "expected_years": number,
        "nps": lambda v: parse_nps(v, mark), "consent_granted": day, "consent_expires": day,
        "benefits_issued": lambda v: parse_count(v, mark),
        "benefits_redeemed": lambda v: parse_count(v, mark),
        "onboarding_progress": lambda v: parse_percent(v, mark),
    }


def parse_row(raw: Mapping[str, Any], location: Location, settings: CustomerSettings,
              diagnostics: Diagnostics, *, columns: Mapping[str, str] | None = None,
              audiences: set[str] | None = None, tiers: list[str] | None = None,
              seen: dict[str, Location] | None = None) -> CustomerRecord | None:
    """One record from a row keyed by our field names, or None if it must be skipped.

    `columns` names the export's column for each field (for messages); `audiences` and
    `tiers` are the project's known ids, checked when given; `seen` collects ids and rows.
    """
    columns = columns or {}

    def label(field: str) -> str:
        column = columns.get(field, field)
        return field if column == field else f"{field} (column '{column}')"

    values: dict[str, Any] = {}
    for field in REQUIRED_FIELDS:
        values[field] = _text(raw.get(field))
    missing = [label(f) for f in REQUIRED_FIELDS if values[f] is None]
    if missing:
        diagnostics.error(f"row skipped: no {' and no '.join(missing)}", location, "customer-row")
        return None
    if seen is not None:
        first = seen.get(values["id"])
        if first is not None:
            where = f"line {first.line}" if first.file == location.file else str(first)
            diagnostics.error(f"row skipped: customer id '{values['id']}' already used at {where}",
                              location, "customer-duplicate")
            return None
        seen[values["id"]] = location
    for field in ("company", "first_name", "audience", "tier"):
        values[field] = _text(raw.get(field))
    for field, parse in _parsers(settings).items():
        value = raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            values[field] = parse(value)
        except ValueError as exc:
            diagnostics.warning(f"{label(field)}: {exc} (got {str(value)[:40]!r}); value ignored",
                                location, "customer-value")
    if audiences is not None and values["audience"] and values["audience"] not in audiences:
        diagnostics.warning(f"{label('audience')}: unknown audience '{values['audience']}' "
                            f"(known: {', '.join(sorted(audiences))}); value ignored",
                            location, "customer-value")
        values["audience"] = None
    if tiers is not None and values["tier"] and values["tier"] not in tiers:
        diagnostics.warning(f"{label('tier')}: unknown loyalty tier '{values['tier']}' "
                            f"(known: {', '.join(tiers)}); value ignored", location, "customer-value")
        values["tier"] = None
    issued, redeemed = values.get("benefits_issued"), values.get("benefits_redeemed")
    if issued is not None and redeemed is not None and redeemed > issued:
        diagnostics.warning(f"{label('benefits_redeemed')}: more redeemed ({redeemed}) than issued "
                            f"({issued}); counted as none unused", location, "customer-value")
    granted, expires = values.get("consent_granted"), values.get("consent_expires")
    if granted and expires and expires < granted:
        diagnostics.warning(f"{label('consent_expires')}: expires before it was granted; "
                            "consent treated as expired", location, "customer-value")
    return CustomerRecord(location=location, **values)
