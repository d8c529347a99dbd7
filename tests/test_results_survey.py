"""The survey link template: validation, filling, reading answers back from clicks."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from newsletter.build import load
from newsletter.content.survey_settings import SurveySettings
from newsletter.core.diagnostics import Diagnostics, Location
from newsletter.results.events import Event
from newsletter.results.survey import (
    SurveyAnswers,
    answer_pattern,
    fill,
    survey_answers,
)

from .conftest import edit

TEMPLATE = "https://cafezal.example/nps?score={score}&r={recipient}"


def test_settings_need_https_and_a_score():
    assert SurveySettings(url=TEMPLATE).url == TEMPLATE
    for bad in ("http://x.example/?s={score}", "https://x.example/?s=1", "https://x.example/{score}/{who}"):
        with pytest.raises(ValidationError):
            SurveySettings(url=bad)


def test_answers_are_read_back_with_utm_tags_appended():
    pattern = answer_pattern(TEMPLATE)
    url = fill(TEMPLATE, 9, "abc123") + "&utm_source=n&utm_content=nps-survey&utm_term=cafe-owners"
    match = pattern.match(url)
    assert (match.group("score"), match.group("recipient")) == ("9", "abc123")
    assert pattern.match("https://cafezal.example/nps?score=x&r=1") is None
    assert pattern.match("https://cafezal.example/other?score=9&r=1") is None


def test_nps_summary_counts_each_recipient_once():
    answers = SurveyAnswers({"a": {"r1": 10, "r2": 9, "r3": 7}, "b": {"r4": 3}})
    assert answers.to_dict()["overall"] == {"answers": 4, "promoters": 2, "passives": 1, "detractors": 1,
                                            "nps": 25}
    assert answers.to_dict()["by_audience"]["b"]["nps"] == -100


def test_survey_answers_from_clicks(example):
    toml = example / "newsletter.toml"
    # The example project has a [survey] section: point it at this test's template.
    edit(toml, 'url = "https://cafezal.example/survey/nps?score={score}&r={recipient}"', f'url = "{TEMPLATE}"')
    project, _ = load(example)
    where = Location("f.json", 1)
    clicks = [("cafe-owners", Event("sendgrid", "click", "a@x", where, fill(TEMPLATE, 10, "1"))),
              ("cafe-owners", Event("sendgrid", "click", "a@x", where, fill(TEMPLATE, 6, "1"))),  # changed mind
              ("cafe-owners", Event("sendgrid", "click", "b@x", where, fill(TEMPLATE, 12, "2"))),
              ("cafe-owners", Event("sendgrid", "click", "c@x", where, "https://cafezal.example/"))]
    diagnostics = Diagnostics()
    answers = survey_answers(project, clicks, diagnostics)
    assert answers.answers == {"cafe-owners": {"a@x": 6}}
    assert [d.code for d in diagnostics.items] == ["results-survey"]
