"""Fixed template strings and dates in the audience's language (gettext catalogs via Babel)."""

from __future__ import annotations

import json
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
DELIMITERS = Path(__file__).parent / "data" / "cldr-delimiters.json"
#: A project's own catalogs: translations/<locale>.po extends or overrides the bundled one.
PROJECT_CATALOGS = "translations"


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


def _compiled(po: Path, locale: Locale) -> Translations:
    """A .po file compiled in memory, so repositories hold only the reviewable .po text."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def project_catalog(root: Path, tag: str) -> Path | None:
    """The project's translations/<locale>.po for a locale: exact tag first, then the language."""
    folder = Path(root) / PROJECT_CATALOGS
    locale = babel_locale(tag)
    for name in dict.fromkeys((tag, tag.replace("-", "_"), str(locale), locale.language)):
        path = folder / f"{name}.po"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=None)
def _translations(tag: str, project_po: Path | None, stamp: float) -> NullTranslations:
    folder = catalog_for(tag)
    bundled = (_compiled(CATALOGS / folder / "LC_MESSAGES" / f"{DOMAIN}.po", babel_locale(folder))
               if folder else None)
    if project_po is None:
        return bundled or NullTranslations()
    own = _compiled(project_po, babel_locale(tag))
    if bundled is None:
        return own
    return bundled.merge(own)  # the project's strings win over the bundled ones


def translations(tag: str, root: Path | None = None) -> NullTranslations:
    """The catalog for a locale: the bundled one (see `catalog_for`) extended or overridden by
    the project's translations/<locale>.po when `root` has one, else the English source strings."""
    po = project_catalog(root, tag) if root is not None else None
    # Keyed by the file's time, so an edited catalog is read again (the preview rebuilds live).
    return _translations(tag, po, po.stat().st_mtime if po else 0.0)


@lru_cache(maxsize=1)
def _delimiters() -> dict[str, list[str]]:
    return json.loads(DELIMITERS.read_text(encoding="utf-8"))["locales"]


def quotes(tag: str) -> tuple[str, str]:
    """The opening and closing quotation marks of a locale, from CLDR: “…” (en, pt), «…» (ru)."""
    table = _delimiters()
    locale = babel_locale(tag)
    script = _script(locale)
    for name in (str(locale), f"{locale.language}_{script}" if script else "", locale.language):
        if name in table:
            return table[name][0], table[name][1]
    return "\u201c", "\u201d"


#: The comma between a name and what follows it, where it is not ", " (CLDR has no such field).
_COMMAS = {"ar": "، ", "fa": "، ", "ur": "، ", "zh": "，", "ja": "、"}


def comma(tag: str) -> str:
    """The comma of a locale's script: 'Layla Haddad، Amman Reading Club', '陈静，小满电商'."""
    return _COMMAS.get(babel_locale(tag).language, ", ")


def quoted(text: str, tag: str) -> str:
    """`text` between the locale's quotation marks."""
    start, end = quotes(tag)
    return f"{start}{text}{end}"


def long_date(value: date, tag: str) -> str:
    """A date as people in that locale write it: '1 de novembro de 2026', '2026年11月1日'."""
    return format_date(value, format="long", locale=babel_locale(tag))


def number(value: int | float, tag: str) -> str:
    """A number as the locale writes it: 1,234.5 (en), 1.234,5 (pt-BR), 1 234,5 (ru)."""
    return format_decimal(value, locale=babel_locale(tag))


def text_direction(tag: str) -> str:
    """'rtl' for right-to-left scripts (Arabic, Hebrew, Persian, Urdu...), else 'ltr'."""
    return babel_locale(tag).character_order == "right-to-left" and "rtl" or "ltr"
