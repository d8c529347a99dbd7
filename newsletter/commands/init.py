"""`newsletter init`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError
from ..scaffold import init_project
from .verbosity import verbosity, verbosity_options


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--brand", required=True, prompt="Brand name", help="Your business's name.")
@click.option("--website", required=True, prompt="Website (https://...)", help="Your https:// website.")
@click.option("--sender", required=True, prompt="Sender email", help="The address newsletters come from.")
@click.option("--locale", default="en", show_default=True, help="Your customers' language (en, pt-BR, ru, zh-CN...).")
@verbosity_options
def command(folder: Path, brand: str, website: str, sender: str, locale: str) -> None:
    """Start a new newsletter project in FOLDER: config, two audiences, two stories, one issue.

    The starter builds and passes every check, so you can replace it piece by piece.

    \b
    Example:
      newsletter init my-newsletter --brand "Larder & Co" --website https://larder.example --sender news@larder.example
      cd my-newsletter && newsletter build
    """
    term = Terminal(verbosity())
    console = term.out
    try:
        written = init_project(folder, brand=brand, website=website, sender=sender, locale=locale)
    except BuildError as exc:
        print_diagnostics(term.err, exc.diagnostics)
        sys.exit(1)
    if term.quiet:
        return
    for path in written:
        console.print(f"  created {path}", markup=False)
    console.print(f"Next: cd {folder} && newsletter build, then open build/index.html. "
                  "Replace the starter stories with your own customers.", markup=False, soft_wrap=True)
