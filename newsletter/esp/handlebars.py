"""Handlebars, shared by SendGrid dynamic templates, Amazon SES and Mailgun.

Not a provider itself (it registers nothing); `sendgrid`, `ses` and `mailgun` subclass it
and add their bundles. Syntax used, all core Handlebars that the three providers document:

    {{first_name}}                                  HTML part (HTML-escaped by the provider)
    {{{first_name}}}                                subject and text part (not escaped)
    {{#if first_name}}{{first_name}}{{else}}there{{/if}}    a field with a fallback
    {{#if unused_benefits}} ... {{else}} ... {{/if}}         {% if %} blocks
    {{#unless onboarding_behind}} ... {{/unless}}            {% if not %} blocks

SendGrid also offers `{{insert first_name "default=there"}}`, but `#if`/`else` works on all
three and keeps the fallback as plain template text, which we already know how to escape.
"""

from __future__ import annotations

from ..core import merge
from . import escape
from .base import BaseDialect

#: A Handlebars mustache; and what `\{{` makes literal (up to the next `{{`, as handlebars.js
#: lexes it).
HANDLEBARS_SYNTAX = r"\{\{\{?[^{}]*\}\}\}?"
HANDLEBARS_ESCAPED = r"\\\{\{[\s\S]*?(?=\\{0,2}\{\{|\Z)"


class HandlebarsDialect(BaseDialect):
    """Handlebars merge syntax; subclasses add `name`, `label`, `unsubscribe` and `bundle`.

    `pairs` are the provider's own sequences besides Handlebars (Mailgun's `%recipient`,
    SendGrid's `<%`): an entity in HTML, a word joiner in plain text.
    """

    pairs: tuple[str, ...] = ()
    syntax = (HANDLEBARS_SYNTAX,)
    syntax_escaped = (HANDLEBARS_ESCAPED,)

    def literal(self, text: str, context: str) -> str:
        if context == "html":
            # `{`, `}` and `\` as entities: no `{{` can form, and no backslash can turn a
            # following tag of ours into an escaped (literal) one.
            return escape.html_literal(text, chars="{}\\", pairs=("{{",) + self.pairs,
                                       edges="%")
        if self.pairs:
            escape.refuse_in_urls(text, self.pairs, self.label)
            text = escape.break_pairs(text, self.pairs)
        return escape.handlebars_text(text)

    def _value(self, name: str, context: str) -> str:
        return f"{{{{{name}}}}}" if context == "html" else f"{{{{{{{name}}}}}}}"

    def variable(self, tag: merge.MergeTag, context: str, stack: list[merge.Block]) -> str:
        name = self.field(tag.field)
        if not tag.fallback:
            return self._value(name, context)
        return (f"{{{{#if {name}}}}}{self._value(name, context)}{{{{else}}}}"
                f"{self.fallback(tag.fallback, context)}{{{{/if}}}}")

    def block(self, block: merge.Block, context: str, stack: list[merge.Block],
              opened: merge.Block | None = None) -> str:
        if block.kind == "if":
            return f"{{{{#if {self.field(block.field)}}}}}"
        if block.kind == "unless":
            return f"{{{{#unless {self.field(block.field)}}}}}"
        if block.kind == "else":
            return "{{else}}"
        return "{{/if}}" if opened is None or opened.kind == "if" else "{{/unless}}"
