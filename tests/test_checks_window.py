"""Send windows: an issue's day, a pack step's span while its version is live."""

from datetime import date

from newsletter.checks.window import Window, consent_gap
from newsletter.content.models import Consent


def test_consent_over_a_window():
    window = Window(date(2026, 11, 11), date(2027, 5, 10), "step 'later' (day 10)")
    assert consent_gap(Consent(granted=date(2026, 1, 1), expires=date(2027, 6, 1)), window) is None
    assert consent_gap(Consent(granted=date(2026, 1, 1), expires=date(2026, 12, 1)), window) == (
        "consent ends 2026-12-01 but step 'later' (day 10) goes out from 2026-11-11 to 2027-05-10")
    assert consent_gap(Consent(granted=date(2026, 12, 1)), window).startswith("consent starts 2026-12-01")
    assert consent_gap(None, window) == "has no publication consent on record"


def test_open_window_needs_open_consent():
    window = Window(date(2026, 11, 1), None, "step 'welcome' (day 0)")
    assert consent_gap(Consent(granted=date(2026, 1, 1)), window) is None
    assert "no end date" in consent_gap(Consent(granted=date(2026, 1, 1), expires=date(2030, 1, 1)), window)
