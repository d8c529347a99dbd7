"""`newsletter export`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import esp
from ..console.machine import dumps
from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError, relative
from ..esp.export import export
from ..output.outdir import OutputRefused
from .options import format_option, project_option
from .verbosity import verbosity, verbosity_options


@click.command("export")
@project_option
@click.option("--esp", "esp_name", required=True, metavar="NAME",
              type=click.Choice(esp.names(), case_sensitive=False),
              help="The email service provider: " + ", ".join(esp.names()) + ".")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: export/<esp>/ in the project): a new one, or one newsletter made.")
@click.option("--force", is_flag=True, help="Export even messages that fail their checks (shown as warnings).")
@format_option("what was exported and what changed")
@verbosity_options
def command(root: Path, esp_name: str, out_dir: Path | None, force: bool, fmt: str) -> None:
    """Turn every built email into what an email service provider imports.

    Personalisation is rewritten in the provider's own merge syntax; a manifest of
    hashes shows which messages changed since the last export. How to upload each
    provider's bundle: "Uploading to your email service provider" in the README.

    \b
    Example:
      newsletter export --esp sendgrid
      newsletter export --esp mailchimp --out ~/Desktop/mailchimp
      newsletter export --esp ses -q --format json > export.json
    """
    term = Terminal(verbosity())
    console, err = term.out, term.err
    try:
        with term.status(f"exporting for {esp_name}"):
            result = export(root, esp_name, out_dir, force=force)
    except OutputRefused as exc:  # one line; nothing was touched
        print_diagnostics(err, exc.diagnostics)
        sys.exit(2)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        if fmt == "json":
            click.echo(dumps("export", {
                "ok": False, "esp": esp_name.lower(), "out_dir": None, "messages": [], "added": [],
                "changed": [], "removed": [], "unchanged": [],
                "diagnostics": [d.to_dict() for d in exc.diagnostics]}))
        err.print("[red]export failed[/red]: the previous export was left untouched")
        sys.exit(1)
    except OSError as exc:
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        sys.exit(1)
    print_diagnostics(err, result.diagnostics)
    if fmt == "json":
        click.echo(dumps("export", {
            "ok": True, "esp": esp_name.lower(), "label": result.label,
            "out_dir": relative(result.out_dir, Path(root)), "messages": list(result.messages),
            "added": list(result.added), "changed": list(result.changed), "removed": list(result.removed),
            "unchanged": list(result.unchanged), "diagnostics": [d.to_dict() for d in result.diagnostics]}))
        return
    if term.quiet:
        return
    where = relative(result.out_dir, Path(root))
    console.print(f"{len(result.messages)} message(s) for {result.label} in {where}: "
                  f"{len(result.added)} added, {len(result.changed)} changed, "
                  f"{len(result.removed)} removed, {len(result.unchanged)} unchanged "
                  "since the last export", markup=False, soft_wrap=True)
    marks = [("+", result.added), ("~", result.changed), ("-", result.removed)]
    for mark, keys in marks + ([("=", result.unchanged)] if term.verbose else []):
        for key in keys:
            console.print(f"  {mark} {key}", markup=False, soft_wrap=True)
