"""A `kind: survey` story made concrete: eleven one-click answer links and their wording.

`[survey] url` holds `{score}` and `{recipient}`. In an email each link carries the
recipient token (newsletter.core.merge.recipient_token): built files and previews show
PREVIEW_RECIPIENT, which no survey page should accept, and each provider export writes its
own recipient-id merge tag (newsletter.esp). The web page carries no recipient at all: the
query parameter holding `{recipient}` is left out (elsewhere in the URL it becomes "web").
SMS and print get the survey page itself: the URL without the score and recipient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..content.config import Config, Utm
from ..content.models import Story
from ..core.i18n import translations
from ..core.merge import recipient_token
from .utm import tag_url

SCORES = range(11)
SCORE, RECIPIENT = "{score}", "{recipient}"
#: What built files and previews carry in place of a recipient id: obviously not one.
PREVIEW_RECIPIENT = "preview-not-a-recipient"
#: Stands in for the token while UTM tags are added (urlencode would mangle the token).
_SLOT = "newsletter-recipient-slot"
#: The recipient in a link on the public web page, where the id is not a query parameter.
WEB_RECIPIENT = "web"


def _without_placeholders(template: str, keep_score: bool) -> str:
    """`template` minus the query parameters holding {recipient} (and {score} unless kept)."""
    parts = urlsplit(template)
    drop = (RECIPIENT,) if keep_score else (RECIPIENT, SCORE)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not any(p in v for p in drop)]
    # urlencode would escape the braces of {score}; put them back.
    encoded = urlencode(query).replace("%7Bscore%7D", SCORE)
    return urlunsplit(parts._replace(query=encoded))


def page_url(template: str) -> str:
    """The survey page without any answer or recipient (SMS, print): path placeholders dropped."""
    url = _without_placeholders(template, keep_score=False)
    parts = urlsplit(url)
    path = "/".join(s for s in parts.path.split("/") if SCORE not in s and RECIPIENT not in s)
    return urlunsplit(parts._replace(path=path or "/"))


def answer_urls(template: str, utm: Utm, campaign: str, content: str, term: str,
                personal: bool) -> list[str]:
    """The eleven answer links, 0 to 10, tagged like every other link of the message.

    `personal` links carry the recipient token; the others carry no recipient.
    """
    base = template if personal else _without_placeholders(template, keep_score=True)
    urls = []
    for score in SCORES:
        url = base.replace(SCORE, str(score)).replace(RECIPIENT, _SLOT if personal else WEB_RECIPIENT)
        url = tag_url(url, utm, campaign, content, term)
        urls.append(url.replace(_SLOT, recipient_token(PREVIEW_RECIPIENT)))
    return urls


def wording(story: Story, config: Config, locale: str) -> dict[str, Any]:
    """The question (the NPS one unless the story writes its own), the scale and the rest."""
    _ = translations(locale).gettext
    questions = story.meta.survey.questions if story.meta.survey else []
    question = questions[0] if questions else (
        _("How likely are you to recommend %(brand)s to a friend or colleague?")
        % {"brand": config.brand.name})
    return {"question": question,
            "scale": _("0 = not at all likely, 10 = extremely likely"),
            "intent": story.meta.survey.intent if story.meta.survey else "",
            "follow_up": list(questions[1:]),
            "follow_up_label": _("After your answer, the survey page asks:"),
            "intent_label": _("Why we ask"),
            "label": _("One question")}


def survey_view(story: Story, config: Config, utm: Utm, campaign: str, term: str, locale: str,
                personal: bool) -> dict[str, Any] | None:
    """What a template needs to show a survey story; None for other stories."""
    if story.meta.kind != "survey" or not config.survey.url:
        return None
    urls = answer_urls(config.survey.url, utm, campaign, story.id, term, personal)
    return {"id": f"survey-{story.id}", **wording(story, config, locale),
            "answers": [{"score": score, "url": url} for score, url in zip(SCORES, urls)],
            # The survey page itself (print, SMS): tagged in the link, plain where it is read.
            "page": {"url": tag_url(page_url(config.survey.url), utm, campaign, story.id, term),
                     "plain": page_url(config.survey.url)}}


def survey_text(story: Story, config: Config, campaign: str, term: str, locale: str,
                paragraph: Callable[[str], str]) -> str:
    """The survey in the text part: the question, the scale, then one line per score.

    `paragraph` wraps running text to the text part's width (links stay whole).
    """
    view = survey_view(story, config, config.utm, campaign, term, locale, personal=True)
    if view is None:
        return ""
    lines = [paragraph(view["question"]), paragraph(f"({view['scale']})"), ""]
    lines += [f"{a['score']:>2}: {a['url']}" for a in view["answers"]]
    if view["follow_up"]:
        lines += ["", paragraph(view["follow_up_label"])] + [paragraph(f"- {q}") for q in view["follow_up"]]
    if view["intent"]:
        lines += ["", paragraph(f"{view['intent_label']}: {view['intent']}")]
    return "\n".join(lines)
