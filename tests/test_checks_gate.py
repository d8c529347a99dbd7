"""The four questions as a gate: every hole that used to let a failing message out is now a
finding that fails it, with the file:line and what to do."""

from __future__ import annotations

import pytest

from newsletter.build import load, render
from newsletter.core.diagnostics import BuildError
from newsletter.core.timing import Timer
from newsletter.esp.export import export
from newsletter.inspect import check_project

from .checkhelpers import findings, verdicts
from .conftest import edit
from .test_customers_ledger import NOVEMBER

ISSUE = "content/issues/2026-10.md"
MEI = "content/stories/mei-spotlight.md"
TOM = "content/stories/tom-testimonial.md"
GUIDE = "content/stories/reading-habit-guide.md"


def _messages(found):
    return [message for _, _, message, _ in found]


def test_disguised_offer_in_a_guide_is_promotion_for_new_customers(minimal):
    edit(minimal / GUIDE, "Read for 20 minutes at the same time every day.",
         "Read for 20 minutes a day. This week only, take 20% off the planner with code READ20: order yours today.")
    assert _messages(findings(minimal, "q2-hidden-promo", "new-readers")) == [
        "reading-habit-guide: an offer written as a guide (discount '20% off', urgency 'This week only', "
        "call to buy 'order yours today')"]
    [(severity, where, message, _)] = findings(minimal, "q2-early-promo", "new-readers")
    assert (severity, where) == ("error", f"{GUIDE}:3:7")
    assert message.startswith("reading-habit-guide: an offer (discount '20% off'") and "onboarding stage" in message
    assert verdicts(minimal, "new-readers")["2"] == "fail"


@pytest.mark.parametrize("greeting, found", [
    ("尊敬的会员您好：", "尊敬的会员"),
    ("亲爱的用户：现将本月动态通报如下。", "亲爱的用户"),
])
def test_boilerplate_variants_fail_q3(minimal, greeting, found):
    edit(minimal / ISSUE, "      {{ first_name | 朋友 }}，你好！", "      " + greeting)
    [(severity, where, message, _)] = [f for f in findings(minimal, "q3-tone", "book-clubs") if f[0] == "error"]
    assert (severity, where, message) == ("error", f"{ISSUE}:16:12", f"the intro reads like a form letter ('{found}')")
    assert verdicts(minimal, "book-clubs")["3"] == "fail"


def test_english_story_declared_chinese_is_found_from_its_text(minimal):
    edit(minimal / GUIDE, "audiences: [new-readers]\n", "locale: zh-CN\n")
    edit(minimal / GUIDE, "date: 2026-10-02", "date: 2026-10-04")
    [(severity, where, message, _)] = findings(minimal, "q3-language", "book-clubs")
    assert (severity, where) == ("error", f"{GUIDE}:2:8")
    assert message == ("reading-habit-guide: its title is in English, but 'book-clubs' reads zh-CN: "
                       "'Build a 20-minute reading habit'")


def test_subject_in_another_language_fails(minimal):
    edit(minimal / ISSUE, 'subject: "{{ first_name | 朋友 }}，读书会的秘密"',
         'subject: "{{ first_name | Reader }}, the secret of book clubs"')
    [(severity, where, message, _)] = findings(minimal, "q3-language", "book-clubs")
    assert (severity, where) == ("error", f"{ISSUE}:14:14")
    assert message.startswith("the subject is in English, but 'book-clubs' reads zh-CN")


def test_long_praise_only_spotlight_fails_q1(minimal):
    path = minimal / MEI
    text = path.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    tribute = ("林梅是我们最喜爱的读者之一，我们由衷地感谢她。她真是一个非常美好的人，热情又慷慨。"
               "有她在，是我们的幸运。谢谢您，林梅！") * 4
    path.write_text(text.replace(body, tribute + "\n").replace(
        "summary: 林梅用一个共享书单，把十个人的读书会变成了每月四本书的习惯。", "summary: 谢谢林梅，我们最喜爱的读者！"),
        encoding="utf-8")
    found = findings(minimal, "q1-social-proof", "book-clubs")
    assert ("warning", f"{MEI}:3:7", "mei-spotlight: names 林梅 but only praises and thanks them (17 of 17 sentences)",
            "tell what they did, concretely enough to copy: the habit, the steps, the result") in found
    assert verdicts(minimal, "book-clubs")["1"] == "fail"


def test_case_study_told_in_words_without_metrics_passes_q1(minimal):
    edit(minimal / TOM, "kind: testimonial", "kind: case-study")
    edit(minimal / TOM, "quote:\n", "case:\n  problem: Tom started books and never finished them.\n"
         "  action: He moved his reading to the train and kept the next book in his bag.\n"
         "  result: He finished every book of his first month.\nquote:\n")
    report, _ = check_project(minimal, expensive=False)
    variant = next(v for v in report.variants if v.audience == "new-readers")
    passed = [r.finding.message for r in variant.results if r.check.id == "q1-social-proof" and r.finding.passed]
    assert passed == ["tom-testimonial: case-study featuring Tom Baker (platinum) with a case study telling "
                      "problem, action and result"]
    assert variant.verdicts()["1"] == "pass"


def test_lowercase_fallback_starting_the_subject_is_capitalised(minimal):
    edit(minimal / ISSUE, 'subject: "{{ first_name | Reader }}, the 20-minute habit"',
         'subject: "{{ first_name | there }}, welcome to the community"')
    project, _ = load(minimal)
    outputs = render(project, Timer())
    output = next(o for o in outputs if o.variant.audience.id == "new-readers")
    assert output.subject == "There, welcome to the community"


def test_half_closed_tag_stops_the_build_at_its_column(minimal):
    edit(minimal / ISSUE, "      {{ first_name | 朋友 }}，你好！", "      {{ first_name | 同学 }，你好！")
    with pytest.raises(BuildError) as info:
        check_project(minimal, expensive=False)
    assert [str(d) for d in info.value.diagnostics] == [
        f"{ISSUE}:17:7: error: half-closed personalisation tag '{{{{ first_name | 同学 }}，你好！': write "
        "{{ field | fallback }} with two braces on each side [merge-tag]"]


PACK = """title: Getting started
date: 2026-10-05
review: 2027-08-25
audiences: [book-clubs]
steps:
  - id: welcome
    day: 0
    title: 欢迎
    subject: "{{ first_name | 朋友 }}，欢迎加入读书会"
    preheader: 林梅的读书会每月读完四本书，看看她是怎么做的，以及你可以从哪里开始。
    intro: "{{ first_name | 朋友 }}，你好！欢迎你。"
    sections:
      - title: 读者故事
        stories: [mei-spotlight, club-questions-guide]
  - id: later
    day: 21
    title: 三周之后
    subject: "{{ first_name | 朋友 }}，三周过去了"
    preheader: 再看看林梅的读书会是怎么安排每次聚会的，以及一个讨论问题清单。
    intro: "{{ first_name | 朋友 }}，你好！"
    sections:
      - title: 读者故事
        stories: [mei-spotlight, club-questions-guide]
"""


def test_pack_consent_is_judged_over_every_day_the_step_goes_out(minimal):
    (minimal / "content/welcome").mkdir()
    (minimal / "content/welcome/start.yml").write_text(PACK, encoding="utf-8")
    found = [f for f in findings(minimal, "q1-consent", "book-clubs")]
    assert found == [(
        "error", f"{MEI}:22:12",
        "mei-spotlight: 林梅 consent ends 2027-09-01 but step 'later' (day 21) goes out from 2026-10-26 "
        "to 2027-09-15; this story must not be sent",
        "renew the customer's consent (update consent.granted/expires) or remove the story from the step")]


def test_pack_without_an_end_keeps_every_step_going_out(minimal):
    (minimal / "content/welcome").mkdir()
    (minimal / "content/welcome/start.yml").write_text(PACK.replace("review: 2027-08-25\n", ""), encoding="utf-8")
    messages = _messages(findings(minimal, "q1-consent", "book-clubs"))
    assert len(messages) == 2 and all("no end date" in m for m in messages)


def test_misspelt_early_stage_is_refused_with_a_suggestion(minimal):
    with (minimal / "newsletter.toml").open("a", encoding="utf-8") as f:
        f.write('\n[checks]\nearly_stages = ["onbording"]\n')
    with pytest.raises(BuildError) as info:
        check_project(minimal, expensive=False)
    [message] = [str(d) for d in info.value.diagnostics if d.severity.value == "error"]
    assert message.startswith("newsletter.toml:") and "did you mean 'onboarding'?" in message


def test_posix_locale_is_refused_with_the_bcp47_spelling(minimal):
    edit(minimal / "content/audiences.yml", "locale: zh-CN", "locale: zh_CN")
    with pytest.raises(BuildError) as info:
        check_project(minimal, expensive=False)
    first = str(info.value.diagnostics[0])
    assert first == ("content/audiences.yml:12:11: error: locale: 'zh_CN' is not a BCP 47 tag; "
                     "did you mean 'zh-CN'? [invalid]")


def test_renamed_customer_column_fails_every_message(basic):
    edit(basic / "content/customers.csv", "id,name,", "id,full_name,")
    found = findings(basic, "q1-tier-from-data")
    assert found and {f[:2] for f in found} == {("error", "content/customers.csv:1")}
    assert "no 'name' column" in found[0][2]
    assert verdicts(basic, "new-readers")["1"] == "fail"


def test_scaffold_draft_fails_q1_and_is_not_exported(minimal):
    edit(minimal / TOM, "title: Tom's first month", "title: \"TODO: what Tom did, in one line\"")
    assert findings(minimal, "q1-draft", "new-readers") == [(
        "error", f"{TOM}:2:8", "tom-testimonial: still a draft (title: 'TODO: what Tom did, in one line')",
        "write what the customer did, or take the story out of the issue")]
    with pytest.raises(BuildError) as info:
        export(minimal, "sendgrid")
    assert "2026-10/new-readers fails" in str(info.value)


def test_check_of_one_issue_sees_the_same_history_as_a_full_run(basic):
    (basic / "content/issues/2026-11.md").write_text(NOVEMBER, encoding="utf-8")
    report, _ = check_project(basic, issues=("2026-11",), expensive=False)
    seen = {(v.issue, r.check.id) for v in report.variants for r in v.results if not r.finding.passed}
    assert ("2026-11", "q1-featured-recently") in seen
    assert {v.issue for v in report.variants} == {"2026-11"}


def test_incentivized_testimonial_must_be_disclosed(minimal):
    edit(minimal / TOM, "consent:\n", "incentivized: true\nconsent:\n")
    assert findings(minimal, "q1-disclosure", "new-readers") == [(
        "error", f"{TOM}:13:15", "tom-testimonial: is marked incentivized but discloses nothing next to the story",
        "add `disclosure:` saying what they received, e.g. \"Bea received a free month of membership for "
        "this story.\"")]


def test_a_story_that_says_it_was_rewarded_must_be_disclosed(minimal):
    edit(minimal / TOM, "now reads <b>two books</b> a month.",
         "now reads two books a month. Tom received a free year of books for sharing this story.")
    [(severity, _, message, _)] = findings(minimal, "q1-disclosure", "new-readers")
    assert severity == "error" and message.startswith("tom-testimonial: says the customer was rewarded")


def test_disclosure_is_printed_beside_the_story_in_every_channel(minimal):
    edit(minimal / TOM, "consent:\n", "incentivized: true\ndisclosure: Tom received a free year of books for this story.\n"
         "consent:\n")
    edit(minimal / MEI, "consent:\n", "disclosure: 林梅因参与本文获得了一年的免费书籍。\nconsent:\n")
    edit(minimal / "content/audiences.yml", "channels: [email]\n  stages: [retention]", "channels: [email, sms]\n  stages: [retention]")
    edit(minimal / ISSUE, "date: 2026-10-05\n", "date: 2026-10-05\nchannels: [email, sms, web]\n")
    assert findings(minimal, "q1-disclosure") == []
    project, _ = load(minimal)
    outputs = {(o.variant.audience.id, o.variant.channel): o for o in render(project, Timer())}
    english = outputs[("new-readers", "email")].files
    assert "Disclosure: Tom received a free year of books for this story." in english["email.html"].decode()
    assert "Disclosure: Tom received a free year of books for this story." in english["email.txt"].decode()
    chinese = outputs[("book-clubs", "email")].files
    assert "利益披露: 林梅因参与本文获得了一年的免费书籍。" in chinese["email.html"].decode()
    web = b"".join(outputs[("book-clubs", "web")].files.values()).decode()
    assert "利益披露: 林梅因参与本文获得了一年的免费书籍。" in web
    assert "(利益披露: 林梅因参与本文获得了一年的免费书籍。)" in outputs[("book-clubs", "sms")].files["sms.txt"].decode()


def test_story_bodies_that_are_only_images_fail_image_only(minimal):
    path = minimal / MEI
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("---\n", 2)[0] + "---\n" + text.split("---\n", 2)[1].replace(
        "summary: 林梅用一个共享书单，把十个人的读书会变成了每月四本书的习惯。\n", "")
        + "---\n![林梅在书店里给读书会成员分发书单](images/mei.png)\n", encoding="utf-8")
    (minimal / "content/issues/2026-12.md").write_text(
        "---\ntitle: 2026年12月\nsubject: \"{{ first_name | 朋友 }}，十二月\"\n"
        "preheader: 林梅的读书会，这个月只有一张照片，但我们想让你看看大家在做什么。\ndate: 2026-12-01\n"
        "audiences: [book-clubs]\nsections:\n  - title: 读者故事\n    stories: [mei-spotlight]\n---\n"
        "{{ first_name | 朋友 }}，你好！\n", encoding="utf-8")
    found = [f for f in findings(minimal, "image-only", "book-clubs") if f[1].startswith("content/issues/2026-12.md")]
    assert [(s, m) for s, _, m, _ in found] == [("error", "only 4 words of the message's own text beside 1 image(s)")]


def test_a_pack_that_replaces_another_ends_its_window(minimal):
    (minimal / "content/welcome").mkdir()
    (minimal / "content/welcome/start.yml").write_text(PACK.replace("review: 2027-08-25\n", ""), encoding="utf-8")
    (minimal / "content/welcome/start-2027.yml").write_text(
        PACK.replace("date: 2026-10-05\nreview: 2027-08-25\n", "date: 2027-08-01\nreview: 2027-08-05\nreplaces: start\n"),
        encoding="utf-8")
    report, _ = check_project(minimal, expensive=False)
    assert [(v.issue, r.finding.message) for v in report.variants for r in v.results
            if r.check.id == "q1-consent" and not r.finding.passed] == []


def test_replacing_an_unknown_pack_is_refused(minimal):
    (minimal / "content/welcome").mkdir()
    (minimal / "content/welcome/start.yml").write_text(PACK.replace("review: 2027-08-25\n", "replaces: strat\n"),
                                                         encoding="utf-8")
    with pytest.raises(BuildError) as info:
        check_project(minimal, expensive=False)
    assert [str(d) for d in info.value.diagnostics] == [
        "content/welcome/start.yml:3:11: error: replaces: no other welcome pack 'strat' (known: start) [unknown-pack]"]
