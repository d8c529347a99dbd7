"""The SMS channel: one short text per message, the featured story's hook and a link.

    Cafezal Roasters: Dan moved a shelf of beans next to the till. Bag sales tripled... https://...
    Reply STOP to opt out.

The hook is the featured story's `summary` (its title when it has none); the link is the
issue's web page when the issue goes out on the web, else the story's call to action,
else the brand's website, tagged utm_medium=sms with only source, medium and campaign
so it stays short. A message with a survey story asks its question instead, with one link
to the survey page (`[survey] url` without score or recipient). Typographic quotes and dashes become plain ones when that keeps the
whole text in GSM-7 (one curly apostrophe would otherwise more than double the cost).
The segment count and encoding are in the output's extra facts for the checks.
"""

from __future__ import annotations

from ..compose.paths import web_page_url
from ..compose.selection import featured
from ..core.i18n import translations
from ..render import sms
from ..render.survey import page_url, wording
from ..render.utm import tag_url
from .registry import Rendered, register


def sms_text(variant, config) -> str:
    """The whole SMS for one variant, exactly as it is sent."""
    _ = translations(variant.locale).gettext
    story = featured(variant, config.loyalty.top_tiers)
    hook = (story.meta.summary or story.meta.title) if story else variant.text.title
    if story and story.meta.disclosure:  # a rewarded customer's words carry their disclosure
        hook += f" ({_('Disclosure')}: {story.meta.disclosure})"
    url = (web_page_url(config, variant.issue, variant.audience.id)
           or (story.meta.cta.url if story and story.meta.cta and story.meta.cta.url.startswith("https://")
               else config.brand.website))
    survey = next((s for section in variant.sections if not section.when for s in section.stories
                   if s.meta.kind == "survey"), None)
    if survey and config.survey.url:
        hook, url = wording(survey, config, variant.locale)["question"], page_url(config.survey.url)
    utm = config.utm.model_copy(update={"medium": "sms"})
    link = tag_url(url, utm, variant.issue.id, "", "")
    opt_out = _("Reply STOP to opt out.")
    text = f"{config.brand.name}: {' '.join(hook.split())} {link}\n{opt_out}"
    return sms.gsm_friendly(text)


class SmsChannel:
    name = "sms"

    def render(self, variant, env) -> Rendered:
        text = sms_text(variant, env.config)
        return Rendered(files={"sms.txt": text.encode("utf-8")}, subject=variant.text.title,
                        preheader=text.split("\n", 1)[0],
                        extra={"sms": text, "encoding": sms.encoding(text),
                               "segments": sms.segments(text)})


register(SmsChannel())
