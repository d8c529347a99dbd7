"""`newsletter build`."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from ..cache.replay import Copies, copied_output, replay_for
from ..core.diagnostics import relative
from .options import format_option, project_option
from .verbosity import verbosity, verbosity_options


@click.command("build")
@project_option
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path),
              help="Output folder (default: build/ in the project): a new one, or one newsletter made.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--full-checks", is_flag=True, help="Also run slow checks (the spam score).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Processes to render with (default: NEWSLETTER_JOBS, else every CPU); 1 renders "
                   "in this process. As many threads (at most 4) write the output. The files are "
                   "the same for any N.")
@click.option("--no-cache", is_flag=True,
              help="Build from scratch: neither read nor write the build's cache in .newsletter-cache/ "
                   "(as NEWSLETTER_CACHE=0; imported customer exports keep their own copy there).")
@format_option("what was built and the check verdicts")
@verbosity_options
def command(root: Path, out_dir: Path | None, strict: bool, full_checks: bool, jobs: int | None,
            no_cache: bool, fmt: str) -> None:
    """Build every issue for every audience into the output folder.

    The previous output is replaced only when the whole build succeeds.

    \b
    Example:
      newsletter build --project my-newsletter --strict
      newsletter build -q --format json > build.json
      newsletter build --no-cache --jobs 1    # from scratch, in one process
    """
    level = verbosity()
    # With nothing changed since the last build, it printed what this one would and the output
    # folder holds what this one would write: that is printed again (newsletter.cache.replay).
    replay = replay_for(root, out_dir, "build", [repr(strict), fmt, str(level)], cache=not no_cache,
                        enabled=not full_checks and level <= 0)
    if replay is not None and replay.play():
        sys.exit(replay.code)
    with copied_output() as copies:
        code, written = _build(root, out_dir, strict, full_checks, jobs, no_cache, fmt, level, copies)
    if replay is not None and written:  # a build that wrote its output, checks passed or not
        replay.keep(copies.printed, code)
    if code:
        sys.exit(code)


def _build(root: Path, out_dir: Path | None, strict: bool, full_checks: bool, jobs: int | None,
           no_cache: bool, fmt: str, level: int, copies: Copies) -> tuple[int, bool]:
    """The build itself, printing what it did: (exit code, whether the output was written)."""
    # Imported here: a build printed again needs none of the renderers and checks (0.3 s).
    from ..build import build as run_build
    from ..console.checkreport import print_report
    from ..console.machine import dumps
    from ..console.report import print_diagnostics, print_summary
    from ..console.terminal import Terminal
    from ..core.diagnostics import BuildError
    from ..output.outdir import OutputRefused

    term = Terminal(level)
    err = term.err
    try:
        # A progress bar (on a terminal only) is not part of what a later run prints again.
        with copies.paused() if term.shows_progress() else nullcontext(), term.progress("building") as progress:
            result = run_build(root, out_dir, strict=strict, progress=progress, full_checks=full_checks,
                               cache=False if no_cache else None, jobs=jobs)
    except OutputRefused as exc:  # one line; nothing was touched
        print_diagnostics(err, exc.diagnostics)
        return 2, False
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        if fmt == "json":
            click.echo(dumps("build", _failed(exc.diagnostics)))
        errors = sum(1 for d in exc.diagnostics if d.severity.value == "error")
        err.print(f"[red]build failed[/red]: {errors or len(exc.diagnostics)} problem(s); "
                  "the previous build was left untouched")
        return 1, False
    except OSError as exc:
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        return 1, False
    print_diagnostics(err, result.diagnostics)
    report = result.report
    failed = bool(report.errors or (strict and report.warnings))
    if fmt == "json":
        click.echo(dumps("build", _summary(result, Path(root), ok=not failed)))
    else:
        if not term.quiet:
            print_summary(term.out, result)
        if report.errors or report.warnings or not term.quiet:
            print_report(term.report, report, verbose=term.verbose)
    if failed:
        err.print("[red]checks failed[/red]: the build was written so you can look at it, "
                  "but do not send it; see build/report.json")
        return 1, True
    return 0, True


def _summary(result, root: Path, ok: bool) -> dict:
    """The build's document for --format json (schema newsletter/build/1)."""
    messages = []
    for output in result.outputs:
        v = output.variant
        row = {"key": v.key, "kind": v.issue.kind, "issue": v.issue.id, "audience": v.audience.id,
               "channel": v.channel, "locale": v.locale, "subject": output.subject,
               "directory": output.directory,
               "files": [{"path": f"{output.directory}/{name}", "bytes": len(data)}
                         for name, data in sorted(output.files.items())]}
        checked = result.report.for_key(v.key)
        if checked:
            row["checks"] = {"verdicts": checked.verdicts(), "errors": checked.count("error"),
                             "warnings": checked.count("warning")}
        messages.append(row)
    return {"ok": ok, "out_dir": relative(result.out_dir, root), "messages": messages,
            "files": len(result.files),
            "checks": {"errors": result.report.errors, "warnings": result.report.warnings,
                       "skipped_checks": result.report.skipped},
            "diagnostics": [d.to_dict() for d in result.diagnostics]}


def _failed(diagnostics) -> dict:
    """The document of a build that stopped on bad input: nothing was written."""
    return {"ok": False, "out_dir": None, "messages": [], "files": 0,
            "checks": {"errors": 0, "warnings": 0, "skipped_checks": []},
            "diagnostics": [d.to_dict() for d in diagnostics]}
