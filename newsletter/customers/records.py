"""The customer record: one row of a CRM or ESP export, as the engine parsed it.

Parsing and validation are set operations in sql/records.sql: a row without an id or
name, or with an id seen before, is an error and is skipped; a value that cannot be read
(a date in the wrong format, an NPS of 11) is a warning and counts as unknown, so one
typo never hides a customer from the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.diagnostics import Location


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
    marketing_opt_in: bool | None = None

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
