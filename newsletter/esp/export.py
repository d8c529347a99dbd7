"""Export every built email as the bundle an email service provider imports.

`export(root, "sendgrid")` builds the project in memory, hands each email (issue x
audience) to the provider's dialect (`newsletter.esp`) and writes the bundles to
`<project>/export/<esp>/<issue>/<audience>/`, with a `manifest.json` of hashes. Before
replacing a previous export it reads that export's manifest, so the result says which
messages were added, changed or removed since the last upload.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__, esp
from ..build import load, render
from ..checks.run import run_checks
from ..content.models import Project
from ..content.samples import Sample, load_samples, match_sample
from ..core import merge
from ..core.timing import Timer
from ..core.diagnostics import (
    BuildError,
    Diagnostic,
    Diagnostics,
    Location,
    Severity,
    relative,
)
from ..output.invariants import Provenance, enforce, literal_text, provider_counts
from ..output.manifest import dumps, file_entry
from ..output.outdir import check as check_out_dir
from ..output.outdir import project_sources
from ..output.writer import UnsafePath, source_date_epoch, write_tree
from ..render.env import Output
from ..customers.data import load_customer_data
from . import contacts
from .bundle import template_name
from .escape import Unescapable

EXPORT_DIR = "export"
MANIFEST = "manifest.json"


@dataclass
class ExportResult:
    """What an export wrote and how it differs from the previous one in the same folder."""

    esp: str
    label: str
    out_dir: Path
    files: dict[str, bytes]
    messages: list[str]
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def message_for(project: Project, output: Output, sample: Sample | None) -> esp.Message:
    """The provider-neutral message of one email output."""
    variant = output.variant
    config = project.config
    issue, audience = variant.issue.id, variant.audience.id
    return esp.Message(
        key=f"{issue}/{audience}", issue=issue, audience=audience, locale=variant.locale,
        name=template_name(issue, audience),
        title=f"{variant.text.title} · {variant.audience.name}",
        subject=variant.text.subject, html=output.extra["html_tokens"],
        text=output.extra["text_tokens"], sender_name=config.sender.name,
        sender_email=config.sender.email, reply_to=config.sender.reply_to,
        sample=_with_recipient_id(sample.data() if sample else {}, output.extra["html_tokens"]))


def _with_recipient_id(data: dict[str, object], html: str) -> dict[str, object]:
    """Sample data with a made-up recipient id when the message has survey answer links."""
    if any(tag.field == merge.RECIPIENT_ID for tag in merge.tags(html)):
        return {**data, merge.RECIPIENT_ID: "sample-recipient"}
    return data


def skeleton(message: esp.Message) -> esp.Message:
    """The same message with every piece of literal text removed: only what a dialect generates."""
    return replace(message, subject=merge.skeleton(message.subject),
                   html=merge.skeleton(message.html), text=merge.skeleton(message.text))


def _unescapable(project: Project, output: Output, exc: Unescapable) -> Diagnostic:
    """Point at the story (or issue) whose text holds the link a provider would rewrite."""
    v = output.variant
    # The link as written ends at the sequence at the latest (UTM tags are added after it).
    written = exc.url[:exc.url.index(exc.sequence) + len(exc.sequence)]
    where = Location(v.issue.path)
    for source in [s.path for s in v.stories] + [v.issue.path]:
        try:
            lines = (project.root / source).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        line = next((n for n, text in enumerate(lines, 1) if written in text), 0)
        if line:
            where = Location(source, line)
            break
    return Diagnostic(Severity.ERROR, f"{v.key}: {exc} (write the link without "
                      f"{exc.sequence!r}, e.g. percent-encode '%' as %25)", where, "esp-unescapable")


def _digest(entries: list[dict]) -> str:
    lines = "".join(f"{e['path']}\0{e['sha256']}\n" for e in entries)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _previous(path: Path, diagnostics: Diagnostics, shown: str) -> dict[str, str] | None:
    """Message key -> digest from the last export's manifest; None when there is none."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: entry["sha256"] for key, entry in data["messages"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        diagnostics.warning("the previous export manifest is unreadable; every message counts "
                            "as added", Location(shown), "export-manifest")
        return None


def _check_failures(project: Project, outputs: list[Output]) -> list[Diagnostic]:
    """One line per message that fails its checks: it must not reach a provider unnoticed."""
    report = run_checks(project, outputs, expensive=False)
    found = []
    for variant in report.variants:
        failing = [r for r in variant.results if r.severity == "error"]
        if failing:
            first = failing[0].finding
            found.append(Diagnostic(Severity.ERROR, f"{variant.issue}/{variant.audience} fails "
                                    f"{len(failing)} check(s), first: {first.message} "
                                    f"[{failing[0].check.id}]", first.location, "check-failed"))
    return found


def export(root: Path, esp_name: str, out_dir: Path | None = None, force: bool = False) -> ExportResult:
    """Build `root` and write one upload bundle per email for the provider `esp_name`.

    Raises BuildError (and leaves any previous export untouched) for an unknown provider,
    an invalid project, a message the provider would refuse, or a message that fails its
    checks (unless `force`, which turns those into warnings).
    """
    root = Path(root)
    try:
        dialect = esp.get(esp_name)
    except KeyError as exc:
        raise BuildError([Diagnostic(Severity.ERROR, exc.args[0], None, "esp")]) from None
    project, diagnostics = load(root)
    out_dir = Path(out_dir) if out_dir else root / EXPORT_DIR / dialect.name
    sources = project_sources(root, project.config)
    check_out_dir(out_dir, sources)  # refused before any work, and before checks can fail
    samples = load_samples(root, diagnostics)
    diagnostics.raise_if_errors()
    outputs = [o for o in render(project, Timer()) if o.variant.channel == "email"]
    failures = _check_failures(project, outputs)
    if failures and not force:
        raise BuildError(failures)
    for failure in failures:
        diagnostics.warning(failure.message, failure.location, failure.code)

    literal = literal_text(root)
    files: dict[str, bytes] = {}
    entries: dict[str, dict] = {}
    errors: list[Diagnostic] = []
    for output in outputs:
        v = output.variant
        message = message_for(project, output,
                              match_sample(samples, v.audience.id, v.locale))
        try:
            bundle = dialect.bundle(message)
            generated = provider_counts(dialect.bundle(skeleton(message)), dialect.syntax,
                                        dialect.syntax_escaped)
        except Unescapable as exc:
            errors.append(_unescapable(project, output, exc))
            continue
        except esp.ExportError as exc:
            text = str(exc) if str(exc).startswith(f"{message.key}:") else f"{message.key}: {exc}"
            errors.append(Diagnostic(Severity.ERROR, text, Location(v.issue.path), "esp-limit"))
            continue
        provenance = Provenance(literal, our_syntax=not any("{" in p for p in dialect.syntax),
                                provider=dialect.syntax, escaped=dialect.syntax_escaped,
                                expected=generated)
        enforce(bundle, provenance, f"{message.key}/")
        rows = []
        for name, data in sorted(bundle.items()):
            path = f"{message.key}/{name}"
            files[path] = data
            rows.append(file_entry(path, data))
        entries[message.key] = {
            "template": message.name, "title": message.title, "source": v.issue.path,
            "subject": merge.plain(v.text.subject), "sha256": _digest(rows), "files": rows}
    if errors:
        raise BuildError(errors)
    files.update(contacts.contact_files(
        project, dialect, [o.extra[k] for o in outputs for k in ("html_tokens", "text_tokens")]
        + [o.variant.text.subject for o in outputs], load_customer_data(project), diagnostics))

    shown = relative(out_dir / MANIFEST, root)
    previous = _previous(out_dir / MANIFEST, diagnostics, shown) or {}
    result = ExportResult(dialect.name, dialect.label, out_dir, files, sorted(entries))
    for key in result.messages:
        if key not in previous:
            result.added.append(key)
        elif previous[key] != entries[key]["sha256"]:
            result.changed.append(key)
        else:
            result.unchanged.append(key)
    result.removed = sorted(set(previous) - set(entries))

    manifest: dict = {"generator": f"newsletter {__version__}", "esp": dialect.name,
                      "messages": entries}
    epoch = source_date_epoch()
    if epoch is not None:
        manifest["source_date_epoch"] = epoch
    files[MANIFEST] = dumps(manifest)
    enforce({MANIFEST: files[MANIFEST]}, Provenance(literal))
    try:
        write_tree(out_dir, files, epoch, sources=sources)
    except UnsafePath as exc:
        raise BuildError([Diagnostic(Severity.ERROR, str(exc), None, "unsafe-path")]) from None
    result.diagnostics = diagnostics.items
    return result
