"""`newsletter translations`: the project's own catalogs for the fixed template strings."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from ..core.diagnostics import BuildError
from ..console.report import print_diagnostics
from ..core.translations import init_catalog, untranslated
from ..console.terminal import Terminal
from .options import project_option
from .verbosity import verbosity, verbosity_options


@click.group("translations")
@verbosity_options
def command() -> None:
    """Translate the fixed words of the templates ("Unsubscribe", "Case study"...) for your project.

    \b
    translations/<locale>.po in the project extends or overrides the bundled catalogs
    (en, pt-BR, ru, zh-CN, es, ar).

    \b
    Example:
      newsletter translations init de
      newsletter translations status pt-BR
    """


@command.command("init")
@click.argument("locale")
@project_option
@verbosity_options
def init(locale: str, root: Path) -> None:
    """Create translations/LOCALE.po from the template strings and list the untranslated ones.

    \b
    Example:
      newsletter translations init de
    """
    term = Terminal(verbosity())
    try:
        path, missing = init_catalog(root, locale)
    except BuildError as exc:
        print_diagnostics(term.err, exc.diagnostics)
        sys.exit(1)
    if not term.quiet:
        term.out.print(f"  created {path}", markup=False)
        _report(term.out, locale, missing)


@command.command("status")
@click.argument("locale")
@project_option
@verbosity_options
def status(locale: str, root: Path) -> None:
    """List the template strings LOCALE still shows in English; exit 1 if there are any.

    \b
    Example:
      newsletter translations status ar
    """
    term = Terminal(verbosity())
    missing = untranslated(root, locale)
    if missing or not term.quiet:
        _report(term.out if not missing else term.err, locale, missing)
    sys.exit(1 if missing else 0)


def _report(console, locale: str, missing: list[str]) -> None:
    if not missing:
        console.print(f"every template string is translated for {locale}", markup=False)
        return
    console.print(f"{len(missing)} string(s) untranslated for {locale}:", markup=False)
    for msgid in missing:
        console.print(f"  {msgid}", markup=False)
