"""Where result exports live in a project, and reading all of them with capped diagnostics.

Layout: content/results/<issue>/<provider>-<audience>.<json|csv>, one export per issue x
audience (each audience's variant goes out as its own campaign or template), e.g.
content/results/2026-10/sendgrid-cafe-owners.json. Two customer exports in the same
folder, customers-before.csv and customers-after.csv (or .json), measure redemption.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import Diagnostic, Diagnostics, Location, Severity, relative
from ..content.reader_common import read_export
from .events import Event
from .providers import PROVIDERS, read_events

RESULTS_DIR = "content/results"
CUSTOMER_EXPORTS = ("customers-before", "customers-after")
#: Diagnostics of one kind shown before the rest are summed up in one line.
DEFAULT_CAP = 5


@dataclass
class ResultFile:
    """One provider export: which issue and audience it is for, and its events."""

    path: str
    issue: str
    audience: str
    provider: str
    events: list[Event] = field(default_factory=list)


@dataclass
class IssueResults:
    """Every export found for one issue, plus its before/after customer exports if present."""

    issue: str
    files: list[ResultFile]
    customer_exports: dict[str, str]  # "customers-before" / "customers-after" -> project path


def _split(stem: str, audiences: set[str]) -> tuple[str, str] | None:
    provider, sep, audience = stem.partition("-")
    if not sep or provider not in PROVIDERS or audience not in audiences:
        return None
    return provider, audience


def find_results(root: Path, issues: set[str], audiences: set[str],
                 diagnostics: Diagnostics) -> dict[str, IssueResults]:
    """Every issue folder under content/results/, its exports read; bad names reported."""
    base = root / RESULTS_DIR
    found: dict[str, IssueResults] = {}
    if not base.is_dir():
        return found
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        name = relative(folder, root)
        if folder.name not in issues:
            diagnostics.error(f"no issue '{folder.name}' (known: {', '.join(sorted(issues))}); "
                              "name the folder after the issue the results are for",
                              Location(name), "results-file")
            continue
        results = IssueResults(folder.name, [], {})
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            rel = relative(path, root)
            suffix = path.suffix.lower()
            if path.stem in CUSTOMER_EXPORTS and suffix in (".csv", ".json"):
                results.customer_exports[path.stem] = rel
                continue
            split = _split(path.stem, audiences)
            if split is None:
                diagnostics.error(
                    f"not a results file: name it <provider>-<audience>{suffix or '.json'} with a provider "
                    f"({', '.join(PROVIDERS)}) and an audience ({', '.join(sorted(audiences))}), or "
                    "customers-before/customers-after for redemption", Location(rel), "results-file")
                continue
            provider, audience = split
            expected = PROVIDERS[provider][1]
            if suffix != expected:
                diagnostics.error(f"{provider} exports are read as {expected} files", Location(rel),
                                  "results-file")
                continue
            text = read_export(path, rel, diagnostics)
            if text is None:
                continue
            results.files.append(ResultFile(rel, folder.name, audience, provider,
                                            read_events(provider, text, rel, diagnostics)))
        found[folder.name] = results
    return found


def capped(items: list[Diagnostic], limit: int = DEFAULT_CAP) -> list[Diagnostic]:
    """The first `limit` findings of each kind, then one line per kind saying how many more."""
    shown: list[Diagnostic] = []
    counts: Counter[tuple[Severity, str]] = Counter()
    for item in items:
        counts[item.severity, item.code] += 1
        if counts[item.severity, item.code] <= limit:
            shown.append(item)
    for (severity, code), count in counts.items():
        if count > limit:
            shown.append(Diagnostic(severity, f"{count - limit} more problem(s) of this kind not shown (raise --max-problems to see them)", None, code))
    return shown
