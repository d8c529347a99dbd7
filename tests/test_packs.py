"""Welcome packs: output layout, schedule files, conditional blocks per recipient, pack rules."""

import csv
import io
import json
from email import message_from_bytes, policy

import pytest

from newsletter.build import build
from newsletter.channels.email_channel import personalised

from .checkhelpers import findings
from .conftest import edit

PACK = """title: Your first 90 days
date: 2026-10-10
audiences: [new-readers, book-clubs]
steps:
  - id: welcome
    day: 0
    title: Welcome
    subject: "{{ first_name | there }}, welcome to Lumen"
    preheader: How our most loyal readers started, and a reading habit to begin tonight.
    intro: |
      Hi {{ first_name | there }},

      Welcome! You are now part of a community of readers.
      {% if unused_benefits %}
      Your free book voucher is waiting for you.
      {% endif %}
    sections:
      - title: {en: From our readers, zh-CN: 读者故事}
        stories: [tom-testimonial, mei-spotlight]
      - title: {en: Start here, zh-CN: 从这里开始}
        stories: [reading-habit-guide, club-questions-guide]
    overrides:
      book-clubs:
        subject: "{{ first_name | 朋友 }}，欢迎加入 Lumen 读书社区"
        preheader: 看看最忠实的读者如何开始，以及今晚就能开始的阅读习惯和读书会提问的三个好方法。
        intro: |
          {{ first_name | 朋友 }}，你好！欢迎你加入我们的读书社区。
  - id: voucher
    day: 30
    title: Your voucher
    subject: "{{ first_name | there }}, one month in"
    preheader: A month of reading with Lumen, what our best readers do next, and one thing to try.
    intro: |
      Hi {{ first_name | there }}, you have been with us a month.
    sections:
      - title: {en: From our readers, zh-CN: 读者故事}
        stories: [tom-testimonial, mei-spotlight]
      - title: {en: Don't miss out, zh-CN: 别错过}
        stories: [voucher-reminder]
        when: unused_benefits
      - title: {en: Keep going, zh-CN: 继续}
        stories: [reading-habit-guide, club-questions-guide]
    overrides:
      book-clubs:
        subject: "{{ first_name | 朋友 }}，一个月了"
        preheader: 加入 Lumen 一个月了：看看最好的读者接下来做什么，还有一件值得一试的小事和一个新问题。
        intro: |
          {{ first_name | 朋友 }}，你好！你已经和我们一起读了一个月。
  - id: ninety
    day: 90
    title: Three months
    subject: "{{ first_name | there }}, your first three months"
    preheader: What to do next, and what to do if something goes wrong with an order.
    intro: |
      Hi {{ first_name | there }}, here is your three-month checklist.
    sections:
      - title: {en: From our readers, zh-CN: 读者故事}
        stories: [tom-testimonial, mei-spotlight]
      - title: {en: Checklist, zh-CN: 清单}
        stories: [reading-habit-guide, club-questions-guide]
    overrides:
      book-clubs:
        subject: "{{ first_name | 朋友 }}，你的前三个月"
        preheader: 接下来做什么，以及订单出问题时该怎么办：一份写给读书会组织者的三个月清单。
        intro: |
          {{ first_name | 朋友 }}，你好！这是你的三个月清单。
"""

REMINDER = """---
title: Your free book is still waiting
kind: reminder
date: 2026-10-01
audiences: [new-readers]
tags: [reading-habits]
cta:
  label: Choose your free book
  url: https://lumen.example/voucher
---
Your subscription came with one free book of your choice. You have not picked it yet: it takes a minute.
"""


@pytest.fixture
def packed(minimal):
    (minimal / "content/welcome").mkdir()
    (minimal / "content/welcome/first-90-days.yml").write_text(PACK, encoding="utf-8")
    (minimal / "content/stories/voucher-reminder.md").write_text(REMINDER, encoding="utf-8")
    return minimal


def test_pack_steps_build_per_audience(packed):
    result = build(packed)
    names = set(result.files)
    for audience in ("new-readers", "book-clubs"):
        for step in ("welcome", "voucher", "ninety"):
            for ext in ("html", "txt", "eml"):
                assert f"welcome/first-90-days/{audience}/{step}/email.{ext}" in names
    manifest = json.loads((packed / "build/manifest.json").read_text(encoding="utf-8"))
    rows = [r for r in manifest["outputs"] if r["kind"] == "welcome"]
    assert len(rows) == 6
    assert {(r["step"], r["day"]) for r in rows} == {("welcome", 0), ("voucher", 30), ("ninety", 90)}


def test_schedule_files(packed):
    build(packed)
    data = json.loads((packed / "build/welcome/first-90-days/schedule.json").read_text(encoding="utf-8"))
    assert data["pack"] == "first-90-days" and data["live_from"] == "2026-10-10"
    steps = [(s["audience"], s["step"], s["day"], s["conditions"]) for s in data["steps"]]
    assert steps == [
        ("book-clubs", "welcome", 0, []), ("book-clubs", "voucher", 30, ["unused_benefits"]),
        ("book-clubs", "ninety", 90, []),
        ("new-readers", "welcome", 0, ["unused_benefits"]), ("new-readers", "voucher", 30, ["unused_benefits"]),
        ("new-readers", "ninety", 90, [])]
    first = data["steps"][3]
    assert first["subject"] == "There, welcome to Lumen"  # a fallback starting the subject is capitalised
    assert first["html"] == "welcome/first-90-days/new-readers/welcome/email.html"
    rows = list(csv.DictReader(io.StringIO((packed / "build/welcome/first-90-days/schedule.csv").read_text(encoding="utf-8"))))
    assert rows[0]["subject"] == "朋友，欢迎加入 Lumen 读书社区" and rows[4]["conditions"] == "unused_benefits"


def _parts(eml: bytes):
    msg = message_from_bytes(eml, policy=policy.default)
    return msg, msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_conditional_blocks_follow_recipient_data(packed):
    result = build(packed)
    output = next(o for o in result.outputs if o.variant.key == "first-90-days/voucher/new-readers/email")
    config = result.project.config
    # The built preview is for a recipient we know nothing about: no voucher section.
    _, text, html = _parts(result.files["welcome/first-90-days/new-readers/voucher/email.eml"])
    assert "Your free book is still waiting" not in text and "Your free book is still waiting" not in html
    with_benefit = personalised(output, config, {"first_name": "Ana", "unused_benefits": True}, to="ana@readers.example")
    msg, text, html = _parts(with_benefit["eml"])
    assert msg["Subject"] == "Ana, one month in" and msg["To"] == "ana@readers.example"
    assert "Your free book is still waiting" in text and "Your free book is still waiting" in html
    assert "DON'T MISS OUT" in text
    without = personalised(output, config, {"first_name": "Bo", "unused_benefits": False})
    _, text, html = _parts(without["eml"])
    assert "Your free book is still waiting" not in text and "Your free book is still waiting" not in html
    assert "Hi Bo, you have been with us a month." in text


def test_intro_conditional_in_text_and_html(packed):
    result = build(packed)
    output = next(o for o in result.outputs if o.variant.key == "first-90-days/welcome/new-readers/email")
    shown = personalised(output, result.project.config, {"unused_benefits": True})
    hidden = personalised(output, result.project.config, {})
    assert "Your free book voucher is waiting for you." in " ".join(shown["text"].split())
    assert "Your free book voucher is waiting for you." in shown["html"]
    assert "Your free book voucher" not in " ".join(hidden["text"].split())
    assert "Your free book voucher" not in hidden["html"]


def test_pack_passes_its_rules(packed):
    for check_id in ("pack-promo-window", "pack-social-proof", "pack-educational", "pack-schedule"):
        assert findings(packed, check_id) == [], check_id


def test_promo_inside_the_first_30_days(packed):
    (packed / "content/stories/spring-sale.md").write_text(
        "---\ntitle: Spring sale\nkind: promo\ndate: 2026-10-01\naudiences: [new-readers]\ntags: [reading-habits]\n---\nA sale.\n",
        encoding="utf-8")
    edit(packed / "content/welcome/first-90-days.yml", "stories: [reading-habit-guide, club-questions-guide]\n    overrides:\n      book-clubs:\n        subject: \"{{ first_name | 朋友 }}，欢迎",
         "stories: [reading-habit-guide, club-questions-guide, spring-sale]\n    overrides:\n      book-clubs:\n        subject: \"{{ first_name | 朋友 }}，欢迎")
    assert findings(packed, "pack-promo-window") == [(
        "error", "content/welcome/first-90-days.yml:6:10",
        "spring-sale: a promotion on day 0, inside the first 30 days",
        "move the offer after day 30, and use this step to help them get value from what they bought")]


def test_no_social_proof_or_guide_anywhere(packed):
    path = packed / "content/welcome/first-90-days.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "stories: [tom-testimonial, mei-spotlight]", "stories: [voucher-reminder]").replace(
        "stories: [reading-habit-guide, club-questions-guide]", "stories: [voucher-reminder]"), encoding="utf-8")
    assert findings(packed, "pack-social-proof", "new-readers") == [(
        "error", "content/welcome/first-90-days.yml:5:3",
        "welcome pack 'first-90-days' shows 'new-readers' no customer story at all",
        "add a spotlight or testimonial of a top customer to the first step")]
    assert findings(packed, "pack-educational", "new-readers")[0][2] == \
        "welcome pack 'first-90-days' teaches 'new-readers' nothing"


def test_schedule_rules(packed):
    path = packed / "content/welcome/first-90-days.yml"
    edit(path, "    day: 90\n", "    day: 30\n")
    found = findings(packed, "pack-schedule", "new-readers")
    messages = sorted(m for _, _, m, _ in found)
    assert "'new-readers' gets step 'ninety' and voucher on day 30" in messages
    assert "'new-readers' gets step 'voucher' and ninety on day 30" in messages
    assert "the pack ends on day 30: plan at least the first three months (day 90)" in messages
    edit(path, "    day: 30\n    title: Your voucher", "    day: 40\n    title: Your voucher")
    found = findings(packed, "pack-schedule", "new-readers")
    assert ("error", "content/welcome/first-90-days.yml:50:10",
            "step 'ninety' (day 30) comes after day 40 in the file: delays must increase",
            "order the steps by day") in found


def test_pack_errors_have_file_and_line(packed):
    from newsletter.core.diagnostics import BuildError
    path = packed / "content/welcome/first-90-days.yml"
    edit(path, "    when: unused_benefits", "    when: has_voucher")
    with pytest.raises(BuildError) as info:
        build(packed)
    assert [str(d) for d in info.value.diagnostics] == [
        "content/welcome/first-90-days.yml:40:15: error: steps[1].sections[1].when: write a condition such as "
        "'unused_benefits' or 'not onboarding_behind' (known: unused_benefits, onboarding_behind, first_name, "
        "company) [invalid]"]
    edit(path, "    when: has_voucher", "    when: unused_benefits")
    edit(path, "stories: [voucher-reminder]", "stories: [voucher-reminderr]")
    edit(path, "{% endif %}\n    sections:", "{% endif %\n    sections:")
    with pytest.raises(BuildError) as info:
        build(packed)
    assert [str(d) for d in info.value.diagnostics] == [
        "content/welcome/first-90-days.yml:16:7: error: half-closed block tag '{% endif %': close it with '%}' [merge-tag]",
        "content/welcome/first-90-days.yml:39:19: error: unknown story 'voucher-reminderr': no "
        "content/stories/voucher-reminderr.md [unknown-story]"]
