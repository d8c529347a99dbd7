"""Fixed template strings and dates in the audience's language (gettext catalogs via Babel)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).parent / "locales"
DOMAIN = "messages"


def babel_locale(tag: str) -> Locale:
    return Locale.parse(tag.replace("-", "_"))


@lru_cache(maxsize=None)
def translations(tag: str) -> NullTranslations:
    """The catalog for a locale, falling back from pt-BR to pt, then to the English source."""
    locale = babel_locale(tag)
    for name in (str(locale), locale.language):
        po = CATALOGS / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            # Compiled in memory so the repository holds only the reviewable .po text.
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=locale, domain=DOMAIN)
            buffer = BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            return Translations(fp=buffer, domain=DOMAIN)
    return NullTranslations()


def long_date(value: date, tag: str) -> str:
    """A date as people in that locale write it: '1 de novembro de 2026', '2026年11月1日'."""
    return format_date(value, format="long", locale=babel_locale(tag))


def text_direction(tag: str) -> str:
    return babel_locale(tag).character_order == "right-to-left" and "rtl" or "ltr"
