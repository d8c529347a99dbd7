"""Run every registered check on every built message and turn findings into verdicts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from ..core.sourcemap import load_toml
from .context import CheckContext
from .registry import QUESTIONS, REGISTRY, Check, Finding, Settings, load_plugins
from .reuse import Looks, ProjectView, SharedView

VERDICT_ORDER = {"fail": 0, "warn": 1, "pass": 2}


@dataclass
class Result:
    check: Check
    finding: Finding
    severity: str

    def to_dict(self) -> dict[str, Any]:
        return self.finding.to_dict(self.check, self.severity)


@dataclass
class VariantReport:
    issue: str
    audience: str
    channel: str
    results: list[Result] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.issue}/{self.audience}/{self.channel}"

    def verdicts(self) -> dict[str, str]:
        """pass / warn / fail per question (1-4) and for the checklist."""
        out = {}
        for question in QUESTIONS:
            severities = {r.severity for r in self.results if r.check.question == question}
            out[str(question)] = "fail" if "error" in severities else "warn" if "warning" in severities else "pass"
        return out

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def to_dict(self) -> dict[str, Any]:
        return {"issue": self.issue, "audience": self.audience, "channel": self.channel,
                "verdicts": self.verdicts(), "errors": self.count("error"),
                "warnings": self.count("warning"), "findings": [r.to_dict() for r in self.results]}


@dataclass
class CheckReport:
    variants: list[VariantReport]
    skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(v.count("error") for v in self.variants)

    @property
    def warnings(self) -> int:
        return sum(v.count("warning") for v in self.variants)

    def for_key(self, key: str) -> VariantReport | None:
        if getattr(self, "_by_key", None) is None or len(self._by_key) != len(self.variants):
            self._by_key = {v.key: v for v in self.variants}  # looked up once per output
        return self._by_key.get(key)

    def to_dict(self) -> dict[str, Any]:
        return {"errors": self.errors, "warnings": self.warnings, "skipped_checks": self.skipped,
                "questions": {str(k): v for k, v in QUESTIONS.items()},
                "variants": [v.to_dict() for v in self.variants]}


def _settings(project) -> Settings:
    checks = project.config.checks
    unknown = sorted(set(checks.severity) - set(REGISTRY))
    if unknown:
        # Checks can come from plugins, so ids are known only now; the config's lines are read again.
        config = project.root / "newsletter.toml"
        _, smap = load_toml(config.read_text(encoding="utf-8"))
        problems = []
        for name in unknown:
            line, col = smap.key(("checks", "severity", name))
            close = difflib.get_close_matches(name, list(REGISTRY), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else " (newsletter check --list shows them)"
            problems.append(Diagnostic(Severity.ERROR, f"[checks.severity] names unknown check '{name}'{hint}",
                                       Location("newsletter.toml", line, col), "unknown-check"))
        raise BuildError(problems)
    return Settings(dict(checks.severity))


def prepare(project) -> None:
    """Import the project's own checks named in `[checks] plugins`."""
    try:
        load_plugins(project.root, project.config.checks.plugins)
    except Exception as exc:  # a broken plugin is the user's file: report it in one line
        raise BuildError([Diagnostic(Severity.ERROR, f"cannot load check plugin: {type(exc).__name__}: {exc}",
                                     Location("newsletter.toml"), "plugin")]) from None


def run_checks(project, outputs, expensive: bool = True, memo=None) -> CheckReport:
    """Every enabled check on every output; expensive ones (spam score) only when asked.

    `memo` (newsletter.cache.MessageMemo) keeps what a run found: the whole report, handed
    back as it was when no input of the run changed (every message, source file and setting),
    and the findings of each check that looked at its message alone (see
    newsletter.checks.reuse), handed back for each message whose inputs did not change.
    Checks that look across messages run again whenever anything changed. Runs with the
    expensive checks are not kept whole: the spam scorer's rules live outside the project.
    """
    prepare(project)
    settings = _settings(project)
    skipped = sorted(c.id for c in REGISTRY.values() if c.expensive and not expensive)
    whole = memo.report_key([o.variant for o in outputs], expensive) if memo is not None and not expensive else None
    if whole is not None:
        kept = _restore(memo.report(whole), outputs, skipped)
        if kept is not None:
            return kept
    report = _run(project, outputs, expensive, memo, settings, skipped)
    if whole is not None:
        memo.keep_report(whole, [(r.issue, r.audience, r.channel, [(x.check.id, x.finding, x.severity)
                                                                   for x in r.results]) for r in report.variants])
    return report


def _restore(stored, outputs, skipped: list[str]) -> CheckReport | None:
    """A report kept by an earlier run with the same inputs, or None when it cannot be used."""
    if stored is None or len(stored) != len(outputs):
        return None
    variants = []
    for issue, audience, channel, results in stored:
        if any(check_id not in REGISTRY for check_id, _, _ in results):
            return None  # a plugin check went away: run again
        variants.append(VariantReport(issue, audience, channel,
                                      [Result(REGISTRY[c], finding, severity) for c, finding, severity in results]))
    return CheckReport(variants, skipped)


def _enabled(settings: Settings, expensive: bool) -> list[Check]:
    return [item for item in sorted(REGISTRY.values(), key=lambda c: (str(c.question), c.id))
            if (expensive or not item.expensive) and settings.overrides.get(item.id) != "off"]


_ACROSS = "run.checks-across"


def check_alone(project, output, own_memo: dict) -> dict[str, list[Finding]]:
    """The findings of each cheap check that looked at this message alone, by check id.

    Called where the message was rendered (a render worker), so those checks run on every
    core; `run_checks` takes them (from `output.checked`) instead of running them again and
    runs the checks that looked across messages, which need every message. `own_memo` is
    the caller's CheckContext.own_memo, kept across the messages it checks.
    """
    looks = Looks()
    ctx = CheckContext(ProjectView(project, looks), output, SharedView({}, looks), own_memo, project.root)
    # A check seen looking across messages is left to run_checks from then on: what it found
    # here would be thrown away (a ledger of every issue, rebuilt for every message).
    across = own_memo.setdefault(_ACROSS, set())
    found: dict[str, list[Finding]] = {}
    for item in _enabled(_settings(project), expensive=False):
        if item.batch is not None or item.id in across:
            continue
        looks.beyond = False
        try:
            findings = list(item.run(ctx) or [])
        except Exception:  # run_checks runs it again and reports the crash
            continue
        if looks.beyond:
            across.add(item.id)
        else:
            found[item.id] = findings
    return found


def _run(project, outputs, expensive: bool, memo, settings: Settings, skipped: list[str]) -> CheckReport:
    """Run the checks, reusing per-message findings from `memo` where they still hold."""
    # Checks that look across messages (a pack's whole sequence) read the variants from here.
    shared: dict = {"variants": [output.variant for output in outputs]}
    reports = []
    enabled = _enabled(settings, expensive)
    looks = Looks()
    own: dict = {}  # results derived from every message's own inputs (CheckContext.own_memo)
    if memo is None:
        contexts = [CheckContext(project, output, shared, own, project.root) for output in outputs]
    else:
        view, memo_shared = ProjectView(project, looks), SharedView(shared, looks)
        contexts = [CheckContext(view, output, memo_shared, own, project.root) for output in outputs]
    for item in enabled:
        if item.batch is not None:
            item.batch(contexts)
    for output, ctx in zip(outputs, contexts):
        v = output.variant
        report = VariantReport(v.issue.id, v.audience.id, v.channel)
        stored = memo.findings(v) if memo is not None else {}
        kept = {**(getattr(output, "checked", None) or {}), **stored}
        fresh: dict[str, list[Finding]] = {}
        for item in enabled:
            if item.id in kept:
                findings = kept[item.id]
            else:
                looks.beyond = False
                try:
                    findings = list(item.run(ctx) or [])
                    if not looks.beyond:
                        fresh[item.id] = findings
                except Exception as exc:  # one broken check must not hide the others' findings
                    findings = [Finding(f"check crashed: {type(exc).__name__}: {exc}", None, severity="error")]
            for finding in findings:
                severity = settings.severity(item, finding)
                if severity != "off":
                    report.results.append(Result(item, finding, severity))
        if memo is not None and (fresh or kept.keys() != stored.keys()):
            memo.keep_findings(v, {**kept, **fresh})
        ctx.forget()  # its HTML and text views are not needed again: a large build stays small
        reports.append(report)
    return CheckReport(reports, skipped)
