"""Mailchimp: merge tags and an "Import zip" template per message.

    *|FNAME|*                                          a field
    *|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*      a field with a fallback
    *|IF:UNUSED_BEN|* ... *|ELSE:|* ... *|END:IF|*     {% if %} blocks
    *|IFNOT:OB_BEHIND|* ... *|END:IF|*                 {% if not %} blocks

`*|IF:TAG|*` is true when the audience field has any value, so yes/no facts are text
fields holding "yes" or left empty. Tags stay within 10 characters of A-Z, 0-9 and _.
Mailchimp has no escape for `*|`, so literal text breaks it: an entity in HTML, a word
joiner (invisible) in the subject and text part.

The footer links to `*|UNSUB|*`, Mailchimp's per-recipient unsubscribe (Mailchimp adds
List-Unsubscribe itself); survey answer links carry `*|UNIQID|*`, the member's unique id.

Bundle per message:
    <name>.zip        index.html and index.txt, for Templates > Create template > Import zip
    subject.txt       the subject line, for the campaign's Subject field
    sample-data.json  audience-field values of a sample recipient
"""

from __future__ import annotations

from ..core import merge
from ..output.writer import source_date_epoch
from . import Message, escape, register
from .base import BaseDialect
from .bundle import dumps, make_zip, yes_no
from .bundle import text as utf8

_PAIRS = ("*|", "|*")


class Mailchimp(BaseDialect):
    name = "mailchimp"
    label = "Mailchimp"
    names = {"first_name": "FNAME", "last_name": "LNAME", "company": "COMPANY",
             "unused_benefits": "UNUSED_BEN", "onboarding_behind": "OB_BEHIND"}
    syntax = (r"\*\|[^\n]*?\|\*",)

    def field(self, name: str) -> str:
        return self.names.get(name, name.upper()[:10])

    def literal(self, text: str, context: str) -> str:
        if context == "html":
            # Only the sequences, not every `*` and `|`: `<!--[if mso | IE]>` must survive.
            return escape.html_literal(text, chars="", pairs=_PAIRS, edges="*|")
        return escape.plain_literal(text, pairs=_PAIRS, lead="*|", trail="*|", provider=self.label)

    def unsubscribe(self, context: str) -> str:
        return "*|UNSUB|*"

    def recipient_id(self, context: str, stack: list[merge.Block]) -> str:
        # Mailchimp's unique id of the audience member (what its own survey links carry).
        return "*|UNIQID|*"

    def variable(self, tag: merge.MergeTag, context: str, stack: list[merge.Block]) -> str:
        name = self.field(tag.field)
        if not tag.fallback:
            return f"*|{name}|*"
        return (f"*|IF:{name}|**|{name}|**|ELSE:|*{self.fallback(tag.fallback, context)}"
                "*|END:IF|*")

    def block(self, block: merge.Block, context: str, stack: list[merge.Block],
              opened: merge.Block | None = None) -> str:
        if block.kind == "if":
            return f"*|IF:{self.field(block.field)}|*"
        if block.kind == "unless":
            return f"*|IFNOT:{self.field(block.field)}|*"
        return "*|ELSE:|*" if block.kind == "else" else "*|END:IF|*"

    def sample(self, data: dict[str, object]) -> object:
        # *|UNIQID|* is Mailchimp's own: no audience field to fill.
        return {self.field(k): v for k, v in sorted(yes_no(data).items()) if k != merge.RECIPIENT_ID}

    def bundle(self, message: Message) -> dict[str, bytes]:
        subject, html, text = self.parts(message)
        archive = make_zip({"index.html": utf8(html), "index.txt": utf8(text)},
                           source_date_epoch())
        return {
            f"{message.name}.zip": archive,
            "subject.txt": utf8(subject + "\n"),
            "sample-data.json": dumps(self.sample(message.sample)),
        }


register(Mailchimp())
