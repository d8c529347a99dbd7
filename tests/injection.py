"""Hostile story text shared by the injection tests: every provider's merge syntax and more.

`make_project(root)` writes a small project whose one story quotes every payload (front
matter: HTML-escaped in the HTML part, wrapped in the text part) and whose issues each
put one subject-safe payload in the subject (issue text is parsed for our own tags, so
the subject carries only sequences that are not ours, plus our own written escaped).
"""

from __future__ import annotations

from pathlib import Path

import yaml

PAYLOADS = [
    # Handlebars (SendGrid, SES, Mailgun) and Mustache (Postmark)
    "{{first_name}}", "{{{first_name}}}", "{{#if first_name}}IF{{/if}}", "{{> partial}}",
    "{{! comment }}", "{{#first_name}}SECTION{{/first_name}}", "{{^first_name}}INVERTED{{/first_name}}",
    "{{.}}", "{{{ pm:unsubscribe }}}", "{{amazonSESUnsubscribeUrl}}", "{{{unsubscribe}}}",
    "{{{{raw}}}}", "\\{{first_name}}", "\\\\{{first_name}}",
    # Our own syntax and Jinja/Django (Brevo)
    "{{ first_name | there }}", "{% if unused_benefits %}IF{% endif %}", "{% else %}", "{# note #}",
    "{{ contact.FIRSTNAME }}", "{{ unsubscribe }}", "{{ contact.FIRSTNAME|default:'x' }}",
    # Mailchimp
    "*|FNAME|*", "*|UNSUB|*", "*|IF:FNAME|*IF*|ELSE:|*ELSE*|END:IF|*", "*|ARCHIVE|*",
    # Mailgun
    "%recipient.first_name%", "%recipient%", "%recipient_email%", "%unsubscribe_url%",
    "%mailing_list_unsubscribe_url%", "%tag_unsubscribe_url%",
    # SendGrid legacy substitutions
    "<%asm_group_unsubscribe_raw_url%>", "<%asm_preferences_raw_url%>", "<%body%>", "-first_name-",
    # HTML and our private-use token characters (stripped on reading: never reach an output)
    "<script>alert(1)</script>", "<b>bold</b> & \"quoted\" 'x'",
    "\ue000first_name\ue00174686572\ue002",
]

#: Subjects go through our own tag parser, so they carry what is not ours (or ours escaped).
SUBJECT_PAYLOADS = [p for p in PAYLOADS if "{{" not in p and "{%" not in p] + [
    "\\{{ first_name | there }}", "\\{% if unused_benefits %}"]

NAME = {"first_name": "Ana"}
SENTINELS = "".join(chr(c) for c in range(0xE000, 0xE100))


def readable(payload: str) -> str:
    """What a reader must see for a payload: private-use characters are stripped on reading;
    a backslash before `{{` or `{%` in issue text is our own escape and is not shown."""
    visible = payload.translate({ord(c): None for c in SENTINELS})
    return visible.replace("\\{{", "{{").replace("\\{%", "{%")


def make_project(root: Path) -> Path:
    """A project with the hostile story and one issue per subject payload."""
    content = root / "content"
    for folder in ("stories", "issues"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (root / "newsletter.toml").write_text("""\
[project]
base_url = "https://news.example.com"

[brand]
name = "Example Roasters"
website = "https://roasters.example.com"

[sender]
name = "Marina"
email = "news@roasters.example.com"

[list]
id = "news.roasters.example.com"
unsubscribe_url = "https://roasters.example.com/unsubscribe?t={token}"
postal_address = "Example Roasters, 1 Test Street, Testville"
""", encoding="utf-8")
    (content / "audiences.yml").write_text(yaml.safe_dump([{
        "id": "regulars", "name": "Regulars", "description": "Customers who buy every month.",
        "channels": ["email"], "stages": ["retention"], "locale": "en"}]), encoding="utf-8")
    quote = " · ".join(PAYLOADS)
    front = {"title": "How Mira uses our beans", "kind": "testimonial", "date": "2026-10-01",
             "summary": "Mira's cafe runs on our espresso blend.",
             "customer": {"name": "Mira Costa", "company": "Costa Cafe", "tier": "gold"},
             "quote": {"text": quote, "author": "Mira Costa"}}
    (content / "stories" / "mira-testimonial.md").write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
        "Mira wrote *|FNAME|* and *|UNSUB|* in Markdown, and %recipient.first_name% too.\n",
        encoding="utf-8")
    for number, payload in enumerate(SUBJECT_PAYLOADS, start=1):
        meta = {"title": f"Issue {number}", "date": f"2026-{1 + number % 12:02d}-{1 + number // 12:02d}",
                "subject": f"Hi {{{{ first_name | there }}}}: {payload} end",
                "preheader": "A story from Mira, who runs a cafe on our espresso blend every day.",
                "sections": [{"title": "Stories", "stories": ["mira-testimonial"]}]}
        (content / "issues" / f"issue-{number:02d}.md").write_text(
            "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
            "Hello {{ first_name | there }}, a story for you.\n", encoding="utf-8")
    return root
