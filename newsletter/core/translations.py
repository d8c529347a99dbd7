"""Project translations: `translations/<locale>.po` files that extend or override the bundled catalogs.

The strings to translate are the bundled templates' and code's (newsletter/locales/messages.pot)
plus any the project's own templates add with `_()`. `init_catalog` writes a project catalog
for a locale, filled with what the bundled catalog already says, and lists what is left.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .diagnostics import BuildError, Diagnostic, Location, Severity
from .i18n import CATALOGS, DOMAIN, PROJECT_CATALOGS, babel_locale, translations

TEMPLATE_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def template_strings(root: Path) -> list[str | tuple[str, str]]:
    """Every translatable string: the bundled ones, then those of the project's own templates."""
    with (CATALOGS / f"{DOMAIN}.pot").open("rb") as handle:
        found: dict[str | tuple[str, str], None] = {m.id: None for m in read_po(handle) if m.id}
    own = Path(root) / "templates"
    if own.is_dir():
        for _, _, message, *_ in extract_from_dir(str(own), method_map=[("**.j2", "jinja2")],
                                                  options_map={"**.j2": TEMPLATE_OPTIONS}):
            key = tuple(message[:2]) if isinstance(message, (tuple, list)) else message
            found.setdefault(key, None)  # type: ignore[arg-type]
    return list(found)


def _translated(gettext, ngettext, msgid) -> str | tuple[str, ...] | None:
    if isinstance(msgid, tuple):
        one, many = ngettext(msgid[0], msgid[1], 1), ngettext(msgid[0], msgid[1], 2)
        return (one, many) if (one, many) != msgid else None
    text = gettext(msgid)
    return text if text != msgid else None


def untranslated(root: Path, tag: str, strings: list[str | tuple[str, str]] | None = None) -> list[str]:
    """The strings a locale still shows in English (bundled and project catalogs together).
    `strings` is what template_strings(root) gave, for a caller asking for several locales."""
    if babel_locale(tag).language == "en":
        return []
    catalog = translations(tag, root)
    return [m[0] if isinstance(m, tuple) else m for m in (template_strings(root) if strings is None else strings)
            if _translated(catalog.gettext, catalog.ngettext, m) is None]


def init_catalog(root: Path, tag: str) -> tuple[Path, list[str]]:
    """Write translations/<tag>.po with every string, pre-filled from the bundled catalog.

    Returns the file and the strings still untranslated. Never overwrites an existing file.
    """
    try:
        locale = babel_locale(tag)
    except (ValueError, TypeError) as exc:
        raise BuildError([Diagnostic(Severity.ERROR, f"'{tag}' is not a locale ({exc}); try pt-BR, es, ar",
                                     Location("newsletter translations init"), "invalid")]) from None
    path = Path(root) / PROJECT_CATALOGS / f"{tag}.po"
    if path.exists():
        raise BuildError([Diagnostic(Severity.ERROR, f"{path} already exists: not overwriting it; edit it instead",
                                     Location(f"{PROJECT_CATALOGS}/{tag}.po"), "exists")])
    bundled = translations(tag)
    catalog = Catalog(locale=locale, domain=DOMAIN, project="newsletter project translations",
                      fuzzy=False)
    for msgid in template_strings(root):
        text = _translated(bundled.gettext, bundled.ngettext, msgid)
        if isinstance(msgid, tuple):
            catalog.add(msgid, text or ("",) * catalog.num_plurals)
        else:
            catalog.add(msgid, text or "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    return path, untranslated(root, tag)
