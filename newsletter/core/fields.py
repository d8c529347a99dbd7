"""Reusable validated field types for config and content models."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import AfterValidator, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
HexColor = Annotated[str, StringConstraints(pattern=r"^#(?:[0-9a-fA-F]{3}){1,2}$")]

STAGES = ("reach", "acquisition", "onboarding", "nurture", "retention", "advocacy")


def _https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(f"must be an https:// URL (got {value!r})")
    return value


def _link_url(value: str) -> str:
    """Links may be https or mailto; http is refused because clients flag it."""
    parts = urlsplit(value)
    if parts.scheme == "mailto" and parts.path:
        return value
    return _https_url(value)


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", value):
        raise ValueError(f"not an email address: {value!r}")
    return value


def _locale(value: str) -> str:
    if not _known_locale(value):
        raise ValueError(f"unknown locale {value!r} (use a BCP 47 tag such as en, pt-BR, ru, zh-CN)")
    return value


@lru_cache(maxsize=256)  # a project names a few locales, in thousands of files
def _known_locale(value: str) -> bool:
    try:
        Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _stage(value: str) -> str:
    if value not in STAGES:
        raise ValueError(f"unknown lifecycle stage {value!r}; use one of: {', '.join(STAGES)}")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
LinkUrl = Annotated[str, AfterValidator(_link_url)]
Email = Annotated[str, AfterValidator(_email)]
LocaleTag = Annotated[str, AfterValidator(_locale)]
Stage = Annotated[str, AfterValidator(_stage)]
Date = date
