"""Mailgun templates (Handlebars).

Mailgun's template API takes form fields, not JSON, and has no text part (send with
`t:text=yes` to have one made from the HTML, or pass text.txt as `text`).

Mailgun also substitutes its own variables in every message, template or not:
`%recipient.KEY%` and `%recipient%` in batch sends, `%unsubscribe_url%` and the other
unsubscribe variables. Story text containing them stays literal (an entity in HTML, a word
joiner in text); the footer links to `%unsubscribe_url%`, Mailgun's per-recipient
unsubscribe (its List-Unsubscribe header comes with unsubscribe tracking). Survey answer
links carry `%recipient.id%`: give each recipient an `id` in the batch's recipient-variables.

Bundle per message:
    template.json     every form field of POST /v3/{domain}/templates, for API clients
    template.html     the `template` field, for `curl -F template=<template.html`
    headers.json      the `headers` field (the Subject), for `curl -F headers=<headers.json`
    text.txt          the text part in the same syntax
    sample-data.json  `t:variables` of a sample recipient
"""

from __future__ import annotations

import hashlib
import json

from ..core import merge
from . import Message, escape, register
from .bundle import dumps
from .bundle import text as utf8
from .handlebars import HandlebarsDialect


class Mailgun(HandlebarsDialect):
    name = "mailgun"
    label = "Mailgun"
    pairs = escape.MAILGUN
    syntax = HandlebarsDialect.syntax + (
        r"%(?:recipient[^%\s]*|unsubscribe_url|mailing_list_unsubscribe_url|tag_unsubscribe_url)%",)

    def unsubscribe(self, context: str) -> str:
        return "%unsubscribe_url%"

    def recipient_id(self, context: str, stack) -> str:
        # A batch send's recipient variable `id` (recipient-variables: {"a@b.c": {"id": ...}}).
        return "%recipient.id%"

    def sample(self, data: dict[str, object]) -> object:
        # The id comes from the batch's recipient-variables, not from `t:variables`.
        return super().sample({k: v for k, v in data.items() if k != merge.RECIPIENT_ID})

    def bundle(self, message: Message) -> dict[str, bytes]:
        subject, html, text = self.parts(message)
        headers = json.dumps({"Subject": subject}, ensure_ascii=False)
        # A version tag that changes exactly when the content does, so a re-upload of
        # changed content becomes a new version instead of clashing with the old one.
        digest = hashlib.sha256(f"{headers}\n{html}".encode("utf-8")).hexdigest()[:12]
        fields = {
            "name": message.name,
            "description": message.title,
            "template": html,
            "engine": "handlebars",
            "tag": f"v-{digest}",
            "comment": f"newsletter export of {message.key}",
            "headers": headers,
        }
        return {
            "template.json": dumps(fields),
            "template.html": utf8(html),
            "headers.json": utf8(headers + "\n"),
            "text.txt": utf8(text),
            "sample-data.json": dumps(self.sample(message.sample)),
        }


register(Mailgun())
