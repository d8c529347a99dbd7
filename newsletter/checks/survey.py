"""Survey stories (`kind: survey`): a clear intent, brevity, no leading question.

A survey earns its answers by saying why it asks (what we will do with them), by asking
little (at most three questions: the one-click 0-10 question and up to two on the survey
page), and by asking neutrally. A leading question ("don't you agree...", "how much did
you love...") gets the answer it suggests, which is worth nothing. The patterns are per
language (the story's locale); each is a regular expression matched case-insensitively.
"""

from __future__ import annotations

import re

from ..render.wrapping import display_width
from .registry import Finding, check

MAX_QUESTIONS = 3
#: An intent shorter than this (display columns) says too little to count as a reason.
MIN_INTENT = 20

#: Leading-question patterns per language (BCP 47 primary subtag).
LEADING: dict[str, list[str]] = {
    "en": [
        r"\b(?:don't|doesn't|didn't|won't|wouldn't|isn't|aren't|wasn't|weren't|can't|shouldn't|haven't)"
        r"\s+(?:you|it|we|they|this|that|our)\b",                       # don't you agree, isn't it great
        r"\b(?:do|would|will) you (?:not )?agree\b",                      # do you agree that...
        r"\bhow (?:much|many times) (?:did|do|would|have) you (?:love|enjoy|adore|like)d?\b",
        r"\bhow (?:great|amazing|wonderful|fantastic|awesome|excellent|delicious|good|helpful) "
        r"(?:is|was|were|are)\b",
        r",\s*(?:right|isn't it|aren't they|don't you|didn't you)\s*\?",  # tag questions
        r"\bsurely\b",
    ],
    "pt": [
        r"\b(?:você|vc) não (?:acha|concorda|diria|achou)\b",
        r"\bnão (?:acha|concorda) que\b",
        r"\bconcorda que\b",
        r"\b(?:o )?quanto (?:você )?(?:amou|adorou|gostou|curtiu)\b",
        r"\bnão (?:é|foi) (?:mesmo|verdade)\b",
        r",\s*(?:né|certo|não é)\s*\?",
    ],
    "ru": [
        r"\bне правда ли\b",
        r"\b(?:вы )?(?:ведь )?согласны,? что\b",
        r"\bразве\b",
        r"\bне так ли\b",
        r"\bне кажется ли вам\b",
        r"\bнасколько (?:сильно )?(?:вам )?(?:понравил|полюбил)",
        r"\bкак (?:сильно|же) (?:вам )?(?:понравил|полюбил)",
        r"\bвам ведь\b",
        r",\s*(?:да|правда)\s*\?",
    ],
    "zh": [
        r"难道", r"不是吗", r"[你您]不觉得", r"[你您]是否同意", r"[你您]同意.*吗", r"是不是很",
        r"有多(?:么)?(?:喜欢|爱)", r"多么(?:喜欢|爱)", r"对吧", r"对不对",
    ],
    "ar": [
        r"ألا\s+(?:توافق|تتفق|ترى|تعتقد)", r"أليس\s+(?:كذلك|صحيحا)", r"كم\s+أحببت", r"توافق\s+على\s+أن",
    ],
}
_COMPILED = {lang: [re.compile(p, re.I) for p in patterns] for lang, patterns in LEADING.items()}


def leading(question: str, locale: str) -> str | None:
    """The leading phrase in `question` for the locale's language, or None when neutral."""
    for pattern in _COMPILED.get(locale.split("-")[0].lower(), _COMPILED["en"]):
        match = pattern.search(question)
        if match:
            return match.group(0).strip(" ,")
    return None


def _surveys(ctx):
    return [s for s in ctx.stories if s.meta.kind == "survey"]


@check("survey-setup", "checklist", "error",
       "A message with a survey story has somewhere to send answers: `[survey] url` in newsletter.toml.")
def setup(ctx):
    surveys = _surveys(ctx)
    if surveys and not ctx.config.survey.url:
        yield Finding(f"{surveys[0].id}: a survey story, but newsletter.toml has no [survey] url",
                      ctx.story_at(surveys[0], "kind"),
                      'add [survey] url = "https://…/nps?score={score}&r={recipient}"')


@check("survey", "checklist", "error",
       "A survey story says why it asks (`survey.intent`), asks at most three questions, "
       "and no question is leading (\"don't you agree…\", \"how much did you love…\").")
def survey(ctx):
    for story in _surveys(ctx):
        meta = story.meta.survey
        intent = " ".join((meta.intent if meta else "").split())
        if display_width(intent) < MIN_INTENT:
            yield Finding(f"{story.id}: the survey does not say why we ask",
                          ctx.story_at(story, "survey", "intent") if meta else ctx.story_at(story, "kind"),
                          "add survey.intent: what you will do with the answers, in a sentence or two")
        questions = list(meta.questions) if meta else []
        if len(questions) > MAX_QUESTIONS:
            yield Finding(f"{story.id}: {len(questions)} questions; a survey in a message asks at most "
                          f"{MAX_QUESTIONS}", ctx.story_at(story, "survey", "questions", MAX_QUESTIONS),
                          "keep the questions whose answers you will act on")
        for index, question in enumerate(questions):
            phrase = leading(question, story.locale)
            if phrase:
                yield Finding(f"{story.id}: question {index + 1} is leading (\"{phrase}\"): it suggests "
                              "its answer", ctx.story_at(story, "survey", "questions", index),
                              "ask neutrally, e.g. \"How likely are you to…\" or \"What is the main reason…\"")
        if display_width(intent) >= MIN_INTENT and len(questions) <= MAX_QUESTIONS and not any(leading(q, story.locale) for q in questions):
            yield Finding(f"{story.id}: says why it asks, {max(len(questions), 1)} question(s), none leading",
                          None, passed=True)
