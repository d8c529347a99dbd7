"""Closing the loop from customer data: whom `suggest` asks for a story and whom it says to
call, the consent coming back in the export, and the lifecycle packs' schedules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml
from click.testing import CliRunner

from newsletter.build import build, load
from newsletter.cli import main
from newsletter.content.models import CUSTOMER_KINDS
from newsletter.core.diagnostics import Diagnostics
from newsletter.customers.data import load_customer_data, name_key
from newsletter.results.flywheel import Loop, close_the_loop, story_asks, write_story_asks_json

from .checkhelpers import findings
from .conftest import edit


def _suggest(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["suggest", "--project", str(root), "--month", "2026-12",
                                       "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_top_tier_promoters_without_consent_or_story_are_asked(example):
    out = _suggest(example)
    asks = {audience: [p["id"] for p in people] for audience, people in out["ask_for_story"].items()}
    # Aroha (platinum, NPS 9, no consent on record); Renata (platinum, NPS 9, consent expired).
    assert asks["cafe-owners"] == ["CZ-2009"] and asks["baristas-br"] == ["CZ-3008"]
    assert asks["new-subscribers"] == [] and asks["home-brewers-ru"] == []
    project, _ = load(example)
    loop = close_the_loop(project, date(2026, 12, 1), Diagnostics())
    for people in loop.ask.values():
        for p in people:
            assert p.record.nps >= 9 and p.tier in ("gold", "platinum")


def test_consent_granted_in_the_export_ends_the_ask_and_fills_the_scaffold(example):
    csv = example / "content/customers.csv"
    edit(csv, "Aroha,en,cafe-owners,2021-08-02,45,560,6,9,,,", "Aroha,en,cafe-owners,2021-08-02,45,560,6,9,2026-11-20,2027-11-30,")
    out = _suggest(example)
    assert out["ask_for_story"]["cafe-owners"] == []
    assert "CZ-2009" in [p["id"] for p in out["feature"]["cafe-owners"]]  # now a candidate to feature
    result = CliRunner().invoke(main, ["suggest", "--project", str(example), "--month", "2026-12",
                                       "--scaffold", "CZ-2009"])
    assert result.exit_code == 0, result.output
    story = (example / "content/stories/aroha-ngata-spotlight.md").read_text(encoding="utf-8")
    front = yaml.safe_load(story.split("---")[1])
    assert front["consent"] == {"granted": date(2026, 11, 20), "expires": date(2027, 11, 30)}
    assert front["customer"]["tier"] == "platinum"


def test_customers_behind_on_onboarding_are_listed_most_valuable_first(example):
    calls = _suggest(example)["call_behind_onboarding"]
    assert [c["id"] for c in calls] == ["CZ-1009", "CZ-4008", "CZ-3009"]
    values = [float(c["lifetime_value"]) for c in calls]
    assert values == sorted(values, reverse=True)
    assert all(c["progress"] < 0.8 * c["expected"] for c in calls)


def test_text_output_has_both_tables(example):
    result = CliRunner().invoke(main, ["suggest", "--project", str(example), "--month", "2026-12"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # Rich wraps titles and cells at 80 columns
    assert "Ask for a story" in text and "Aroha" in text and "CZ-2009" in text
    assert "Call: behind on" in text and "Chloe" in text and "10%" in text


def test_lifecycle_packs_export_their_trigger_and_pass_the_checks(example):
    result = build(example, example / "build")
    schedules = {pack: json.loads((result.out_dir / f"welcome/{pack}/schedule.json").read_text())
                 for pack in ("may-we-tell-your-story", "anniversary", "back-on-track", "first-90-days")}
    assert {p: s["trigger_id"] for p, s in schedules.items()} == {
        "may-we-tell-your-story": "promoter", "anniversary": "anniversary",
        "back-on-track": "onboarding-behind", "first-90-days": "start"}
    ask = schedules["may-we-tell-your-story"]
    assert [(s["step"], s["day"]) for s in ask["steps"] if s["audience"] == "cafe-owners"] == [
        ("ask", 0), ("reminder", 10), ("thanks", 24)]
    assert "consent_granted" in ask["leaves"]
    assert [s["day"] for s in schedules["anniversary"]["steps"]] == [365, 1826]
    assert findings(example, "pack-schedule") == []  # short lifecycle packs are not held to 90 days


def test_a_short_welcome_pack_is_still_warned(example):
    edit(example / "content/welcome/back-on-track.yml", "trigger: onboarding-behind\n", "")
    warned = [f for f in findings(example, "pack-schedule") if "back-on-track" in f[1]]
    assert warned and warned[0][0] == "warning" and "day 90" in warned[0][2]


def test_the_engine_picks_and_orders_both_lists_as_the_rules_say(example):
    # Ties on lifetime value (the copies below) are ordered by name, then by row.
    csv = example / "content/customers.csv"
    rows = csv.read_text(encoding="utf-8").splitlines()
    extra = []
    for row in rows[1:]:
        cells = row.split(",")
        extra.append(",".join(["X" + cells[0], "Zed " + cells[1], *cells[2:]]))
    csv.write_text("\n".join(rows + extra) + "\n", encoding="utf-8")
    project, _ = load(example)
    on = date(2026, 12, 1)
    data = load_customer_data(project)
    loop = close_the_loop(project, on, Diagnostics(), data)
    # The rules written out in Python over every customer's profile.
    with_story = {name_key(s.meta.customer.name) for s in project.stories.values()
                  if s.meta.kind in CUSTOMER_KINDS and s.meta.customer}
    everyone = data.profiles(on)
    asked = [p for p in everyone if p.record.nps is not None and p.record.nps >= 9 and p.tier in data.top_tiers
             and not (p.record.consent_granted is not None and p.record.consent_problem(on) is None)
             and name_key(p.name) not in with_story]
    asked.sort(key=lambda p: (-(p.ltv or 0), p.name))
    expected = {audience: [p.id for p in asked if p.audience == audience] for audience in project.audiences}
    assert {a: [p.id for p in people] for a, people in loop.ask.items()} == expected
    assert sum(map(len, expected.values())) >= 4  # the copies are asked too
    behind = sorted((p for p in everyone if p.onboarding_behind),
                    key=lambda p: (p.ltv is None, -(p.ltv or 0), p.name))
    assert [p.id for p in loop.call] == [p.id for p in behind] and len(behind) >= 6
    # Read by close_the_loop itself, the lists are the same.
    again = close_the_loop(project, on, Diagnostics())
    assert [p.id for p in again.call] == [p.id for p in loop.call]


def test_story_asks_written_by_the_engine_are_the_bytes_json_dumps_writes(example):
    # Promoters whose text JSON escapes (quotes, a backslash, a control character, a literal
    # "\u001F"), in other scripts, and one without an audience (listed after the project's).
    rows = ['CZ-9001,"Nour ""Q"" \\ \x1f نور","Café \\u001F 梅",n@x.example,Nour,ar,cafe-owners,'
            '2021-08-02,45,560,6,10,,,2,0,100',
            'CZ-9002,Анна Тест,,a@x.example,Анна,ru,,2021-08-02,45,560,6,9,,,2,0,100']
    csv = example / "content/customers.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "\n".join(rows) + "\n", encoding="utf-8")
    project, _ = load(example)
    data = load_customer_data(project)
    on = date(2026, 12, 1)
    asks = story_asks(project, data, on)
    assert [p.id for p in asks["cafe-owners"]] == ["CZ-2009", "CZ-9001"]  # same value: by name
    assert [p.id for p in asks[None]] == ["CZ-9002"] and list(asks)[-1] is None
    assert "\x1f" in asks["cafe-owners"][1].name
    parts: list[str] = []
    write_story_asks_json(project, data, on, parts.append, 2)
    expected = json.dumps({"ask_for_story": Loop(asks).to_dict()["ask_for_story"]}, ensure_ascii=False, indent=2)
    assert '{\n  "ask_for_story": ' + "".join(parts) + "\n}" == expected


def test_suggest_json_lists_the_asks_the_loop_finds(example):
    out = _suggest(example)
    project, _ = load(example)
    loop = close_the_loop(project, date(2026, 12, 1), Diagnostics())
    assert out["ask_for_story"] == Loop(loop.ask).to_dict()["ask_for_story"]
    assert out["call_behind_onboarding"] == loop.to_dict()["call_behind_onboarding"]
