"""Postmark templates (Mustachio).

Mustachio has sections `{{#x}}...{{/x}}` and inverted sections `{{^x}}...{{/x}}` but no
else and no fallback helper, so:

    {% if x %}A{% else %}B{% endif %}   ->  {{#x}}A{{/x}}{{^x}}B{{/x}}
    {{ first_name | there }}            ->  {{#first_name}}{{.}}{{/first_name}}{{^first_name}}there{{/first_name}}

A section scopes its content to the tested value, and Mustachio does not look names up
in enclosing scopes, so inside a section every name is reached as `../name` (each
section's own path starts from the model, so one `../` is always enough).
`{{ }}` HTML-escapes; subject and text part use `{{{ }}}`.

The footer links to `{{{ pm:unsubscribe }}}`, Postmark's per-recipient unsubscribe for
Broadcast message streams (Postmark adds List-Unsubscribe to broadcasts).

Bundle per message:
    template.json     body of POST /templates (Name, Alias, Subject, HtmlBody, TextBody)
    sample-data.json  a TemplateModel for POST /templates/validate or /email/withTemplate
"""

from __future__ import annotations

from ..core import merge
from . import Message, escape, register
from .base import BaseDialect
from .bundle import dumps


class Postmark(BaseDialect):
    name = "postmark"
    label = "Postmark"
    syntax = (r"\{\{\{?[^{}]*\}\}\}?",)

    def literal(self, text: str, context: str) -> str:
        # A Mustachio tag is `{{` + anything but braces + `}}`: breaking every `{{` is enough.
        if context == "html":
            return escape.html_literal(text, chars="{}", pairs=("{{",))
        return escape.plain_literal(text, pairs=("{{",), lead="}", trail="{", provider=self.label)

    def unsubscribe(self, context: str) -> str:
        return "{{{ pm:unsubscribe }}}"

    @staticmethod
    def _path(name: str, stack: list[merge.Block]) -> str:
        return f"../{name}" if stack else name

    def _value(self, path: str, context: str) -> str:
        return f"{{{{{path}}}}}" if context == "html" else f"{{{{{{{path}}}}}}}"

    def variable(self, tag: merge.MergeTag, context: str, stack: list[merge.Block]) -> str:
        path = self._path(self.field(tag.field), stack)
        if not tag.fallback:
            return self._value(path, context)
        return (f"{{{{#{path}}}}}{self._value('.', context)}{{{{/{path}}}}}"
                f"{{{{^{path}}}}}{self.fallback(tag.fallback, context)}{{{{/{path}}}}}")

    def block(self, block: merge.Block, context: str, stack: list[merge.Block],
              opened: merge.Block | None = None) -> str:
        path = self._path(self.field(block.field), stack)
        if block.kind == "if":
            return f"{{{{#{path}}}}}"
        if block.kind == "unless":
            return f"{{{{^{path}}}}}"
        if block.kind == "else":
            inverse = "^" if opened is None or opened.kind == "if" else "#"
            return f"{{{{/{path}}}}}{{{{{inverse}{path}}}}}"
        return f"{{{{/{path}}}}}"

    def bundle(self, message: Message) -> dict[str, bytes]:
        subject, html, text = self.parts(message)
        return {
            "template.json": dumps({
                "Name": message.title, "Alias": message.name, "TemplateType": "Standard",
                "Subject": subject, "HtmlBody": html, "TextBody": text}),
            "sample-data.json": dumps(self.sample(message.sample)),
        }


register(Postmark())
