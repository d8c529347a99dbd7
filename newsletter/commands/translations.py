"""`newsletter translations`: the project's own catalogs for the fixed template strings."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ..diagnostics import BuildError
from ..report import print_diagnostics
from ..translations import init_catalog, untranslated
from .options import project_option


@click.group("translations")
def command() -> None:
    """Translate the fixed words of the templates ("Unsubscribe", "Case study"...) for your project.

    \b
    translations/<locale>.po in the project extends or overrides the bundled catalogs
    (en, pt-BR, ru, zh-CN, es, ar).
    """


@command.command("init")
@click.argument("locale")
@project_option
def init(locale: str, root: Path) -> None:
    """Create translations/LOCALE.po from the template strings and list the untranslated ones."""
    console = Console(highlight=False)
    try:
        path, missing = init_catalog(root, locale)
    except BuildError as exc:
        print_diagnostics(Console(stderr=True, highlight=False), exc.diagnostics)
        sys.exit(1)
    console.print(f"  created {path}", markup=False)
    _report(console, locale, missing)


@command.command("status")
@click.argument("locale")
@project_option
def status(locale: str, root: Path) -> None:
    """List the template strings LOCALE still shows in English; exit 1 if there are any."""
    console = Console(highlight=False)
    missing = untranslated(root, locale)
    _report(console, locale, missing)
    sys.exit(1 if missing else 0)


def _report(console: Console, locale: str, missing: list[str]) -> None:
    if not missing:
        console.print(f"every template string is translated for {locale}", markup=False)
        return
    console.print(f"{len(missing)} string(s) untranslated for {locale}:", markup=False)
    for msgid in missing:
        console.print(f"  {msgid}", markup=False)
