"""`newsletter snapshot`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ..console.report import print_diagnostics
from ..core.diagnostics import BuildError, relative
from ..output.outdir import OutputRefused
from .options import project_option


@click.command("snapshot")
@project_option
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: snapshots/ in the project): a new one, or one newsletter made; replaced as a whole.")
@click.option("--chromium", "executable", default="/usr/bin/chromium", show_default=True,
              help="The Chromium program to use.")
def command(root: Path, out_dir: Path | None, executable: str) -> None:
    """Screenshot every message at 600 px and 375 px, light and dark, as PNG files.

    For review decks and visual regression: the same input gives the same images.
    Needs Chromium and, for Chinese, Japanese or Korean, CJK fonts (Debian:
    apt-get install chromium fonts-noto-cjk).

    \b
    Example:
      newsletter snapshot
      newsletter snapshot --out ~/Desktop/november-review
    """
    from ..preview.snapshot import (
        take,  # imported here: only this command needs Playwright
    )

    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        paths = take(root, out_dir, executable=executable)
    except OutputRefused as exc:  # one line; nothing was touched
        print_diagnostics(err, exc.diagnostics)
        sys.exit(2)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    except OSError as exc:
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        sys.exit(1)
    folder = relative(paths[0].parent.parent, Path(root)) if paths else ""
    console.print(f"{len(paths)} screenshot(s) in {folder}", markup=False)
