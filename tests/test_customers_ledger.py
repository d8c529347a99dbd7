"""The featured-customer ledger and the two checks built on it (question 1)."""

from datetime import date
from pathlib import Path


from newsletter.build import load
from newsletter.customers.ledger import build_ledger

from .checkhelpers import findings, verdicts
from .conftest import edit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOVEMBER = """---
title: November 2026
subject: "{{ first_name | Reader }}, Tom again"
preheader: Tom's second month with us, and the habit that stuck with our readers.
date: 2026-11-02
sections:
  - title: {en: From our readers, zh-CN: 读者故事}
    stories: [tom-testimonial, mei-spotlight]
  - title: {en: Read more, zh-CN: 多读一点}
    pick: {kind: [guide], newest: 1}
---
Hi {{ first_name | there }},

Tom is back with more.
"""


def test_ledger_lists_who_was_featured_where_and_when(basic):
    (basic / "content/issues/2026-11.md").write_text(NOVEMBER, encoding="utf-8")
    project, _ = load(basic)
    ledger = build_ledger(project)
    assert ledger.issues == [("2026-10", date(2026, 10, 5)), ("2026-11", date(2026, 11, 2))]
    assert [(f.issue, f.audience, f.story, f.name) for f in ledger.features] == [
        ("2026-10", "new-readers", "tom-testimonial", "Tom Baker"),
        ("2026-10", "book-clubs", "mei-spotlight", "林梅"),
        ("2026-11", "new-readers", "tom-testimonial", "Tom Baker"),
        ("2026-11", "book-clubs", "mei-spotlight", "林梅"),
    ]
    assert ledger.previous_issue("2026-11") == "2026-10" and ledger.previous_issue("2026-10") is None
    assert ledger.last_featured("tom  BAKER").issue == "2026-11"  # names match loosely
    assert ledger.last_featured("Tom Baker", before=date(2026, 11, 1)).issue == "2026-10"
    assert ledger.issues_before(date(2026, 12, 1), 1) == ["2026-11"]
    assert ledger.to_dicts()[0]["date"] == "2026-10-05"


def test_same_customer_in_consecutive_issues_is_a_warning(basic):
    (basic / "content/issues/2026-11.md").write_text(NOVEMBER, encoding="utf-8")
    found = findings(basic, "q1-featured-recently")
    assert found == [
        ("warning", "content/stories/tom-testimonial.md:6:9",
         "tom-testimonial: Tom Baker was also featured in the previous issue, 2026-10 "
         "(tom-testimonial for new-readers)",
         "feature another top-tier customer this time; `newsletter suggest` lists who has not "
         "been featured lately"),
        ("warning", "content/stories/mei-spotlight.md:8:9",
         "mei-spotlight: 林梅 was also featured in the previous issue, 2026-10 "
         "(mei-spotlight for book-clubs)",
         "feature another top-tier customer this time; `newsletter suggest` lists who has not "
         "been featured lately"),
    ]


def test_a_single_issue_and_fresh_faces_pass(basic):
    assert findings(basic, "q1-featured-recently") == []
    assert findings(basic, "q1-tier-from-data") == []
    for audience in ("new-readers", "book-clubs"):
        assert set(verdicts(basic, audience).values()) == {"pass"}


def test_hand_typed_tier_that_disagrees_with_data_is_a_warning(basic):
    edit(basic / "content/stories/mei-spotlight.md", "tier: gold", "tier: platinum")
    assert findings(basic, "q1-tier-from-data") == [(
        "warning", "content/stories/mei-spotlight.md:10:9",
        "mei-spotlight: the story says 林梅 is platinum; the customer data "
        "(content/customers.csv:3) makes them gold on 2026-10-05",
        "set customer.tier to gold")]


def test_expired_consent_in_data_is_an_error(basic):
    edit(basic / "content/customers.csv", "2026-01-01,2027-01-01", "2025-01-01,2026-09-30")
    assert findings(basic, "q1-tier-from-data") == [(
        "error", "content/stories/tom-testimonial.md:15:12",
        "tom-testimonial: Tom Baker consent in the customer data expired 2026-09-30 "
        "(content/customers.csv:2, send date 2026-10-05); this story must not be sent",
        "renew the consent and update the export, or remove the story from the issue")]
    assert verdicts(basic, "new-readers")["1"] == "fail"


def test_without_customer_data_the_tier_check_is_silent(basic):
    (basic / "content/customers.csv").unlink()
    assert findings(basic, "q1-tier-from-data") == []


def test_customer_missing_from_data_is_info_and_a_bad_row_is_an_error(basic):
    edit(basic / "content/customers.csv", "L-2,林梅,", "L-2,林 梅梅,")
    with (basic / "content/customers.csv").open("a", encoding="utf-8") as f:
        f.write("L-99,,,,,,,,,,,,,,,,\n")
    from newsletter.inspect import check_project

    report, _ = check_project(basic, expensive=False)
    seen = [(r.severity, r.finding.message, str(r.finding.location or ""))
            for v in report.variants for r in v.results
            if r.check.id == "q1-tier-from-data" and not r.finding.passed]
    assert ("info", "mei-spotlight: 林梅 is not in the customer data, so the tier 'gold' is hand-typed",
            "content/stories/mei-spotlight.md:8:9") in seen
    # Broken data does not switch the data checks off quietly: every message fails on it.
    broken = [s for s in seen if s[0] == "error"]
    assert broken and all(s == ("error", "customer data is broken: 1 error(s) in content/customers.csv, first: "
                                "row skipped: no name", "content/customers.csv:12") for s in broken)
