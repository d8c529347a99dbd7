"""`newsletter export`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from .. import esp
from ..console.report import print_diagnostics
from ..core.diagnostics import BuildError, relative
from ..esp.export import export
from ..output.outdir import OutputRefused
from .options import project_option


@click.command("export")
@project_option
@click.option("--esp", "esp_name", required=True, metavar="NAME",
              type=click.Choice(esp.names(), case_sensitive=False),
              help="The email service provider: " + ", ".join(esp.names()) + ".")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: export/<esp>/ in the project): a new one, or one newsletter made.")
@click.option("--quiet", "-q", is_flag=True, help="Only print errors and warnings.")
@click.option("--force", is_flag=True, help="Export even messages that fail their checks (shown as warnings).")
def command(root: Path, esp_name: str, out_dir: Path | None, quiet: bool, force: bool) -> None:
    """Turn every built email into what an email service provider imports.

    Personalisation is rewritten in the provider's own merge syntax; a manifest of
    hashes shows which messages changed since the last export. How to upload each
    provider's bundle: "Uploading to your email service provider" in the README.

    \b
    Example:
      newsletter export --esp sendgrid
      newsletter export --esp mailchimp --out ~/Desktop/mailchimp
    """
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        result = export(root, esp_name, out_dir, force=force)
    except OutputRefused as exc:  # one line; nothing was touched
        print_diagnostics(err, exc.diagnostics)
        sys.exit(2)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        err.print("[red]export failed[/red]: the previous export was left untouched")
        sys.exit(1)
    except OSError as exc:
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        sys.exit(1)
    print_diagnostics(err, result.diagnostics)
    if quiet:
        return
    where = relative(result.out_dir, Path(root))
    console.print(f"{len(result.messages)} message(s) for {result.label} in {where}: "
                  f"{len(result.added)} added, {len(result.changed)} changed, "
                  f"{len(result.removed)} removed, {len(result.unchanged)} unchanged "
                  "since the last export", markup=False, soft_wrap=True)
    for mark, keys in (("+", result.added), ("~", result.changed), ("-", result.removed)):
        for key in keys:
            console.print(f"  {mark} {key}", markup=False, soft_wrap=True)
