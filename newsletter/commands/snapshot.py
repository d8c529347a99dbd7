"""`newsletter snapshot`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError, relative
from ..output.outdir import OutputRefused
from .options import project_option
from .verbosity import verbosity, verbosity_options


@click.command("snapshot")
@project_option
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: snapshots/ in the project): a new one, or one newsletter made; replaced as a whole.")
@click.option("--chromium", "executable", default="/usr/bin/chromium", show_default=True,
              help="The Chromium program to use.")
@click.option("--issue", "issues", multiple=True, metavar="ISSUE|PACK/STEP",
              help="Only this issue, welcome pack or pack step (repeatable).")
@verbosity_options
def command(root: Path, out_dir: Path | None, executable: str, issues: tuple[str, ...]) -> None:
    """Screenshot every message at 600 px and 375 px, light and dark, as PNG files.

    For review decks and visual regression: the same input gives the same images.
    Needs Chromium and, for Chinese, Japanese or Korean, CJK fonts (Debian:
    apt-get install chromium fonts-noto-cjk).

    \b
    Example:
      newsletter snapshot
      newsletter snapshot --out ~/Desktop/november-review
      newsletter snapshot --issue first-90-days/welcome --out /tmp/welcome
    """
    from ..preview.snapshot import (
        take,  # imported here: only this command needs Playwright
    )

    term = Terminal(verbosity())
    err = term.err
    try:
        with term.progress("screenshots") as progress:
            paths = take(root, out_dir, executable=executable, issues=issues, progress=progress)
    except OutputRefused as exc:  # one line; nothing was touched
        print_diagnostics(err, exc.diagnostics)
        sys.exit(2)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    except OSError as exc:
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        sys.exit(1)
    if term.quiet:
        return
    folder = relative(paths[0].parent.parent, Path(root)) if paths else ""
    if term.verbose:
        for path in paths:
            term.out.print(f"  {relative(path, Path(root))}", markup=False, soft_wrap=True)
    term.out.print(f"{len(paths)} screenshot(s) in {folder}", markup=False)
