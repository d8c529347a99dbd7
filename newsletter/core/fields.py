"""Reusable validated field types for config and content models."""

from __future__ import annotations

import difflib
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


def _one_line(value: str) -> str:
    """Text that goes into an email header: a line break there would end the header."""
    if "\r" in value or "\n" in value:
        raise ValueError("must be on one line (it goes into an email header): remove the line break")
    return value


def _https_url(value: str) -> str:
    if any(char.isspace() for char in value):
        raise ValueError("a URL cannot hold spaces or line breaks: remove them (or write a space as %20)")
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced '[' in the host
        parts = None
    if parts is None or parts.scheme != "https" or not parts.netloc:
        raise ValueError(f"must be an https:// URL (got {value[:60]!r})")
    return value


def _link_url(value: str) -> str:
    """Links may be https or mailto; http is refused because clients flag it."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return _https_url(value)  # which says what is wrong with it
    if parts.scheme == "mailto" and parts.path and not any(char.isspace() for char in value):
        return value
    return _https_url(value)


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", value):
        raise ValueError(f"not an email address: {value[:60]!r}")
    if not value.isascii():
        # Headers of the messages are 7-bit: an international domain goes in its xn-- form.
        raise ValueError(f"{value[:60]!r}: write the address in ASCII (a domain in its xn-- form)")
    return value


# A BCP 47 tag as content and config write it: language, optional script, optional region
# (en, pt-BR, zh-Hans-CN, es-419). Underscores (pt_BR) are POSIX locale names, not tags.
_BCP47 = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")


def _canonical_tag(value: str) -> str:
    """The BCP 47 spelling of a locale written another way (pt_BR, PT-br, zh_hans_cn)."""
    parts = re.split(r"[-_]", value.strip())
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


def _locale(value: str) -> str:
    canonical = _canonical_tag(value)
    if not _known_locale(canonical):
        raise ValueError(f"unknown locale {value!r} (use a BCP 47 tag such as en, pt-BR, ru, zh-CN)")
    if not _BCP47.match(value):
        raise ValueError(f"{value!r} is not a BCP 47 tag; did you mean '{canonical}'?")
    return value


@lru_cache(maxsize=256)  # a project names a few locales, in thousands of files
def _known_locale(canonical: str) -> bool:
    try:
        Locale.parse(canonical.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _stage(value: str) -> str:
    if value not in STAGES:
        close = difflib.get_close_matches(value.lower(), STAGES, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ValueError(f"unknown lifecycle stage {value!r}; {hint}use one of: {', '.join(STAGES)}")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
#: Text that becomes (part of) an email header: the sender's name, the list's name, a subject.
# Bounded too: the email package folds a header in time that grows faster than its length.
HeaderText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_one_line)]
HeaderName = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_one_line)]
LinkUrl = Annotated[str, AfterValidator(_link_url)]
Email = Annotated[str, AfterValidator(_email)]
LocaleTag = Annotated[str, AfterValidator(_locale)]
Stage = Annotated[str, AfterValidator(_stage)]
Date = date
