"""Redemption with and without a reminder, from two customer exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from newsletter.build import load
from newsletter.core.diagnostics import Diagnostics
from newsletter.results.redemption import reminder_audiences
from newsletter.results.report import build_reports

HEADER = "id,name,email,audience,benefits_issued,benefits_redeemed\n"


def setup(example: Path, before: str, after: str | None, delivered: list[str]) -> Path:
    folder = example / "content/results/2026-10"
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    events = [{"event": "delivered", "email": e} for e in delivered]
    (folder / "sendgrid-new-subscribers.json").write_text(json.dumps(events), encoding="utf-8")
    (folder / "customers-before.csv").write_text(HEADER + before, encoding="utf-8")
    if after is not None:
        (folder / "customers-after.csv").write_text(HEADER + after, encoding="utf-8")
    return example


def test_reminder_audiences_of_the_example_issue(example: Path):
    project, _ = load(example)
    # cupping-voucher-reminder suits new-subscribers, kapping-voucher-napominanie home-brewers-ru
    assert reminder_audiences(project, "2026-10") == ["new-subscribers", "home-brewers-ru"]


def test_reminded_against_not_reminded(example: Path):
    before = ("A1,Ann,a@x.example,new-subscribers,2,0\n"   # reminded, redeems 1
              "A2,Ben,b@x.example,new-subscribers,1,0\n"   # reminded, redeems none
              "A3,Cat,c@x.example,new-subscribers,1,0\n"   # not delivered: not reminded, redeems 1
              "A4,Dov,d@x.example,cafe-owners,3,1\n"       # no reminder in that audience, redeems 2
              "A5,Eve,e@x.example,new-subscribers,1,1\n")  # nothing unused: left out
    after = ("A1,Ann,a@x.example,new-subscribers,2,1\nA2,Ben,b@x.example,new-subscribers,1,0\n"
             "A3,Cat,c@x.example,new-subscribers,1,1\nA4,Dov,d@x.example,cafe-owners,3,3\n"
             "A5,Eve,e@x.example,new-subscribers,1,1\n")
    root = setup(example, before, after, ["A@X.example", "b@x.example", "e@x.example"])
    project, _ = load(root)
    diagnostics = Diagnostics()
    (report,) = build_reports(project, diagnostics)
    assert diagnostics.items == []
    r = report.redemption.to_dict()
    assert r["reminded"] | {} == {"label": "with a reminder", "customers": 2, "redeemed_customers": 1,
                                  "rate": 0.5, "unused_benefits_before": 3, "benefits_redeemed_after": 1,
                                  "benefit_rate": 1 / 3}
    assert (r["not_reminded"]["customers"], r["not_reminded"]["redeemed_customers"],
            r["not_reminded"]["unused_benefits_before"], r["not_reminded"]["benefits_redeemed_after"]) == (2, 2, 3, 3)


def test_missing_after_export_is_an_error(example: Path):
    root = setup(example, "A1,Ann,a@x.example,new-subscribers,2,0\n", None, ["a@x.example"])
    project, _ = load(root)
    diagnostics = Diagnostics()
    (report,) = build_reports(project, diagnostics)
    assert report.redemption is None
    (error,) = diagnostics.errors
    assert error.code == "results-redemption" and "no customers-after" in error.message


def test_customer_missing_after_and_bad_rows_are_reported(example: Path):
    root = setup(example, "A1,Ann,a@x.example,new-subscribers,2,0\n,NoId,n@x.example,new-subscribers,1,0\n",
                 "", ["a@x.example"])
    project, _ = load(root)
    diagnostics = Diagnostics()
    build_reports(project, diagnostics)
    lines = sorted(str(d) for d in diagnostics.items)
    assert lines[0].startswith("content/results/2026-10/customers-before.csv:2: warning: customer 'A1' is not in")
    assert lines[1].startswith("content/results/2026-10/customers-before.csv:3: error: row skipped: no id")
