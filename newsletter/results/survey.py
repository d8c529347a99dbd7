"""The NPS survey link: `[survey] url` filled for each score, and read back from clicks.

The marketer's survey page receives `{score}` (0-10) and `{recipient}` (the provider's own
recipient id, filled in by the provider from its merge tag). The same template tells
`newsletter results` which clicks were answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.diagnostics import Diagnostics
from .events import Event

SCORES = range(11)
PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"


def fill(template: str, score: int, recipient: str) -> str:
    """The answer link for one score; `recipient` is put in as given (a merge tag or a sentinel)."""
    return template.replace("{score}", str(score)).replace("{recipient}", recipient)


def answer_pattern(template: str) -> re.Pattern[str]:
    """Matches an answer link, with anything the build or provider appended (UTM tags)."""
    pattern = re.escape(template)
    pattern = pattern.replace(re.escape("{score}"), r"(?P<score>\d{1,2})", 1)
    pattern = pattern.replace(re.escape("{recipient}"), r"(?P<recipient>[^&#/?]*)", 1)
    return re.compile(f"^{pattern}(?:[&?#].*)?$")


def nps_group(score: int) -> str:
    return PROMOTER if score >= 9 else PASSIVE if score >= 7 else DETRACTOR


@dataclass
class SurveyAnswers:
    """Each recipient's last answer, per audience."""

    answers: dict[str, dict[str, int]] = field(default_factory=dict)  # audience -> recipient -> score

    def scores(self, audience: str | None = None) -> list[int]:
        groups = [self.answers.get(audience, {})] if audience else self.answers.values()
        return [score for group in groups for score in group.values()]

    @staticmethod
    def summary(scores: list[int]) -> dict:
        counts = {g: sum(1 for s in scores if nps_group(s) == g) for g in (PROMOTER, PASSIVE, DETRACTOR)}
        total = len(scores)
        nps = round(100 * (counts[PROMOTER] - counts[DETRACTOR]) / total) if total else None
        return {"answers": total, "promoters": counts[PROMOTER], "passives": counts[PASSIVE],
                "detractors": counts[DETRACTOR], "nps": nps}

    def to_dict(self) -> dict:
        return {"overall": self.summary(self.scores()),
                "by_audience": {a: self.summary(self.scores(a)) for a in sorted(self.answers)}}


def survey_answers(project, clicks: list[tuple[str, Event]], diagnostics: Diagnostics) -> SurveyAnswers:
    """Answers from clicks on survey links; `clicks` pairs each click with its file's audience."""
    result = SurveyAnswers()
    template = project.config.survey.url
    if not template:
        return result
    pattern = answer_pattern(template)
    for audience, event in clicks:
        match = pattern.match(event.url)
        if not match:
            continue
        score = int(match.group("score"))
        if score not in SCORES:
            diagnostics.warning(f"survey answer {score} is not 0-10; not counted", event.location,
                                "results-survey")
            continue
        result.answers.setdefault(audience, {})[event.recipient] = score
    return result
