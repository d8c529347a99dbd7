"""SendGrid dynamic transactional templates (Handlebars).

Bundle per message:
    template.json     body of POST /v3/templates (creates the template, "generation": "dynamic")
    version.json      body of POST /v3/templates/{template_id}/versions (subject, HTML, text)
    sample-data.json  dynamic_template_data of a sample recipient (also in version.test_data)

The footer links to `{{{unsubscribe}}}`, the unsubscribe group's per-recipient URL that
SendGrid fills when the message is sent with `asm.group_id` (it then adds List-Unsubscribe
itself). SendGrid's legacy `<%...%>` tags in story text stay literal; `-key-`
substitutions cannot be used with dynamic templates at all (the API refuses them).
"""

from __future__ import annotations

import json

from . import ExportError, Message, register
from .bundle import dumps
from .handlebars import HandlebarsDialect

#: Limits of the versions API.
MAX_NAME = 100
MAX_SUBJECT = 255


class SendGrid(HandlebarsDialect):
    name = "sendgrid"
    label = "SendGrid"
    pairs = ("<%",)
    syntax = HandlebarsDialect.syntax + (r"<%[^%<>]*%>",)

    def unsubscribe(self, context: str) -> str:
        return "{{{unsubscribe}}}"

    def bundle(self, message: Message) -> dict[str, bytes]:
        subject, html, text = self.parts(message)
        if len(subject) > MAX_SUBJECT:
            raise ExportError(f"{message.key}: the SendGrid subject is {len(subject)} characters "
                              f"with its merge tags; SendGrid accepts at most {MAX_SUBJECT}")
        sample = self.sample(message.sample)
        version = {
            "name": message.title[:MAX_NAME],
            "subject": subject,
            "html_content": html,
            "plain_content": text,
            # Our text part is written for people; SendGrid must not replace it with its own.
            "generate_plain_content": False,
            "editor": "code",
            "active": 1,
            "test_data": json.dumps(sample, ensure_ascii=False, sort_keys=True),
        }
        return {
            "template.json": dumps({"name": message.name, "generation": "dynamic"}),
            "version.json": dumps(version),
            "sample-data.json": dumps(sample),
        }


register(SendGrid())
