"""Render an exported message the way its provider would, with real engines where one exists.

| provider | engine here | then, like the provider |
|---|---|---|
| SendGrid | handlebars.js (tests/js) | legacy `<%asm_…_url%>` unsubscribe tags replaced |
| Amazon SES | handlebars.js | `{{amazonSESUnsubscribeUrl}}` replaced (list management) |
| Mailgun | handlebars.js | `%recipient.KEY%`, `%recipient%`, `%recipient_*%`, unsubscribe variables |
| Postmark | mustache.js (tests/js, stands in for Mustachio) | |
| Brevo | Django's template engine (Brevo's language is Django-like) | |
| Mailchimp | `mailchimp()` below: merge tags and conditionals as documented | |

The substitutions are written from the providers' documentation:
- Mailgun batch sending (recipient variables):
  https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/batch-sending
- Mailgun unsubscribe variables:
  https://documentation.mailgun.com/docs/mailgun/user-manual/tracking-messages
- SendGrid unsubscribe groups and substitution tags:
  https://www.twilio.com/docs/sendgrid/ui/sending-email/substitution-and-section-tags
  https://www.twilio.com/docs/sendgrid/for-developers/sending-email/suppressions
- Amazon SES list management (`{{amazonSESUnsubscribeUrl}}`):
  https://docs.aws.amazon.com/ses/latest/dg/sending-email-list-management.html
- Mailchimp merge tags (`*|FNAME|*`, `*|IF:…|*`, `*|UNSUB|*`):
  https://mailchimp.com/help/all-the-merge-tags-cheat-sheet/
  https://mailchimp.com/help/use-conditional-merge-tag-blocks/
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from django.template import Context, Engine

from tests import nodetools

#: The provider's own unsubscribe URL, as it would fill it in for one recipient.
UNSUBSCRIBE = "https://unsubscribe.provider.example/u/ana"
ADDRESS = "ana@readers.example"
PARTS = ("subject", "html", "text")


def parts(out: Path, esp: str, key: str) -> dict[str, str]:
    """Subject, HTML and text of one exported message, read back from its bundle files."""
    folder = out / key
    if esp == "mailchimp":
        [archive] = folder.glob("*.zip")
        with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as z:
            return {"subject": (folder / "subject.txt").read_text("utf-8").rstrip("\n"),
                    "html": z.read("index.html").decode(), "text": z.read("index.txt").decode()}
    if esp == "sendgrid":
        v = json.loads((folder / "version.json").read_text("utf-8"))
        return {"subject": v["subject"], "html": v["html_content"], "text": v["plain_content"]}
    if esp == "ses":
        t = json.loads((folder / "template.json").read_text("utf-8"))["Template"]
        return {"subject": t["SubjectPart"], "html": t["HtmlPart"], "text": t["TextPart"]}
    if esp == "mailgun":
        return {"subject": json.loads((folder / "headers.json").read_text("utf-8"))["Subject"],
                "html": (folder / "template.html").read_text("utf-8"),
                "text": (folder / "text.txt").read_text("utf-8")}
    if esp == "postmark":
        t = json.loads((folder / "template.json").read_text("utf-8"))
        return {"subject": t["Subject"], "html": t["HtmlBody"], "text": t["TextBody"]}
    if esp == "brevo":
        t = json.loads((folder / "template.json").read_text("utf-8"))
        return {"subject": t["subject"], "html": t["htmlContent"],
                "text": (folder / "text.txt").read_text("utf-8")}
    raise ValueError(esp)


def sample(out: Path, key: str) -> dict:
    return json.loads((out / key / "sample-data.json").read_text("utf-8"))


# -- Mailchimp -----------------------------------------------------------------------------

_MC_BLOCK = re.compile(r"\*\|(IF|IFNOT):([A-Z0-9_]+)\|\*((?:(?!\*\|IF(?:NOT)?:).)*?)\*\|END:IF\|\*", re.S)
_MC_TAG = re.compile(r"\*\|([A-Z0-9_:]+)\|\*")


def mailchimp(template: str, fields: dict) -> str:
    """Mailchimp's merge: conditional blocks (innermost first), *|UNSUB|*, then every tag
    (an audience field, or blank when the field is unknown or empty)."""
    def block(match: re.Match) -> str:
        kind, name, body = match.groups()
        then, _, otherwise = body.partition("*|ELSE:|*")
        truth = bool(fields.get(name))
        return then if truth == (kind == "IF") else otherwise
    previous = None
    while previous != template:
        previous, template = template, _MC_BLOCK.sub(block, template)
    template = template.replace("*|UNSUB|*", UNSUBSCRIBE)
    return _MC_TAG.sub(lambda m: str(fields.get(m.group(1), "")), template)


# -- Provider substitutions after the template engine ---------------------------------------

_MAILGUN_RECIPIENT = re.compile(r"%recipient\.([^%\s]+)%")
_MAILGUN_VARIABLES = ("%unsubscribe_url%", "%mailing_list_unsubscribe_url%", "%tag_unsubscribe_url%")


def mailgun_substitute(text: str, variables: dict) -> str:
    """Mailgun after rendering: recipient variables, the address, mailing-list and
    unsubscribe variables."""
    text = _MAILGUN_RECIPIENT.sub(lambda m: str(variables.get(m.group(1), "")), text)
    text = text.replace("%recipient%", ADDRESS)
    text = re.sub(r"%recipient_(?:email|name|fname|lname)%", ADDRESS, text)
    for name in _MAILGUN_VARIABLES:
        text = text.replace(name, UNSUBSCRIBE)
    return text


def sendgrid_substitute(text: str) -> str:
    """SendGrid's unsubscribe-group tags (legacy templates and plain sends)."""
    return re.sub(r"<%asm_(?:group_unsubscribe|global_unsubscribe|preferences)_raw_url%>",
                  UNSUBSCRIBE, text)


def ses_substitute(text: str) -> str:
    """SES list management puts the recipient's unsubscribe URL at its placeholder."""
    return text.replace("{{amazonSESUnsubscribeUrl}}", UNSUBSCRIBE)


# -- All six --------------------------------------------------------------------------------

def render(esp: str, messages: list[dict[str, str]], data: dict) -> list[dict[str, str]]:
    """Each message's parts rendered by the provider's engine with `data` (its sample data)."""
    jobs = [(i, part, message[part]) for i, message in enumerate(messages) for part in PARTS]
    results: list[dict[str, str]] = [{} for _ in messages]
    if esp in ("sendgrid", "ses", "mailgun", "postmark"):
        extra = {"sendgrid": {"unsubscribe": UNSUBSCRIBE},
                 "ses": {"amazonSESUnsubscribeUrl": UNSUBSCRIBE},
                 "postmark": {"pm:unsubscribe": UNSUBSCRIBE}}.get(esp, {})
        script = "render-mustache.mjs" if esp == "postmark" else "render-handlebars.mjs"
        rendered = nodetools.run(script, [{"template": t, "data": {**data, **extra}} for _, _, t in jobs])
        for (i, part, _), result in zip(jobs, rendered):
            assert "error" not in result, f"{esp} {part}: {result.get('error')}"
            out = result["output"]
            if esp == "mailgun":
                out = mailgun_substitute(out, data)
            elif esp == "sendgrid":
                out = sendgrid_substitute(out)
            elif esp == "ses":
                out = ses_substitute(out)
            results[i][part] = out
    elif esp == "brevo":
        context = {**data, "unsubscribe": UNSUBSCRIBE}
        for i, part, template in jobs:
            engine = Engine(autoescape=part == "html")
            results[i][part] = engine.from_string(template).render(Context(context))
    elif esp == "mailchimp":
        for i, part, template in jobs:
            results[i][part] = mailchimp(template, data)
    else:
        raise ValueError(esp)
    return results
