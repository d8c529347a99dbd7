"""Options shared by several commands, and the global -q/-v that every command accepts.

Imported by newsletter.cli too (the group takes -q/-v before the command name), so it
loads nothing but click.
"""

from __future__ import annotations

from pathlib import Path

import click

project_option = click.option(
    "--project", "-p", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The project folder (with newsletter.toml).")

#: Where the chosen verbosity is kept: click shares `meta` between the group and its command.
VERBOSITY = "newsletter.verbosity"
QUIET, NORMAL, VERBOSE = -1, 0, 1


def _remember(level: int):
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value:
            return
        chosen = ctx.meta.get(VERBOSITY, NORMAL)
        if chosen not in (NORMAL, level):
            raise click.UsageError("-q/--quiet and -v/--verbose exclude each other", ctx)
        ctx.meta[VERBOSITY] = level
    return callback


def verbosity_options(fn):
    """-q/--quiet and -v/--verbose, accepted before or after the command name."""
    fn = click.option("--verbose", "-v", is_flag=True, expose_value=False, callback=_remember(VERBOSE),
                      help="Say more: the passing checks, unchanged files, each step.")(fn)
    return click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=_remember(QUIET),
                        help="Print nothing on stdout when all is well; errors and warnings still "
                             "go to stderr.")(fn)


def verbosity() -> int:
    """QUIET, NORMAL or VERBOSE, as given to the group or to the command."""
    return click.get_current_context().meta.get(VERBOSITY, NORMAL)


def format_option(what: str):
    """--format text|json; json prints one document with a versioned `schema`.

    The README's "Machine-readable output" describes every document.
    """
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help=f"json prints {what} for machines (see the README's "
                                                "'Machine-readable output').")
