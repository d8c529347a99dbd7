"""`[customers]` in newsletter.toml: where the customer export is and how to read it."""

from __future__ import annotations

from pydantic import Field

from ..validation import Model


class CustomerSettings(Model):
    """Settings for customer data (see docs/customers.md)."""

    files: list[str] = Field(default=[], description="CSV or JSON exports under the project folder")
