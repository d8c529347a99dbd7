"""Amazon SES email templates (Handlebars).

Bundle per message:
    template.json              {"Template": {TemplateName, SubjectPart, HtmlPart, TextPart}}
                               for `aws ses create-template --cli-input-json file://template.json`
    email-template.json        the same content for SES v2:
                               `aws sesv2 create-email-template --cli-input-json file://email-template.json`
    sample-data.json           template data for `aws sesv2 test-render-email-template`

The footer links to `{{amazonSESUnsubscribeUrl}}`, which SES list management replaces
with the recipient's one-click unsubscribe URL (and adds List-Unsubscribe) when the
message is sent with ListManagementOptions (a contact list and topic).
"""

from __future__ import annotations

from . import ExportError, Message, register
from .bundle import dumps
from .handlebars import HandlebarsDialect

#: SES rules: TemplateName is 1-64 of [A-Za-z0-9_-]; a template is at most 500 KB.
MAX_BYTES = 500 * 1024


class Ses(HandlebarsDialect):
    name = "ses"
    label = "Amazon SES"
    # SES puts the unsubscribe URL where this placeholder is; a quote holding it stays text.
    pairs = ("{{amazonSESUnsubscribeUrl}}",)

    def unsubscribe(self, context: str) -> str:
        return "{{amazonSESUnsubscribeUrl}}"

    def bundle(self, message: Message) -> dict[str, bytes]:
        if not _valid_name(message.name):
            raise ExportError(f"{message.key}: '{message.name}' is not a valid SES TemplateName "
                              "(1-64 characters of A-Z, a-z, 0-9, _ and -)")
        subject, html, text = self.parts(message)
        size = sum(len(part.encode("utf-8")) for part in (subject, html, text))
        if size > MAX_BYTES:
            raise ExportError(f"{message.key}: the SES template is {size / 1024:.0f} KB; "
                              f"SES accepts at most {MAX_BYTES // 1024} KB (remove stories or images)")
        return {
            "template.json": dumps({"Template": {
                "TemplateName": message.name, "SubjectPart": subject,
                "HtmlPart": html, "TextPart": text}}),
            "email-template.json": dumps({
                "TemplateName": message.name,
                "TemplateContent": {"Subject": subject, "Html": html, "Text": text}}),
            "sample-data.json": dumps(self.sample(message.sample)),
        }


def _valid_name(name: str) -> bool:
    return 1 <= len(name) <= 64 and all(c.isascii() and (c.isalnum() or c in "_-") for c in name)


register(Ses())
