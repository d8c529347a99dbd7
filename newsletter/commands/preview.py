"""`newsletter preview`."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError
from .options import project_option
from .verbosity import verbosity, verbosity_options


@click.command("preview")
@project_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets other machines see unsent emails.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@verbosity_options
def command(root: Path, host: str, port: int, no_open: bool) -> None:
    """Preview every message in a browser; pages reload by themselves when you save.

    Builds into build/ like `newsletter build`, then watches newsletter.toml, content/ and
    templates/ and rebuilds only what a change touches. See "Previewing messages in a browser" in the README.

    \b
    Examples:
      newsletter preview
      newsletter preview --port 8080 --no-open
    """
    from ..preview import (
        serve,  # imported here so other commands start without watchfiles
    )
    from ..preview.server import is_loopback

    term = Terminal(verbosity())
    console, err = term.out, term.err
    if not is_loopback(host):
        err.print(f"[yellow]warning[/yellow]: listening on {host}: anyone who can reach this "
                  "machine can read your unsent emails and content. Use the default 127.0.0.1 "
                  "unless you need this.", soft_wrap=True)
    try:
        serve(root, host, port, open_browser=not no_open,
              log=lambda message: None if term.quiet else console.print(message, markup=False, soft_wrap=True))
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            err.print(f"port {port} on {host} is in use: try --port {port + 1}", markup=False)
        else:
            err.print(f"cannot listen on {host}:{port}: {exc.strerror or exc}", markup=False)
        sys.exit(1)
