"""Options shared by several commands: the project folder and the output format."""

from __future__ import annotations

from pathlib import Path

import click

project_option = click.option(
    "--project", "-p", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The project folder (with newsletter.toml).")


def format_option(what: str):
    """--format text|json; json prints one document with a versioned `schema`.

    The README's "Machine-readable output" describes every document.
    """
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help=f"json prints {what} for machines (see the README's "
                                                "'Machine-readable output').")
