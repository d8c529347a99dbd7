"""`[customers]` in newsletter.toml: where the customer export is and how to read it."""

from __future__ import annotations

from typing import Literal

from babel.numbers import list_currencies
from pydantic import Field, field_validator

from ..core.fields import NonEmpty, Slug
from ..core.validation import Model

#: Our field names, in the order the docs list them. `columns` maps these to the export's
#: column names; a field not mapped is looked up under its own name.
FIELDS: dict[str, str] = {
    "id": "the customer's id in your CRM (required, unique)",
    "name": "full name, as stories name them (required)",
    "company": "company or shop name",
    "email": "email address (never written to build output)",
    "first_name": "first name, for merge tags in previews",
    "locale": "BCP 47 language tag: en, pt-BR, ru, zh-CN",
    "audience": "an audience id from content/audiences.yml",
    "since": "date they became a customer",
    "purchases_per_year": "purchases per year",
    "average_order_value": "average order value, in `currency`",
    "expected_years": "expected years as a customer",
    "nps": "last answer to 'how likely are you to recommend us?' (0-10)",
    "tier": "loyalty tier from the CRM (used only with tier_source = 'export')",
    "consent_granted": "date publication consent was granted",
    "consent_expires": "date publication consent expires",
    "benefits_issued": "benefits paid for or given (vouchers issued)",
    "benefits_redeemed": "benefits used (vouchers redeemed)",
    "onboarding_progress": "onboarding progress in percent (0-100)",
    "marketing_opt_in": "yes when they agreed to marketing email (needed for the contacts export)",
}
REQUIRED_FIELDS = ("id", "name")


class TierRule(Model):
    """One rung of the loyalty ladder; rules are tried top-down and the first match wins."""

    name: NonEmpty
    min_ltv: float = Field(default=0, ge=0, description="lifetime value at least this")
    min_years: float = Field(default=0, ge=0, description="customer for at least this many years")
    min_nps: int | None = Field(default=None, ge=0, le=10,
                                description="last NPS answer at least this (no answer fails)")
    audiences: list[Slug] | None = Field(default=None, description="only for these audiences")


#: A ladder that suits a business with both home buyers and trade customers: the top
#: rungs need tenure and advocacy, not only spend.
DEFAULT_TIERS = [
    TierRule(name="platinum", min_ltv=5000, min_years=5, min_nps=9),
    TierRule(name="gold", min_ltv=1500, min_years=2, min_nps=7),
    TierRule(name="silver", min_ltv=300),
    TierRule(name="bronze"),
]


class CustomerSettings(Model):
    """Settings for customer data (see "Customer data" in the README)."""

    files: list[str] = Field(default=[], description="CSV or JSON exports under the project folder")
    columns: dict[str, NonEmpty] = Field(default={}, description="our field name -> the export's column")
    currency: str = Field(default="USD", description="ISO 4217 code of every amount in the export")
    decimal: Literal[".", ","] = Field(default=".", description="decimal separator in CSV numbers")
    date_formats: list[str] = Field(default=["%Y-%m-%d"], min_length=1,
                                    description="strptime formats tried in order")
    tiers: list[TierRule] = Field(default=DEFAULT_TIERS, min_length=1)
    tier_source: Literal["rules", "export"] = Field(
        default="rules", description="'export' uses the export's tier column when a row has one")
    featured_gap: int = Field(default=3, ge=1, le=24,
                              description="suggest nobody featured in the last N issues")
    per_audience: int = Field(default=3, ge=1, le=20, description="suggestions per audience")
    consent_warning_days: int = Field(default=60, ge=0, le=730)
    onboarding_expected: dict[int, float] = Field(
        default={7: 20, 30: 50, 90: 100},
        description="expected onboarding progress (%) by day since the customer started")
    onboarding_threshold: float = Field(default=0.8, gt=0, le=1,
                                        description="behind = progress below this share of expected")
    anonymise: bool = Field(default=True, description="sample recipients from data get made-up names")

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        code = value.upper()
        if code not in list_currencies():
            raise ValueError(f"unknown currency {value!r} (use an ISO 4217 code such as USD, BRL, RUB)")
        return code

    @field_validator("onboarding_expected")
    @classmethod
    def _curve(cls, value: dict[int, float]) -> dict[int, float]:
        if any(day < 0 for day in value) or any(not 0 <= pct <= 100 for pct in value.values()):
            raise ValueError("days must be 0 or more and progress between 0 and 100")
        return dict(sorted(value.items()))

    def column(self, field: str) -> str:
        """The export's column name for one of our fields."""
        return self.columns.get(field, field)
