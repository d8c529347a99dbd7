"""The schedule of each pack, as JSON and CSV, ready to map onto an ESP automation.

A pack's `trigger` says what day 0 is for a customer and who enters the automation; the
schedule spells it out so the marketer can build the same entry rule in their provider.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..core import merge
from .manifest import dumps

#: Per trigger: what day 0 is, who enters, and when they leave.
TRIGGERS: dict[str, dict[str, str]] = {
    "start": {"day_0": "the recipient's start date (first purchase or sign-up)",
              "who": "every new customer of the pack's audiences",
              "leaves": "after the last step"},
    "promoter": {"day_0": "the day the customer is first listed by `newsletter suggest` under "
                          "'Ask for a story'",
                 "who": "promoters (NPS 9-10) on a top tier with no publication consent and no story",
                 "leaves": "when the customer data has a consent_granted date (stop the reminders)"},
    "anniversary": {"day_0": "the recipient's `since` date (day 365 is one year with us)",
                    "who": "every customer with a `since` date",
                    "leaves": "never: each step goes out once, on its anniversary"},
    "onboarding-behind": {"day_0": "the day the customer falls behind on onboarding "
                                   "(below [customers] onboarding_threshold x expected progress)",
                          "who": "customers for whom the onboarding_behind condition holds",
                          "leaves": "when they are no longer behind"},
}

COLUMNS = ["pack", "audience", "step", "day", "subject", "preheader", "conditions", "html", "text", "eml"]


def conditions(issue, audience_id: str) -> list[str]:
    """Every recipient condition a step depends on: section `when`s and intro `{% if %}`s."""
    found = [section.when for section in issue.meta.sections if section.when]
    text = issue.text_for(audience_id)
    for block in merge.blocks(text.intro_markdown):
        if block.kind in ("if", "unless"):
            found.append(block.field if block.kind == "if" else f"not {block.field}")
    return sorted(set(found))


def schedule_rows(pack, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per audience and step, in send order."""
    steps = {step.step: step for step in pack.steps}
    out = []
    for row in rows:
        if row.get("kind") != "welcome" or row.get("pack") != pack.id or row["channel"] != "email":
            continue
        files = {f["path"].rsplit(".", 1)[-1]: f["path"] for f in row["files"]}
        out.append({"pack": pack.id, "audience": row["audience"], "step": row["step"], "day": row["day"],
                    "subject": row["subject"], "preheader": row["preheader"],
                    "conditions": conditions(steps[row["step"]], row["audience"]),
                    "html": files.get("html", ""), "text": files.get("txt", ""), "eml": files.get("eml", "")})
    out.sort(key=lambda r: (r["audience"], r["day"], r["step"]))
    return out


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "conditions": " & ".join(row["conditions"])})
    return buffer.getvalue().encode("utf-8")


def schedules(project, rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """build/welcome/<pack>/schedule.json and schedule.csv for every pack."""
    files = {}
    for pack_id, pack in sorted(project.packs.items()):
        table = schedule_rows(pack, rows)
        trigger = TRIGGERS[pack.meta.trigger]
        files[f"welcome/{pack_id}/schedule.json"] = dumps({
            "pack": pack_id, "title": pack.meta.title, "live_from": pack.meta.date.isoformat(),
            "trigger": trigger["day_0"], "trigger_id": pack.meta.trigger,
            "who": trigger["who"], "leaves": trigger["leaves"], "steps": table})
        files[f"welcome/{pack_id}/schedule.csv"] = to_csv(table)
    return files
