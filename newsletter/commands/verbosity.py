"""The global -q/-v that every command accepts, and the verbosity they chose.

Imported by newsletter.cli too (the group takes -q/-v before the command name), so it loads
nothing but click: `newsletter --help` pays for nothing else.
"""

from __future__ import annotations

import click

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
