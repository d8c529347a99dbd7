"""Lifetime value, NPS, tiers and onboarding, checked against values worked out by hand.

tests/fixtures/customers-basic/content/customers.csv on 2026-10-05, with its ladder:
platinum >= £20,000 and 5 years and NPS 9; gold >= £5,000 and 2 years and NPS 7;
silver >= £1,000; bronze for everyone else.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from newsletter.build import load
from newsletter.customers.data import load_customer_data
from newsletter.customers.metrics import (NpsSummary, assign_tier, expected_progress, format_money,
                                          ladder, lifetime_value, nps, nps_by_audience)
from newsletter.customers.records import CustomerRecord
from newsletter.content.customer_settings import TierRule
from newsletter.core.diagnostics import Location

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 10, 5)


@pytest.fixture
def profiles(basic):
    project, _ = load(basic)
    data = load_customer_data(project)
    assert data.diagnostics.items == []
    return {p.id: p for p in data.profiles(TODAY)}


def test_lifetime_value_is_purchases_times_order_times_years(profiles):
    # The publisher from the brief: 20 books a year x 500 x 5 years.
    assert profiles["L-1"].ltv == Decimal("50000")
    assert profiles["L-2"].ltv == 12 * 450 * 4 == 21600
    assert profiles["L-9"].ltv == 4 * 100 * 2 == 800
    record = CustomerRecord("x", "No Orders", Location("f.csv", 2), purchases_per_year=Decimal(3))
    assert lifetime_value(record) is None  # unknown, not zero


def test_money_is_written_the_locale_way():
    amount = Decimal("50000")
    assert format_money(amount, "BRL", "pt-BR") == "R$\xa050.000,00"
    assert format_money(amount, "RUB", "ru") == "50\xa0000,00\xa0₽"
    assert format_money(amount, "GBP", "en") == "£50,000.00"
    assert format_money(None, "GBP", "en") == "–"


def test_tiers_from_rules_first_match_top_down(profiles):
    tiers = {pid: p.tier for pid, p in profiles.items()}
    assert tiers == {
        "L-1": "platinum",  # £50,000, 7.8 years, NPS 10
        "L-2": "gold",      # £21,600 and 5.4 years but NPS 8: not platinum
        "L-3": "platinum",  # £43,200, 6.6 years, NPS 9
        "L-4": "gold",      # £24,000, NPS 9, but 3.7 years
        "L-5": "platinum",  # £96,000, 8.3 years, NPS 10
        "L-6": "platinum",  # £72,000, 7.1 years, NPS 10
        "L-7": "silver",    # £6,000 and 4.5 years, but a detractor (3): not gold
        "L-8": "silver",    # £1,800
        "L-9": "bronze",    # £800
        "L-10": "bronze",   # £800
    }


def test_tier_rules_can_be_scoped_to_audiences_and_need_an_answer_for_min_nps():
    rules = [TierRule(name="platinum", min_ltv=100, audiences=["trade"]),
             TierRule(name="gold", min_nps=9), TierRule(name="silver", min_years=1)]
    assert assign_tier(rules, "trade", Decimal(200), 0, None) == "platinum"
    assert assign_tier(rules, "home", Decimal(200), 0, 9) == "gold"
    assert assign_tier(rules, "home", Decimal(200), 2, None) == "silver"  # no NPS answer: not gold
    assert assign_tier(rules, "home", None, 0.5, 3) is None  # the ladder has no floor


def test_nps_per_audience_and_overall(profiles):
    values = list(profiles.values())
    by = nps_by_audience(values)
    # new-readers: promoters Tom 10, Ruth 9, Arjun 9, Helen 10; passive Nina 7; detractor Dave 3;
    # Owen never answered. (4 - 1) / 6 = 50%.
    assert by["new-readers"] == NpsSummary(promoters=4, passives=1, detractors=1)
    assert by["new-readers"].score == 50.0
    # book-clubs: 王强 10, 林梅 8, 陈静 5: one of each, NPS 0.
    assert by["book-clubs"].score == 0.0
    overall = nps(p.record.nps for p in values)
    assert (overall.promoters, overall.passives, overall.detractors) == (5, 2, 2)
    assert round(overall.score, 2) == 33.33  # (5 - 2) / 9
    assert nps([]).score is None
    assert nps([6, 7, 9]).to_dict() == {"promoters": 1, "passives": 1, "detractors": 1,
                                        "respondents": 3, "nps": 0.0}


def test_ladder_counts_and_totals(profiles):
    rungs = ladder(list(profiles.values()), ["bronze", "silver", "gold", "platinum"])
    assert [(r.tier, r.count, r.total_ltv) for r in rungs] == [
        ("platinum", 4, 261200), ("gold", 2, 45600), ("silver", 2, 7800), ("bronze", 2, 1600)]
    assert rungs[0].average_ltv == 65300


def test_expected_onboarding_curve_is_interpolated_and_ends():
    curve = {7: 20, 30: 50, 90: 100}
    assert [expected_progress(d, curve) for d in (0, 7, 30, 60, 90)] == [0, 20, 50, 75, 100]
    assert expected_progress(3, curve) == pytest.approx(20 * 3 / 7)
    assert expected_progress(91, curve) is None  # onboarding is over


def test_onboarding_behind_and_unused_benefits(profiles):
    nina, owen, tom = profiles["L-9"], profiles["L-10"], profiles["L-1"]
    # Nina, day 25: expected 20 + 30 x 18/23 = 43.5%; 20% < 0.8 x 43.5 = 34.8%: behind.
    assert nina.expected_progress == pytest.approx(43.478, abs=0.001)
    assert nina.onboarding_behind is True
    # Owen, day 15: expected 30.4%; 40% is ahead.
    assert owen.onboarding_behind is False
    # Tom started in 2019: past the curve, never "behind".
    assert tom.expected_progress is None and tom.onboarding_behind is False
    assert (nina.unused_benefits, owen.unused_benefits, tom.unused_benefits) == (1, 1, 0)
    assert nina.group == "passive" and owen.group is None


def test_export_tiers_are_used_only_when_asked(basic):
    from newsletter.customers.metrics import make_profile
    from newsletter.content.customer_settings import CustomerSettings

    record = CustomerRecord("x", "Lee", Location("f.csv", 2), tier="gold")
    assert make_profile(record, CustomerSettings(), TODAY, "en").tier == "bronze"
    assert make_profile(record, CustomerSettings(tier_source="export"), TODAY, "en").tier == "gold"
