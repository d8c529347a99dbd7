"""Per-contact data for each provider, so `{% if unused_benefits %}` is true at the provider too.

The exported templates test recipient fields (first name, company, unused benefits,
onboarding behind); the provider can only fill them from its own contact records. This
module writes those records from the customer data, in the format each provider imports:

    mailchimp  contacts.csv                 audience import: Email Address, merge fields, Language, Tags
    sendgrid   contacts.csv                 Marketing Campaigns import: email, reserved and custom fields
    ses        contacts.json                sesv2 CreateContact inputs: AttributesData, TopicPreferences
    postmark   <issue>/batch-NNNN.json      POST /email/batchWithTemplates bodies (500 messages each)
    mailgun    members-NNNN.json            POST /v3/lists/{list}/members.json bodies (1,000 each)
    brevo      contacts.csv                 POST /v3/contacts/import fileBody (semicolons)

Each contact carries exactly the fields the exported templates use, named as the
templates name them, plus tier, audience and language for segments. Only customers whose
`marketing_opt_in` says yes are exported, and never an NPS answer or a lifetime value.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone
from email.utils import formataddr

from ..core import merge
from ..customers.data import CustomerData
from ..core.diagnostics import Diagnostics, Location
from ..output.writer import source_date_epoch
from .bundle import dumps, template_name

#: Fields every contact carries besides the ones the templates use: for segments.
SEGMENT_FIELDS = ("tier", "audience", "language")
#: The order fields appear in, whichever subset the templates use.
FIELD_ORDER = ("first_name", "last_name", "company", "unused_benefits", "onboarding_behind",
               merge.RECIPIENT_ID, *SEGMENT_FIELDS)
CONDITIONS = {"unused_benefits", "onboarding_behind"}
POSTMARK_BATCH = 500
MAILGUN_BATCH = 1000


def fields_used(texts: list[str]) -> list[str]:
    """The recipient fields and conditions that tokenised message parts refer to, in FIELD_ORDER."""
    found: set[str] = set()
    for text in texts:
        found.update(tag.field for tag in merge.tags(text))
        found.update(block.field for block in merge.blocks(text) if block.field)
    return [f for f in FIELD_ORDER if f in found]


def export_day() -> date:
    """The day onboarding is judged on: SOURCE_DATE_EPOCH's, so exports are reproducible, else today."""
    epoch = source_date_epoch()
    return datetime.fromtimestamp(epoch, timezone.utc).date() if epoch is not None else date.today()


def _contacts(data: CustomerData, on: date) -> list[dict]:
    """Opted-in customers with an email address, in export order, with every field we may write."""
    table = data.engine.profiles_table(on)
    cursor = data.engine.con.execute(
        f"SELECT email, name, first_name, company, unused_benefits > 0, onboarding_behind, "
        f"computed_tier, audience, message_locale, id FROM {table} "
        "WHERE marketing_opt_in AND email IS NOT NULL ORDER BY _order")
    out = []
    for email, name, first, company, unused, behind, tier, audience, locale, cid in cursor.fetchall():
        last = name[len(first) + 1:] if first and name.startswith(first + " ") else None
        out.append({"email": email, "first_name": first, "last_name": last, "company": company,
                    "unused_benefits": bool(unused), "onboarding_behind": bool(behind),
                    "tier": tier, "audience": audience, "language": locale,
                    # What survey answer links carry where the provider has no id of its own.
                    merge.RECIPIENT_ID: cid})
    return out


def _csv(header: list[str], rows: list[list], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _text(value: object, yes: str = "yes", no: str = "") -> str:
    """A value as a CSV cell; conditions as `yes`/`no` (empty is false in every provider's syntax)."""
    if isinstance(value, bool):
        return yes if value else no
    return "" if value is None else str(value)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def provider_files(dialect, contacts: list[dict], fields: list[str], project) -> dict[str, bytes]:
    """The contact import files for one provider (paths relative to the export folder)."""
    names = {f: dialect.field(f).removeprefix("contact.") for f in fields}
    name = dialect.name
    if name == "mailgun":  # a batch's recipient variable `id` (%recipient.id%)
        names[merge.RECIPIENT_ID] = "id"
    if name == "mailchimp":  # *|UNIQID|* is Mailchimp's own member id
        merges = [f for f in fields if f not in ("language", "audience", "tier", merge.RECIPIENT_ID)]
        header = ["Email Address", *(names[f] for f in merges), "Language", "Tags"]
        rows = [[c["email"], *(_text(c[f]) for f in merges), c["language"] or "",
                 ",".join(t for t in (c["audience"], c["tier"]) if t)] for c in contacts]
        return {"contacts.csv": _csv(header, rows)}
    if name == "sendgrid":
        header = ["email", *(names[f] for f in fields)]
        return {"contacts.csv": _csv(header, [[c["email"], *(_text(c[f]) for f in fields)] for c in contacts])}
    if name == "brevo":
        header = ["EMAIL", *(names[f] for f in fields)]
        rows = [[c["email"], *(_text(c[f], "true") for f in fields)] for c in contacts]
        return {"contacts.csv": _csv(header, rows, ";")}
    if name == "ses":
        items = [{"ContactListName": "newsletter", "EmailAddress": c["email"],
                  "TopicPreferences": ([{"TopicName": c["audience"], "SubscriptionStatus": "OPT_IN"}]
                                       if c["audience"] else []),
                  "UnsubscribeAll": False,
                  "AttributesData": json.dumps({names[f]: c[f] for f in fields if c[f] is not None},
                                               ensure_ascii=False, sort_keys=True)}
                 for c in contacts]
        return {"contacts.json": dumps(items)}
    if name == "mailgun":
        members = [{"address": c["email"], "subscribed": True,
                    "vars": {names[f]: c[f] for f in fields if c[f] is not None}} for c in contacts]
        return {f"members-{i:04d}.json": dumps(chunk)
                for i, chunk in enumerate(_chunks(members, MAILGUN_BATCH), 1)}
    if name == "postmark":
        sender = project.config.sender
        files = {}
        for issue in sorted(project.issues):
            messages = [{"From": formataddr((sender.name, sender.email)), "To": c["email"],
                         "TemplateAlias": template_name(issue, c["audience"]),
                         "TemplateModel": {names[f]: c[f] for f in fields if c[f] is not None},
                         "MessageStream": "broadcast"}
                        for c in contacts if c["audience"] in project.audiences]
            for i, chunk in enumerate(_chunks(messages, POSTMARK_BATCH), 1):
                files[f"{issue}/batch-{i:04d}.json"] = dumps({"Messages": chunk})
        return files
    return {}


def contact_files(project, dialect, texts: list[str], data: CustomerData | None,
                  diagnostics: Diagnostics) -> dict[str, bytes]:
    """The contacts files for `dialect`, or {} (with one warning saying why) when there are none."""
    if data is None:
        return {}
    if not data.engine.has_opt_in:
        diagnostics.warning(
            f"contacts not exported: the customer data has no '{data.settings.column('marketing_opt_in')}' "
            "column, so nobody is known to have agreed to marketing email (add it, or map yours in "
            "[customers] columns); the templates were exported", Location(data.files[0]), "contacts")
        return {}
    fields = [*fields_used(texts), *SEGMENT_FIELDS]
    fields = list(dict.fromkeys(fields))
    return provider_files(dialect, _contacts(data, export_day()), fields, project)
