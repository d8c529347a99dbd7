"""Write the example project's result exports for issue 2026-10 (deterministic, committed output).

Run from the repository root: `python tools/make_example_results.py`. It reads the
project (audiences, the issue's stories per audience, content/customers.csv) and writes,
under content/results/2026-10/, one export per audience in a different provider's
documented format, plus customers-before.csv and customers-after.csv. The same input
always gives byte-identical files: randomness is seeded per audience.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter.build import load  # noqa: E402
from newsletter.content.models import SOCIAL_PROOF_KINDS  # noqa: E402
from newsletter.results.redemption import reminder_audiences  # noqa: E402
from newsletter.compose.selection import issue_audiences, plan  # noqa: E402
from newsletter.render.utm import tag_url  # noqa: E402

ISSUE = "2026-10"
PROVIDER = {"new-subscribers": "mailchimp", "cafe-owners": "sendgrid", "baristas-br": "brevo",
            "home-brewers-ru": "mailgun"}
SENT = datetime(2026, 10, 6, 8, 0, tzinfo=timezone.utc)


def _links(project, audience) -> list[tuple[str, str, str]]:
    """(story id, kind, tagged url) for each story the audience's variant carries."""
    issue = project.issues[ISSUE]
    locale = audience.locale or project.config.project.default_locale
    out = []
    for section in plan(project, issue, audience, locale):
        for story in section.stories:
            target = story.meta.cta.url if story.meta.cta else f"{project.config.brand.website}/stories/{story.id}"
            out.append((story.id, story.meta.kind, tag_url(target, project.config.utm, ISSUE, story.id,
                                                           audience.id)))
    return out


def _activity(rng: random.Random, recipients: list[str], links, new: bool):
    """(recipient, kind, url, machine, minutes after the send) for each simulated event."""
    events = []
    for email in recipients:
        if rng.random() < 0.06:  # a bounce: no delivery event at all
            continue
        events.append((email, "delivered", "", None, rng.randint(1, 9)))
        if rng.random() < 0.3:
            events.append((email, "open", "", True, rng.randint(2, 20)))  # Apple MPP prefetch
        if rng.random() < 0.55:
            events.append((email, "open", "", False, rng.randint(30, 900)))
            for story, kind, url in links:
                # New customers click what the best customers did more than anything else.
                chance = (0.45 if new else 0.3) if kind in SOCIAL_PROOF_KINDS else 0.18
                if rng.random() < chance:
                    events.append((email, "click", url, None, rng.randint(31, 960)))
    return events


def _iso(minutes: int) -> str:
    return (SENT + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def mailchimp(events) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Email Address", "Action", "Timestamp", "URL", "Proxy Open"])
    for email, kind, url, machine, minutes in events:
        action = {"delivered": "sent", "open": "open", "click": "click"}[kind]
        proxy = "" if machine is None else ("true" if machine else "false")
        writer.writerow([email, action, _iso(minutes), url, proxy])
    return buffer.getvalue()


def sendgrid(events) -> str:
    records = []
    for n, (email, kind, url, machine, minutes) in enumerate(events):
        record = {"email": email, "timestamp": int((SENT + timedelta(minutes=minutes)).timestamp()),
                  "event": kind, "category": ["newsletter", ISSUE], "sg_event_id": f"ev-{n:05d}",
                  "sg_message_id": f"msg-{zlib.crc32(email.encode()):08x}"}
        if kind == "open":
            record["sg_machine_open"] = bool(machine)
        if kind == "click":
            record["url"] = url
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def brevo(events) -> str:
    records = []
    for n, (email, kind, url, machine, minutes) in enumerate(events):
        name = {"delivered": "delivered", "click": "click"}.get(kind) or ("proxy_open" if machine else "opened")
        record = {"id": 100000 + n, "camp_id": 42, "email": email, "campaign name": f"Newsletter {ISSUE}",
                  "event": name, "date_event": _iso(minutes).replace("T", " ").rstrip("Z"),
                  "ts_event": int((SENT + timedelta(minutes=minutes)).timestamp()), "tag": ""}
        if kind == "click":
            record["URL"] = url
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def mailgun(events) -> str:
    items = []
    for n, (email, kind, url, machine, minutes) in enumerate(events):
        item = {"event": {"delivered": "delivered", "open": "opened", "click": "clicked"}[kind],
                "id": f"evt{n:05d}", "timestamp": (SENT + timedelta(minutes=minutes)).timestamp(),
                "recipient": email, "tags": [ISSUE], "message": {"headers": {"message-id": f"{n}@mg.cafezal.example"}}}
        if kind == "open":
            item["client-info"] = {"client-type": "mobile browser" if machine else "email client",
                                   "bot": "apple" if machine else ""}
        if kind == "click":
            item["url"] = url
        items.append(item)
    return json.dumps({"items": items, "paging": {}}, ensure_ascii=False, indent=2) + "\n"


WRITERS = {"mailchimp": (mailchimp, "csv"), "sendgrid": (sendgrid, "json"), "brevo": (brevo, "json"),
           "mailgun": (mailgun, "json")}


def main() -> None:
    project, _ = load(ROOT)
    with (ROOT / "content/customers.csv").open(encoding="utf-8", newline="") as handle:
        customers = list(csv.DictReader(handle))
    out = ROOT / "content/results" / ISSUE
    out.mkdir(parents=True, exist_ok=True)
    early = set(project.config.checks.early_stages)
    delivered: set[str] = set()
    for audience in issue_audiences(project, project.issues[ISSUE]):
        rng = random.Random(f"{ISSUE}/{audience.id}")
        recipients = [c["email"] for c in customers if c["audience"] == audience.id and c["email"]]
        events = _activity(rng, recipients, _links(project, audience), bool(early & set(audience.stages)))
        events.sort(key=lambda e: (e[4], e[0], e[1]))
        delivered |= {e[0] for e in events if e[1] == "delivered"}
        provider = PROVIDER[audience.id]
        write, ext = WRITERS[provider]
        (out / f"{provider}-{audience.id}.{ext}").write_text(write(events), encoding="utf-8")
    _customer_exports(out, customers, delivered, set(reminder_audiences(project, ISSUE)))


def _customer_exports(out: Path, customers: list[dict], delivered: set[str], reminded: set[str]) -> None:
    """Before = today's export; after = a month later, when some unused benefits were redeemed."""
    rng = random.Random(f"{ISSUE}/redemption")
    after = []
    for row in customers:
        row = dict(row)
        issued, redeemed = int(row["benefits_issued"] or 0), int(row["benefits_redeemed"] or 0)
        if issued > redeemed:
            # The vendor's numbers: about 20% redeem on their own, 50-60% after a plain reminder.
            got = row["audience"] in reminded and row["email"] in delivered
            if rng.random() < (0.55 if got else 0.2):
                row["benefits_redeemed"] = str(redeemed + 1)
        after.append(row)
    for name, rows in (("customers-before.csv", customers), ("customers-after.csv", after)):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(customers[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (out / name).write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
