"""The survey check: intent stated, at most three questions, no leading question, a URL to answer to."""

from __future__ import annotations

import shutil

import pytest

from newsletter.checks.survey import leading

from .checkhelpers import findings
from .conftest import FIXTURES, edit


@pytest.fixture
def survey(tmp_path):
    target = tmp_path / "survey"
    shutil.copytree(FIXTURES / "survey", target)
    return target


def test_fixture_surveys_pass(survey):
    assert findings(survey, "survey") == []
    assert findings(survey, "survey-setup") == []


@pytest.mark.parametrize("locale, question", [
    ("en", "Don't you agree our coffee is the best?"),
    ("en", "How much did you love the new blend?"),
    ("en", "Wouldn't you say the course was worth it?"),
    ("en", "The parcel was great, right?"),
    ("pt-BR", "Você não acha que o curso valeu a pena?"),
    ("pt-BR", "O quanto você amou o novo blend?"),
    ("pt-BR", "Concorda que o atendimento foi ótimo?"),
    ("ru", "Вы ведь согласны, что курс был полезным?"),
    ("ru", "Насколько сильно вам понравился новый бленд?"),
    ("ru", "Курс был полезным, не правда ли?"),
    ("zh-CN", "您不觉得我们的咖啡是最好的吗？"),
    ("zh-CN", "您有多喜欢新的拼配？"),
    ("zh-CN", "难道这门课不值得吗？"),
    ("ar", "ألا توافق على أن الدورة كانت مفيدة؟"),
])
def test_leading_questions_are_caught_per_language(locale, question):
    assert leading(question, locale)


@pytest.mark.parametrize("locale, question", [
    ("en", "How likely are you to recommend Lumen Books to a friend or colleague?"),
    ("en", "What is the main reason for your score?"),
    ("pt-BR", "Qual a probabilidade de você recomendar a Cafezal a um amigo?"),
    ("ru", "Насколько вероятно, что вы порекомендуете Cafezal другу?"),
    ("ru", "Почему вы поставили именно такую оценку?"),
    ("zh-CN", "您有多大可能向朋友推荐 Lumen Books？"),
    ("zh-CN", "您给出这个分数的主要原因是什么？"),
])
def test_neutral_questions_pass(locale, question):
    assert leading(question, locale) is None


def test_leading_question_points_at_its_line(survey):
    edit(survey / "content/stories/yige-wenti.md", "您给出这个分数的主要原因是什么？", "您不觉得我们的书单很棒吗？")
    found = findings(survey, "survey", audience="book-clubs")
    assert found and all(f[0] == "error" for f in found)
    assert found[0][1] == "content/stories/yige-wenti.md:11:7"
    assert "question 2 is leading" in found[0][2] and "不觉得" in found[0][2]


def test_missing_intent_and_too_many_questions(survey):
    edit(survey / "content/stories/one-question.md",
         "  intent: We choose next month's reading guides from your answers, and we call everyone who gives us a 6 or less.\n",
         "  questions: [How likely are you to recommend us?, Why?, What should we change?, Anything else?]\n")
    messages = [f[2] for f in findings(survey, "survey", audience="new-readers")]
    assert any("does not say why we ask" in m for m in messages)
    assert any("4 questions" in m for m in messages)


def test_survey_story_without_url_is_an_error(survey):
    edit(survey / "newsletter.toml", 'url = "https://lumen.example/nps?score={score}&r={recipient}"', "")
    found = findings(survey, "survey-setup", audience="new-readers")
    assert found and found[0][0] == "error" and "[survey] url" in found[0][2]
