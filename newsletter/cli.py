"""The `newsletter` command line: each command parses options and calls one library function.

Commands live one per module in `newsletter.commands`; each module exposes `command`.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from . import __version__, commands


@click.group()
@click.version_option(__version__, prog_name="newsletter")
def main() -> None:
    """Compose social-proof newsletters from Markdown stories about your best customers.

    \b
    Quick start, in a project folder:
      newsletter build          # build/ gets HTML, text and .eml per issue and audience
    """


for _info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    _command = getattr(importlib.import_module(f"{commands.__name__}.{_info.name}"), "command", None)
    if _command is not None:
        main.add_command(_command)
