"""Pre-send checklist: the fixed words of a message are in the audience's language.

A label such as "Unsubscribe" or "Case study" comes from the templates, translated by the
bundled catalogs and the project's translations/<locale>.po. One left in English in a
Portuguese or Arabic message fails here, with the command that makes the catalog to fill in.
"""

from __future__ import annotations

import re

from ..core.i18n import PROJECT_CATALOGS, babel_locale, project_catalog
from ..core.diagnostics import Location
from ..core.translations import template_strings, untranslated
from .registry import Finding, check

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def visible_words(msgid: str) -> str:
    """The longest fixed piece of a label, placeholders removed ('customer since ')."""
    return max((piece.strip() for piece in _PLACEHOLDER.split(msgid)), key=len)


@check("label-language", "checklist", "error",
       "The templates' fixed labels (\"Unsubscribe\", \"Case study\"...) are in the audience's language.")
def label_language(ctx):
    locale = ctx.variant.locale
    if babel_locale(locale).language == "en" or not (ctx.html or ctx.text):
        return
    memo = ctx.own_memo.setdefault("label-language", {})
    if locale not in memo:
        # The templates' strings are read once per run (Babel parses every template), not per locale.
        if "template-strings" not in ctx.own_memo:
            ctx.own_memo["template-strings"] = template_strings(ctx.root)
        memo[locale] = untranslated(ctx.root, locale, ctx.own_memo["template-strings"])
    body = " ".join((ctx.visible_text if ctx.html else "").split()) + " " + " ".join(ctx.text.split())
    own = project_catalog(ctx.root, locale)
    where = Location(f"{PROJECT_CATALOGS}/{own.name}") if own else ctx.audience_at()
    found = 0
    for msgid in memo[locale]:
        words = visible_words(msgid)
        if len(words) >= 3 and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", body, re.I):
            found += 1
            yield Finding(f"the label '{msgid}' is in English in a {locale} message", where,
                          f"translate it in {PROJECT_CATALOGS}/{locale}.po "
                          f"(`newsletter translations init {locale}` creates the file)")
    if not found:
        yield Finding(f"every fixed label is in {locale}", None, passed=True)
