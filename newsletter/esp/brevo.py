"""Brevo (ex Sendinblue) templates, in the Brevo Template Language (Django-like).

    {{ contact.FIRSTNAME|default:'there' }}                 a field with a fallback
    {% if contact.UNUSED_BENEFITS %} ... {% else %} ... {% endif %}
    {% if not contact.ONBOARDING_BEHIND %} ... {% endif %}

Contact attributes are upper case; FIRSTNAME and LASTNAME are Brevo's own, the others are
attributes to create (text, or boolean for the conditions). The language opens with `{{`,
`{%` and `{#` (comments), so literal text breaks all three.

The footer links to `{{ unsubscribe }}`, Brevo's per-recipient unsubscribe link.

Brevo's template API has no text part (Brevo derives one); text.txt is the text part in
the same syntax, for `textContent` when sending through the API. Bundle per message:
    template.json     body of POST /v3/smtp/templates
    text.txt          the text part
    sample-data.json  {"contact": {...}} of a sample recipient, for previews
"""

from __future__ import annotations

import re

from ..core import merge
from . import Message, escape, register
from .base import BaseDialect
from .bundle import dumps
from .bundle import text as utf8

#: A fallback that can sit inside '...' unchanged; anything else uses an {% if %} instead.
_SIMPLE = re.compile(r"[^'\"\\{}%#<>&|:]*")
_PAIRS = ("{{", "{%", "{#")


class Brevo(BaseDialect):
    name = "brevo"
    label = "Brevo"
    names = {"first_name": "FIRSTNAME", "last_name": "LASTNAME"}
    syntax = (r"\{\{.*?\}\}", r"\{%.*?%\}", r"\{#.*?#\}")

    def field(self, name: str) -> str:
        return f"contact.{self.names.get(name, name.upper())}"

    def literal(self, text: str, context: str) -> str:
        if context == "html":
            return escape.html_literal(text, chars="{}", pairs=_PAIRS)
        return escape.plain_literal(text, pairs=_PAIRS, lead="}%#", trail="{", provider=self.label)

    def unsubscribe(self, context: str) -> str:
        return "{{ unsubscribe }}"

    def variable(self, tag: merge.MergeTag, context: str, stack: list[merge.Block]) -> str:
        name = self.field(tag.field)
        if not tag.fallback:
            return f"{{{{ {name} }}}}"
        if _SIMPLE.fullmatch(tag.fallback):
            return f"{{{{ {name}|default:'{tag.fallback}' }}}}"
        return (f"{{% if {name} %}}{{{{ {name} }}}}{{% else %}}"
                f"{self.fallback(tag.fallback, context)}{{% endif %}}")

    def block(self, block: merge.Block, context: str, stack: list[merge.Block],
              opened: merge.Block | None = None) -> str:
        if block.kind == "if":
            return f"{{% if {self.field(block.field)} %}}"
        if block.kind == "unless":
            return f"{{% if not {self.field(block.field)} %}}"
        return "{% else %}" if block.kind == "else" else "{% endif %}"

    def sample(self, data: dict[str, object]) -> object:
        return {"contact": {self.field(k).split(".", 1)[1]: v for k, v in sorted(data.items())}}

    def bundle(self, message: Message) -> dict[str, bytes]:
        subject, html, text = self.parts(message)
        template = {
            "templateName": message.name,
            "subject": subject,
            "htmlContent": html,
            "sender": {"name": message.sender_name, "email": message.sender_email},
            "isActive": True,
            "tag": "newsletter",
        }
        if message.reply_to:
            template["replyTo"] = message.reply_to
        return {
            "template.json": dumps(template),
            "text.txt": utf8(text),
            "sample-data.json": dumps(self.sample(message.sample)),
        }


register(Brevo())
