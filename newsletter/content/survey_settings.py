"""`[survey]` in newsletter.toml: where NPS answers go (read back by `newsletter results`)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from ..core.validation import Model


class SurveySettings(Model):
    """`[survey]` in newsletter.toml."""

    url: str = Field(default="", description="answer URL with {score} and {recipient}")

    @field_validator("url")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("write an https:// URL")
        if value and "{score}" not in value:
            raise ValueError("put {score} where the answer (0-10) goes, e.g. ?score={score}&r={recipient}")
        leftover = re.sub(r"\{score\}|\{recipient\}", "", value)
        if "{" in leftover or "}" in leftover:
            raise ValueError("only {score} and {recipient} may appear in braces")
        return value
