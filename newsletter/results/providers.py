"""Readers for each provider's event export, each written from the provider's documented format.

Every reader turns one record into zero or more `Event`s, or raises `RowError` for a
record it cannot use (no recipient, a click without its link). Event types we do not
count (processed, deferred, bounce, unsubscribe...) are left out without a word: they
are normal parts of every export.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..core.diagnostics import Diagnostics, Location
from .events import Event, recipient_key


class RowError(ValueError):
    """A record that cannot be used; the message says what is missing."""


def _text(record: dict, *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _recipient(record: dict, *keys: str) -> str:
    value = _text(record, *keys)
    if not value:
        raise RowError(f"no recipient ({' or '.join(repr(k) for k in keys)})")
    return recipient_key(value)


def _link(record: dict, *keys: str) -> str:
    value = _text(record, *keys)
    if not value:
        raise RowError(f"a click without its link ({' or '.join(repr(k) for k in keys)})")
    return value


def sendgrid(record: dict, where: Location) -> list[Event]:
    """SendGrid Event Webhook: a JSON array of events with `event`, `email`, `url` on clicks,
    and `sg_machine_open` on opens (true for Apple Mail Privacy Protection and other
    machine opens). https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
    """
    kind = {"delivered": "delivered", "open": "open", "click": "click"}.get(record.get("event"))
    if kind is None:
        return []
    who = _recipient(record, "email")
    if kind == "click":
        return [Event("sendgrid", "click", who, where, url=_link(record, "url"))]
    machine = record.get("sg_machine_open") if kind == "open" else None
    return [Event("sendgrid", kind, who, where,
                  machine=bool(machine) if isinstance(machine, bool) else None)]


def ses(record: dict, where: Location) -> list[Event]:
    """Amazon SES event publishing (SNS notifications or Firehose records): `eventType`
    Delivery / Open / Click, recipients in `mail.destination` (`delivery.recipients` for a
    delivery), the link in `click.link`. SES does not flag machine opens.
    https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
    """
    kind = {"Delivery": "delivered", "Open": "open", "Click": "click"}.get(
        record.get("eventType") or record.get("notificationType"))
    if kind is None:
        return []
    mail = record.get("mail") if isinstance(record.get("mail"), dict) else {}
    detail = record.get({"delivered": "delivery", "open": "open", "click": "click"}[kind])
    detail = detail if isinstance(detail, dict) else {}
    recipients = detail.get("recipients") if kind == "delivered" else None
    recipients = recipients or mail.get("destination") or []
    recipients = [r for r in recipients if isinstance(r, str) and r.strip()]
    if not recipients:
        raise RowError("no recipient ('mail.destination')")
    url = _link(detail, "link") if kind == "click" else ""
    return [Event("ses", kind, recipient_key(r), where, url=url) for r in recipients]


def postmark(record: dict, where: Location) -> list[Event]:
    """Postmark webhooks: `RecordType` Delivery / Open / Click, `Recipient`, the link in
    `OriginalLink`. Postmark does not flag machine opens.
    https://postmarkapp.com/developer/webhooks/click-webhook (and open-tracking-webhook,
    delivery-webhook)
    """
    kind = {"Delivery": "delivered", "Open": "open", "Click": "click"}.get(record.get("RecordType"))
    if kind is None:
        return []
    who = _recipient(record, "Recipient", "Email")
    url = _link(record, "OriginalLink") if kind == "click" else ""
    return [Event("postmark", kind, who, where, url=url)]


def mailgun(record: dict, where: Location) -> list[Event]:
    """Mailgun events (Events API `items` or a webhook's `event-data`): `event` delivered /
    opened / clicked, `recipient`, `url` on clicks; `client-info.bot` names the robot that
    opened (apple, gmail...) when Mailgun recognised one.
    https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads
    """
    kind = {"delivered": "delivered", "opened": "open", "clicked": "click"}.get(record.get("event"))
    if kind is None:
        return []
    who = _recipient(record, "recipient")
    if kind == "click":
        return [Event("mailgun", "click", who, where, url=_link(record, "url"))]
    machine = None
    info = record.get("client-info")
    if kind == "open" and isinstance(info, dict) and "bot" in info:
        machine = bool(info.get("bot"))
    return [Event("mailgun", kind, who, where, machine=machine)]


_BREVO = {"delivered": ("delivered", None),
          "opened": ("open", False), "unique_opened": ("open", False), "uniqueOpened": ("open", False),
          "proxy_open": ("open", True), "unique_proxy_open": ("open", True),
          "proxyOpen": ("open", True), "uniqueProxyOpen": ("open", True),
          "click": ("click", None), "clicked": ("click", None)}


def brevo(record: dict, where: Location) -> list[Event]:
    """Brevo webhooks (marketing and transactional): `event` delivered / opened / click, and
    proxy_open for opens made by a privacy proxy such as Apple's; `email`; the link in `URL`
    (marketing) or `link` (transactional).
    https://developers.brevo.com/docs/marketing-webhooks and /docs/transactional-webhooks
    """
    kind, machine = _BREVO.get(record.get("event"), (None, None))
    if kind is None:
        return []
    who = _recipient(record, "email")
    url = _link(record, "URL", "link", "url") if kind == "click" else ""
    return [Event("brevo", kind, who, where, url=url, machine=machine)]


_MAILCHIMP_COLUMNS = {"email": ("email address", "email", "email_address"),
                      "action": ("action", "activity"),
                      "url": ("url", "link"),
                      "proxy": ("proxy open", "is proxy open", "is_proxy_open")}


def mailchimp(record: dict, where: Location) -> list[Event]:
    """Mailchimp campaign reports as CSV, one row per activity: `Email Address`, `Action`
    (sent from the Sent To report; open, click from the Email Activity report), `URL` on
    clicks, and `Proxy Open` (Mailchimp's is_proxy_open: Apple Mail Privacy Protection).
    https://mailchimp.com/developer/marketing/api/email-activity-reports/ and
    https://mailchimp.com/developer/marketing/api/sent-to-reports/
    """
    action = _text(record, "action").lower()
    kind = {"sent": "delivered", "open": "open", "click": "click"}.get(action)
    if kind is None:
        return []
    who = _recipient(record, "email")
    if kind == "click":
        return [Event("mailchimp", "click", who, where, url=_link(record, "url"))]
    proxy = _text(record, "proxy").lower()
    machine = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(proxy)
    return [Event("mailchimp", kind, who, where, machine=machine if kind == "open" else None)]


Reader = Callable[[dict, Location], list[Event]]
#: Provider name (the file name's first word) -> reader and the file type it reads.
PROVIDERS: dict[str, tuple[Reader, str]] = {
    "mailchimp": (mailchimp, ".csv"), "sendgrid": (sendgrid, ".json"), "ses": (ses, ".json"),
    "postmark": (postmark, ".json"), "mailgun": (mailgun, ".json"), "brevo": (brevo, ".json"),
}

_SEPARATORS = re.compile(r"[\s,]*")
_ITEMS = re.compile(r'"items"\s*:\s*\[')


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _values(text: str, pos: int, end: str | None) -> Iterator[tuple[int, Any]]:
    """Consecutive JSON values from `pos` (an array's items, or newline-delimited records)."""
    decoder = json.JSONDecoder()
    while True:
        pos = _SEPARATORS.match(text, pos).end()
        if pos >= len(text) or (end and text[pos] == end):
            return
        value, after = decoder.raw_decode(text, pos)
        yield pos, value
        pos = after


def _unwrap(value: Any) -> Any:
    """The event inside a wrapper: an SNS notification's `Message`, a Mailgun webhook's `event-data`."""
    if isinstance(value, dict) and value.get("Type") == "Notification" and isinstance(value.get("Message"), str):
        return json.loads(value["Message"])
    if isinstance(value, dict) and isinstance(value.get("event-data"), dict):
        return value["event-data"]
    return value


def json_records(text: str) -> Iterator[tuple[int, Any]]:
    """Each record of a JSON export with the line it starts on: an array, one object,
    newline-delimited objects (Firehose), or a page of the Mailgun Events API (`items`).

    Raises json.JSONDecodeError at the first syntax error.
    """
    start = _SEPARATORS.match(text, 0).end()
    if start < len(text) and text[start] == "[":
        values = _values(text, start + 1, "]")
    else:
        values = _values(text, start, None)
    for offset, value in values:
        if isinstance(value, dict) and isinstance(value.get("items"), list):
            found = _ITEMS.search(text, offset)
            if found:
                for item_offset, item in _values(text, found.end(), "]"):
                    yield _line(text, item_offset), item
                continue
            for item in value["items"]:  # "items" written with escapes: the page's line will do
                yield _line(text, offset), item
            continue
        yield _line(text, offset), value


def csv_records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV rows keyed by our Mailchimp field names (headers matched case-insensitively)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return
    names = [h.strip().casefold() for h in header]
    columns = {field: next((names.index(a) for a in aliases if a in names), None)
               for field, aliases in _MAILCHIMP_COLUMNS.items()}
    line = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield line, {field: row[i] for field, i in columns.items() if i is not None and i < len(row)}
        line = reader.line_num + 1


def read_events(provider: str, text: str, name: str, diagnostics: Diagnostics) -> list[Event]:
    """Every usable event of one export; problems go to `diagnostics` with file:line."""
    reader, _ = PROVIDERS[provider]
    events: list[Event] = []
    if provider == "mailchimp":
        records: Iterator[tuple[int, Any]] = csv_records(text)
    else:
        records = json_records(text)
    try:
        for line, record in records:
            where = Location(name, line)
            try:
                record = _unwrap(record)
            except json.JSONDecodeError as exc:
                diagnostics.error(f"row skipped: the notification's Message is not JSON ({exc.msg})",
                                  where, "results-row")
                continue
            if not isinstance(record, dict):
                diagnostics.error("row skipped: expected an object with the event's fields", where,
                                  "results-row")
                continue
            try:
                events.extend(reader(record, where))
            except RowError as exc:
                diagnostics.error(f"row skipped: {exc}", where, "results-row")
    except json.JSONDecodeError as exc:
        diagnostics.error(f"not valid JSON ({exc.msg}); rows after this point were not read",
                          Location(name, exc.lineno, exc.colno), "results-syntax")
    except csv.Error as exc:
        diagnostics.error(f"not valid CSV ({exc})", Location(name), "results-syntax")
    return events
