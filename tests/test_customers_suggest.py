"""Suggestions for next month and story scaffolding, on a fixture with known customers.

customers-basic, planning November 2026 (featured_gap = 2, consent_warning_days = 90):
the October issue featured Tom Baker (new-readers) and 林梅 (book-clubs).
"""

from datetime import date
from pathlib import Path

import pytest
import yaml

from newsletter.build import load
from newsletter.customers.data import load_customer_data
from newsletter.customers.ledger import build_ledger
from newsletter.customers.suggest import month_range, scaffold_story, suggest
from newsletter.core.diagnostics import Diagnostics
from newsletter.content.reader import read_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _plan(root, month="2026-11"):
    project, _ = load(root)
    data = load_customer_data(project)
    start, end = month_range(month, date(2026, 10, 20))
    return suggest(project, data, build_ledger(project), start, end)


def test_month_range():
    assert month_range("2026-11", date(2026, 1, 1)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert month_range(None, date(2026, 12, 15)) == (date(2027, 1, 1), date(2027, 1, 31))
    with pytest.raises(ValueError, match="month must look like 2026-12"):
        month_range("2026-13", date(2026, 1, 1))


def test_features_top_tier_promoters_with_consent_not_featured_lately(basic):
    plan = _plan(basic)
    assert plan.recent_issues == ["2026-10"]
    picks = {audience: [c.profile.name for c in items] for audience, items in plan.features.items()}
    # Left out: Tom (featured in October), Arjun (consent ends 20 November), Helen (no consent),
    # 林梅 (a passive), Dave and 陈静 (detractors), Nina and Owen (bronze).
    assert picks == {"new-readers": ["Ruth Okoye"], "book-clubs": ["王强"]}
    ruth = plan.features["new-readers"][0]
    assert ruth.stories == () and ruth.last_featured is None


def test_a_customer_featured_before_the_gap_comes_back_after_fresh_faces(basic):
    toml = basic / "newsletter.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("featured_gap = 2", "featured_gap = 1"),
                    encoding="utf-8")
    (basic / "content/issues/2026-11.md").write_text(
        "---\ntitle: November\nsubject: Reading tips\ndate: 2026-11-02\nsections:\n"
        "  - title: Read more\n    pick: {kind: [guide], newest: 1}\n---\nHello.\n", encoding="utf-8")
    plan = _plan(basic, "2026-12")
    assert plan.recent_issues == ["2026-11"]
    picks = [(c.profile.name, c.last_featured.issue if c.last_featured else None)
             for c in plan.features["new-readers"]]
    # Both platinum: never-featured Ruth before Tom, although Tom is worth more.
    assert picks == [("Ruth Okoye", None), ("Tom Baker", "2026-10")]
    assert plan.features["new-readers"][1].stories == ("tom-testimonial",)


def test_consent_expiring_and_detractors_to_call(basic):
    plan = _plan(basic)
    # Tom's testimonial consent ends 2027-01-01: 61 days after 1 November, inside 90.
    assert [(e.story, e.name, str(e.expires), e.days_left) for e in plan.expiring] == [
        ("tom-testimonial", "Tom Baker", "2027-01-01", 61)]
    assert [(f.profile.name, f.profile.record.nps) for f in plan.follow_up] == [
        ("Dave Cole", 3), ("陈静", 5)]  # most valuable first: £6,000 then £1,800


def test_to_dict_is_plain_data(basic):
    project, _ = load(basic)
    data = load_customer_data(project)
    start, end = month_range("2026-11", date(2026, 10, 20))
    out = suggest(project, data, build_ledger(project), start, end).to_dict("GBP", "en")
    assert out["month"] == "2026-11"
    assert out["feature"]["new-readers"][0]["lifetime_value_text"] == "£43,200.00"
    assert out["follow_up"][0]["email"] == "dave@lumen-customer.example"


def test_scaffold_writes_a_story_the_reader_accepts_and_never_overwrites(basic):
    project, _ = load(basic)
    data = load_customer_data(project)
    path = scaffold_story(project, data, "L-3", date(2026, 10, 20), send=date(2026, 11, 1))
    assert path == basic / "content/stories/ruth-okoye-spotlight.md"
    diagnostics = Diagnostics()
    story = read_project(basic, diagnostics).stories["ruth-okoye-spotlight"]
    assert diagnostics.errors == []
    meta = story.meta
    assert (meta.kind, meta.customer.name, meta.customer.tier, str(meta.customer.since)) == (
        "spotlight", "Ruth Okoye", "platinum", "2020-03-15")
    assert meta.audiences == ["new-readers"] and meta.customer.company is None
    assert (str(meta.consent.granted), str(meta.consent.expires)) == ("2026-06-01", "2027-06-01")
    assert str(meta.date) == "2026-10-20"
    with pytest.raises(FileExistsError):
        scaffold_story(project, data, "L-3", date(2026, 10, 20))
    with pytest.raises(KeyError):
        scaffold_story(project, data, "nobody", date(2026, 10, 20))


def test_scaffold_for_a_non_latin_name_uses_the_id_and_the_locale(basic):
    project, _ = load(basic)
    data = load_customer_data(project)
    path = scaffold_story(project, data, "L-6", date(2026, 10, 20))
    assert path.name == "l-6-spotlight.md"
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert front["locale"] == "zh-CN" and front["customer"]["name"] == "王强"
    assert front["customer"]["company"] == "北京读书角" and front["audiences"] == ["book-clubs"]
    diagnostics = Diagnostics()
    assert "l-6-spotlight" in read_project(basic, diagnostics).stories and not diagnostics.errors


def test_scaffold_without_consent_leaves_a_reminder(basic):
    project, _ = load(basic)
    data = load_customer_data(project)
    text = scaffold_story(project, data, "L-5", date(2026, 10, 20)).read_text(encoding="utf-8")
    assert "consent:" not in text.split("# consent: TODO")[0]
    assert "# consent: TODO, no publication consent on record" in text
