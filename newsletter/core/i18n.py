"""Fixed template strings and dates in the audience's language (gettext catalogs via Babel)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

CATALOGS = Path(__file__).parent.parent / "locales"
DOMAIN = "messages"


@lru_cache(maxsize=256)  # parsed once per tag, not once per date or number formatted
def babel_locale(tag: str) -> Locale:
    return Locale.parse(tag.replace("-", "_"))


def _script(locale: Locale) -> str | None:
    """The script a locale is written in, also when the tag leaves it out (zh -> Hans)."""
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language)
    return Locale.parse(likely).script if likely else None


def catalog_for(tag: str) -> str | None:
    """The shipped catalog a locale uses (a folder name in locales/), or None for English.

    In order: the same language, script and territory (zh-CN -> zh_CN, which Babel spells
    zh_Hans_CN), the bare language (pt), then another territory of the same language and
    script (pt-PT -> pt_BR; zh-TW, written in Traditional characters, does not take zh_CN).
    """
    locale = babel_locale(tag)
    shipped = {}
    for folder in sorted(p.name for p in CATALOGS.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()):
        shipped[folder] = babel_locale(folder)
    for fits in (lambda c: (c.language, c.territory) == (locale.language, locale.territory)
                 and _script(c) == _script(locale),
                 lambda c: str(c) == locale.language,
                 lambda c: (c.language, _script(c)) == (locale.language, _script(locale))):
        for folder, candidate in shipped.items():
            if fits(candidate):
                return folder
    return None


@lru_cache(maxsize=None)
def translations(tag: str) -> NullTranslations:
    """The catalog for a locale (see `catalog_for`), else the English source strings."""
    folder = catalog_for(tag)
    if folder is None:
        return NullTranslations()
    po = CATALOGS / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    # Compiled in memory so the repository holds only the reviewable .po text.
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=babel_locale(folder), domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def long_date(value: date, tag: str) -> str:
    """A date as people in that locale write it: '1 de novembro de 2026', '2026年11月1日'."""
    return format_date(value, format="long", locale=babel_locale(tag))


def number(value: int | float, tag: str) -> str:
    """A number as the locale writes it: 1,234.5 (en), 1.234,5 (pt-BR), 1 234,5 (ru)."""
    return format_decimal(value, locale=babel_locale(tag))


def text_direction(tag: str) -> str:
    """'rtl' for right-to-left scripts (Arabic, Hebrew, Persian, Urdu...), else 'ltr'."""
    return babel_locale(tag).character_order == "right-to-left" and "rtl" or "ltr"
