"""The checks measured against the editor-labelled corpus (tests/corpus/): agreement per
question and per language, and no false pass in the classes that must never slip through.

Each corpus message becomes a tiny project (tests/corpus_project.py), read, rendered and
checked in memory once per session; a question "fails" for the tool when a check of that
question reports an error (warnings are advice and do not fail a question).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from .corpus_project import QUESTIONS, corpus, write_project
from newsletter.core.diagnostics import BuildError, Severity
from newsletter.inspect import check_project

#: Agreement with the editor that every question must reach.
MIN_AGREEMENT = 0.95
#: Classes where the tool may never let out a message the editor fails.
NO_FALSE_PASS = ("no-social-proof", "early-promo", "boilerplate")


#: Input errors that belong to a question: a broken personalisation tag is a Q3 failure.
INPUT_ERRORS = {"merge-tag": "q3"}


def judge(root) -> tuple[dict[str, str | None], list[str]]:
    """pass/fail per question for one project, and the error findings that decided it.

    An input error stops the build before any check runs: the question it belongs to fails
    and the others are not judged (None), so they count neither for nor against the checks.
    """
    try:
        report, _ = check_project(root, expensive=False)
    except BuildError as exc:
        errors = [d for d in exc.diagnostics if d.severity is Severity.ERROR]
        questions = {INPUT_ERRORS.get(d.code) for d in errors}
        verdicts = {q: ("fail" if q in questions or None in questions else None) for q in QUESTIONS}
        return verdicts, [f"{INPUT_ERRORS.get(d.code, 'q?')} input: {d}" for d in errors]
    verdicts = {q: "pass" for q in QUESTIONS}
    reasons = []
    for variant in report.variants:
        for result in variant.results:
            if result.severity == "error" and result.check.question in (1, 2, 3, 4):
                verdicts[f"q{result.check.question}"] = "fail"
                reasons.append(f"q{result.check.question} {result.check.id}: {result.finding.message}")
    return verdicts, reasons


@pytest.fixture(scope="session")
def measured(tmp_path_factory):
    """Every corpus message judged once: (item, tool verdicts, reasons)."""
    base = tmp_path_factory.mktemp("corpus")
    out = []
    for item in corpus():
        root = write_project(item, base / item["id"])
        verdicts, reasons = judge(root)
        out.append((item, verdicts, reasons))
    return out


def agree(item, verdicts, q) -> bool | None:
    """Whether the checks agree with the editor on one question (None: not judged)."""
    return None if verdicts[q] is None else verdicts[q] == item["labels"][q]


def agreement_table(measured) -> str:
    """Markdown table: agreement per question and language, and all four questions per message."""
    per = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for item, verdicts, _ in measured:
        for group in (item["file"], "total"):
            for q in QUESTIONS:
                if agree(item, verdicts, q) is not None:
                    per[group][q][0] += agree(item, verdicts, q)
                    per[group][q][1] += 1
            per[group]["all"][0] += all(verdicts[q] == item["labels"][q] for q in QUESTIONS)
            per[group]["all"][1] += 1
    rows = ["| locale | messages | Q1 | Q2 | Q3 | Q4 | all four |", "|---|---|---|---|---|---|---|"]
    for group in sorted(g for g in per if g != "total") + ["total"]:
        cells = [f"{per[group][k][0] / per[group][k][1]:.0%}" for k in (*QUESTIONS, "all")]
        name = f"**{group}**" if group == "total" else group
        rows.append(f"| {name} | {per[group]['all'][1]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def disagreements(measured) -> list[str]:
    lines = []
    for item, verdicts, reasons in measured:
        for q in QUESTIONS:
            if agree(item, verdicts, q) is False:
                why = "; ".join(r for r in reasons if r.startswith(q)) or "no error"
                lines.append(f"{item['id']} {q}: editor {item['labels'][q]}, tool {verdicts[q]} "
                             f"{item['classes']} ({why})")
    return lines


def test_agreement_per_question_is_at_least_95_percent(measured):
    print("\n" + agreement_table(measured))
    print("\n".join(disagreements(measured)))
    for q in QUESTIONS:
        judged = [agree(item, v, q) for item, v, _ in measured if agree(item, v, q) is not None]
        share = sum(judged) / len(judged)
        assert share >= MIN_AGREEMENT, f"{q}: {share:.1%} agreement\n" + "\n".join(disagreements(measured))


@pytest.mark.parametrize("klass", NO_FALSE_PASS)
def test_no_false_pass(measured, klass):
    slipped = [f"{item['id']} {q}" for item, verdicts, _ in measured if klass in item["classes"]
               for q in QUESTIONS if item["labels"][q] == "fail" and verdicts[q] == "pass"]
    assert not slipped, f"{klass}: the editor fails these and the checks let them out: {slipped}"


def test_readme_shows_the_measured_table(measured, repo):
    """The agreement table in README.md is the one this run measured."""
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert agreement_table(measured) in readme, "update README's corpus table:\n" + agreement_table(measured)
