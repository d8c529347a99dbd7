"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

project_option = click.option(
    "--project", "-p", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The project folder (with newsletter.toml).")

