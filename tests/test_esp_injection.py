"""Hostile story text through every export, rendered by each provider's engine: 0 injections.

Every payload of tests/injection.py (every provider's merge syntax, Handlebars, Mustache
sections, Jinja/Django, Mailchimp, Mailgun, SendGrid, private-use characters, HTML) is in
a customer quote, and the subject-safe ones in subjects. Each export is rendered the way
its provider renders it (tests/engines.py) with the sample recipient's data; a payload
that does not come out exactly as written is an injection.
"""

import html
import re

import pytest

from newsletter.core.diagnostics import BuildError
from newsletter.esp import escape
from newsletter.esp.export import export
from tests import engines
from tests.injection import NAME, PAYLOADS, SUBJECT_PAYLOADS, make_project, readable

DIALECTS = ("mailchimp", "sendgrid", "ses", "postmark", "mailgun", "brevo")
# The sample recipient, in each provider's field names (what sample-data.json holds).
DATA = {"mailchimp": {"FNAME": "Ana"}, "brevo": {"contact": {"FIRSTNAME": "Ana"}}}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("hostile"))
    out = {}
    for esp in DIALECTS:
        result = export(root, esp, root / "export" / esp, force=True)
        out[esp] = (result.out_dir, result.messages)
    return out


def visible(text: str, is_html: bool) -> str:
    """What a reader sees: entities decoded, joiners gone, wrapped quote lines re-joined."""
    if is_html:
        text = html.unescape(text)
    text = re.sub(r"\n[ \t]*>[ \t]?", " ", text.replace(escape.WORD_JOINER, ""))
    return " ".join(text.split())


def injections(esp, out, keys):
    """(key, part, payload) for every payload that did not render exactly as written."""
    messages = [engines.parts(out, esp, key) for key in keys]
    rendered = engines.render(esp, messages, DATA.get(esp, NAME))
    found = []
    for key, message in zip(keys, rendered):
        number = int(key.split("/")[0].split("-")[1])
        subject = visible(message["subject"], False)
        expected = f"Hi Ana: {' '.join(readable(SUBJECT_PAYLOADS[number - 1]).split())} end"
        if subject != expected:
            found.append((key, "subject", SUBJECT_PAYLOADS[number - 1], subject))
        for part in ("html", "text"):
            seen = visible(message[part], part == "html")
            for payload in PAYLOADS:
                if " ".join(readable(payload).split()) not in seen:
                    found.append((key, part, payload, ""))
            for leftover in ("\ue000", "\ue001", "\ue002"):
                if leftover in message[part]:
                    found.append((key, part, "private-use character", leftover))
    return found, rendered


@pytest.mark.parametrize("esp", DIALECTS)
def test_hostile_payloads_render_literally(exported, esp):
    out, keys = exported[esp]
    assert len(keys) == len(SUBJECT_PAYLOADS)
    found, rendered = injections(esp, out, keys)
    assert found == [], f"{len(found)} injection(s) in {esp}: {found[:5]}"
    # The engine really ran: the greeting is personalised and the footer carries the
    # provider's own per-recipient unsubscribe URL in both parts.
    for message in rendered:
        assert "Hello Ana," in visible(message["html"], True)
        assert engines.UNSUBSCRIBE in html.unescape(message["html"])
        assert engines.UNSUBSCRIBE in message["text"]


def test_markdown_never_makes_mailchimp_tags_emphasis(exported):
    out, keys = exported["mailchimp"]
    page = engines.parts(out, "mailchimp", keys[0])["html"]
    assert "<em>|FNAME|</em>" not in page
    assert "Mira wrote &#42;|FNAME&#124;* and &#42;|UNSUB&#124;* in Markdown" in page


@pytest.mark.parametrize("esp, url, sequence", [
    # In a query the link is re-encoded (%2A%7C...) and safe; a path is kept as written.
    ("mailchimp", "https://cafe.example.com/*|EMAIL|*/offer", "*|"),
    ("mailgun", "https://cafe.example.com/%recipient.email%/offer", "%recipient"),
    ("postmark", "https://cafe.example.com/{{offer}}", "{{"),
    ("brevo", "https://cafe.example.com/{%offer%}", "{%"),
])
def test_a_link_no_escape_can_keep_working_is_refused_at_its_line(tmp_path, esp, url, sequence):
    """Plain text has no entities: a joiner inside a link would break it, so the export
    stops and names the story line instead of sending a link the provider rewrites."""
    root = make_project(tmp_path)
    story = root / "content/stories/mira-testimonial.md"
    lines = story.read_text(encoding="utf-8").split("\n")
    at = lines.index("---", 1)
    lines[at:at] = ["cta:", "  label: See the offer", f"  url: \"{url}\""]
    story.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        export(root, esp, root / "export" / esp, force=True)
    message = next(str(d) for d in info.value.diagnostics)
    assert message.startswith(f"content/stories/mira-testimonial.md:{at + 3}: error:"), message
    assert sequence in message and "plain text has no escape" in message
    assert not (root / "export" / esp).exists()
