"""The pre-send checklist: one deliberately broken fixture per item, asserting the finding."""

import json

import pytest
import yaml
from click.testing import CliRunner

from newsletter.checks.spamscore import available as spamassassin
from newsletter.cli import main

from .checkhelpers import findings, verdicts
from .conftest import edit

ISSUE = "content/issues/2026-10.md"


def override_template(root, name, old, new):
    """Copy a default template into the project and change it (templates override by name)."""
    from newsletter.render.templating import default_templates_dir
    target = root / "templates" / name
    text = (target if target.exists() else default_templates_dir() / name).read_text(encoding="utf-8")
    assert old in text
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new), encoding="utf-8")


def test_subject_too_long(minimal):
    edit(minimal / ISSUE, "the 20-minute habit", "the 20-minute habit that changed how four hundred readers spend their evenings")
    assert findings(minimal, "subject", "new-readers") == [(
        "warning", f"{ISSUE}:3:10", "subject is 86 columns; phones cut it around 60",
        "put the hook in the first 40 characters and shorten")]


def test_preheader_missing_and_repeating(minimal):
    edit(minimal / ISSUE, "preheader: How one book club reads four books a month, and a three-step reading habit.",
         "preheader: \"Reader, the 20-minute habit, explained for you today\"")
    assert findings(minimal, "preheader", "new-readers") == [(
        "warning", f"{ISSUE}:4:12", "the preheader repeats the subject", "use it to add what the subject leaves out")]
    edit(minimal / ISSUE, "preheader: \"Reader, the 20-minute habit, explained for you today\"", "preheader: \"\"")
    assert findings(minimal, "preheader", "new-readers")[0][2] == "no preheader: inboxes will show the first body text instead"


def test_image_alt_missing_and_meaningless(minimal):
    edit(minimal / "content/stories/mei-spotlight.md", "alt: 林梅在书店里给读书会成员分发书单", 'alt: ""')
    assert findings(minimal, "image-alt", "book-clubs") == [(
        "error", "content/stories/mei-spotlight.md:16:8", "mei-spotlight: the image has no alt text",
        "describe what the image shows, as you would on the phone")]
    edit(minimal / "content/stories/mei-spotlight.md", 'alt: ""', "alt: IMG_2041.jpg")
    assert findings(minimal, "image-alt", "book-clubs")[0][:3] == (
        "warning", "content/stories/mei-spotlight.md:16:8", "mei-spotlight: alt text 'IMG_2041.jpg' says nothing about the image")


def test_images_in_a_body_need_alt_text_whether_markdown_or_html(minimal):
    story = minimal / "content/stories/mei-spotlight.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n![](https://lumen.example/a.png)\n", encoding="utf-8")
    assert [f[2] for f in findings(minimal, "image-alt", "book-clubs")] == [
        "mei-spotlight: an image in the body has no meaningful alt text"]
    story.write_text(story.read_text(encoding="utf-8").replace("![](https://lumen.example/a.png)",
                                                               '<IMG SRC="https://lumen.example/b.png">'),
                     encoding="utf-8")
    assert [f[2] for f in findings(minimal, "image-alt", "book-clubs")] == [
        "mei-spotlight: an image in the body has no meaningful alt text"]


def test_http_and_placeholder_links(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "[planner](https://lumen.example/planner)",
         "[planner](http://lumen.example/planner) and [sign up](https://example.com/signup)")
    found = findings(minimal, "links", "new-readers")
    assert [(s, w) for s, w, _, _ in found] == [("error", "content/stories/reading-habit-guide.md:2:8")] * 2
    assert found[0][2].startswith("an insecure http:// link (clients warn, some block it): 'http://lumen.example/planner?utm_source=")
    assert found[1][2].startswith("a placeholder link to example.com: 'https://example.com/signup?utm_source=")


def test_utm_missing_when_disabled(minimal):
    (minimal / "newsletter.toml").write_text((minimal / "newsletter.toml").read_text() + "\n[utm]\nenabled = false\n")
    found = findings(minimal, "utm", "new-readers")
    assert found and all(s == "warning" and m.startswith("no UTM parameters on https://") for s, _, m, _ in found)


def test_unsubscribe_and_postal_address_missing(minimal):
    override_template(minimal, "partials/footer.mjml.j2",
                      '<p style="margin:0;">{{ mailing_list.postal_address }}</p>', "")
    override_template(minimal, "partials/footer.mjml.j2",
                      '<a href="{{ links.unsubscribe }}" style="color:{{ colors.muted }};display:inline-block;padding:6px 8px;">{{ _("Unsubscribe") }}</a> · ', "")
    assert findings(minimal, "unsubscribe", "new-readers") == [
        ("error", "templates/partials/footer.mjml.j2", "no unsubscribe link in the HTML part",
         "keep the footer partial's unsubscribe link")]
    assert findings(minimal, "postal-address", "new-readers") == [
        ("error", "templates/partials/footer.mjml.j2", "the postal address is missing from the HTML part",
         "keep the footer partial's postal address")]


def test_text_part_missing_a_link(minimal):
    override_template(minimal, "partials/footer.mjml.j2", "<p style=\"margin:0;\">{{ mailing_list.postal_address }}</p>",
                      "<p style=\"margin:0;\">{{ mailing_list.postal_address }} · <a href=\"https://lumen.example/stores\">Stores</a></p>")
    found = findings(minimal, "text-parity", "new-readers")
    assert found == [("warning", "", "link https://lumen.example/stores is in the HTML but not in the text part", "")]


def test_lang_missing(minimal):
    override_template(minimal, "newsletter.mjml.j2", '<mjml lang="{{ lang }}" dir="{{ dir }}">', "<mjml>")
    [(severity, where, message, _)] = findings(minimal, "lang", "new-readers")
    assert (severity, where, message) == ("error", "content/audiences.yml:1:7", "the <html> element has no lang")


def test_image_only_message(minimal):
    override_template(minimal, "newsletter.mjml.j2", "{% include \"partials/footer.mjml.j2\" %}", "")
    override_template(minimal, "newsletter.mjml.j2", '<mj-text css-class="t-ink intro">{{ message.intro_html }}</mj-text>',
                      '<mj-image src="https://lumen.example/poster.png" alt="October poster with the reading habit steps" />')
    for block in ("guide", "testimonial", "spotlight", "hero"):
        target = minimal / "templates/blocks" / f"{block}.mjml.j2"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("", encoding="utf-8")
    found = findings(minimal, "image-only", "new-readers")
    assert found[0][0] == "error" and found[0][2].startswith("only ") and "beside 1 image(s)" in found[0][2]


def test_css_that_clients_drop(minimal):
    override_template(minimal, "newsletter.mjml.j2", "a { color: {{ colors.primary }}; }",
                      "a { color: {{ colors.primary }}; } .badge { position: absolute; box-shadow: 0 0 4px #000; }")
    found = {m.split(" is not")[0] for s, _, m, _ in findings(minimal, "css-support", "new-readers") if s == "warning"}
    assert found == {"CSS 'position'", "CSS 'box-shadow'"}


def test_severity_can_be_changed_or_turned_off(minimal):
    edit(minimal / "content/stories/mei-spotlight.md", "alt: 林梅在书店里给读书会成员分发书单", "alt: IMG_2041.jpg")
    config = minimal / "newsletter.toml"
    config.write_text(config.read_text() + '\n[checks.severity]\nimage-alt = "error"\n')
    assert findings(minimal, "image-alt", "book-clubs")[0][0] == "error"
    config.write_text(config.read_text().replace('image-alt = "error"', 'image-alt = "off"'))
    assert findings(minimal, "image-alt", "book-clubs") == []
    assert verdicts(minimal, "book-clubs")["checklist"] == "pass"


def test_unknown_check_in_severity_config(minimal):
    config = minimal / "newsletter.toml"
    config.write_text(config.read_text() + '\n[checks.severity]\nimage-alts = "off"\n')
    result = CliRunner().invoke(main, ["check", "-p", str(minimal), "--fast"])
    assert result.exit_code == 1
    assert ("newsletter.toml:19:1: error: [checks.severity] names unknown check 'image-alts'; "
            "did you mean 'image-alt'? [unknown-check]") in result.output


def test_project_can_add_its_own_check(minimal):
    (minimal / "house_rules.py").write_text(
        "from newsletter.checks import Finding, check\n\n"
        "@check('house-no-shouting', 'checklist', 'warning', 'Subjects do not shout.')\n"
        "def no_shouting(ctx):\n"
        "    if '!' in ctx.output.subject:\n"
        "        yield Finding('the subject shouts', ctx.text_at('subject'), 'drop the exclamation mark')\n",
        encoding="utf-8")
    config = minimal / "newsletter.toml"
    config.write_text(config.read_text() + '\n[checks]\nplugins = ["house_rules"]\n')
    edit(minimal / ISSUE, "the 20-minute habit\"", "the 20-minute habit!\"")
    assert findings(minimal, "house-no-shouting", "new-readers") == [
        ("warning", f"{ISSUE}:3:10", "the subject shouts", "drop the exclamation mark")]


def test_cli_json_and_exit_codes(minimal):
    ok = CliRunner().invoke(main, ["check", "-p", str(minimal), "--fast", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["errors"] == 0 and len(data["variants"]) == 2
    assert data["variants"][0]["verdicts"] == {"1": "pass", "2": "pass", "3": "pass", "4": "pass", "checklist": "pass"}
    edit(minimal / ISSUE, "preheader: How one book club reads four books a month, and a three-step reading habit.", "preheader: Short one.")
    warned = CliRunner().invoke(main, ["check", "-p", str(minimal), "--fast"])
    assert warned.exit_code == 0 and "preheader is 10 columns (aim for 40-130)" in warned.output
    assert CliRunner().invoke(main, ["check", "-p", str(minimal), "--fast", "--strict"]).exit_code == 1
    edit(minimal / "content/stories/tom-testimonial.md", "expires: 2027-01-01", "expires: 2026-09-30")
    failed = CliRunner().invoke(main, ["check", "-p", str(minimal), "--fast"])
    assert failed.exit_code == 1
    assert "content/stories/tom-testimonial.md:15:12: tom-testimonial: Tom Baker consent expired" in failed.output
    assert "→ renew the customer's consent" in failed.output


def test_build_writes_report_and_verdicts(minimal):
    result = CliRunner().invoke(main, ["build", "-p", str(minimal), "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads((minimal / "build/report.json").read_text(encoding="utf-8"))
    assert report["skipped_checks"] == ["spam-score"]
    manifest = json.loads((minimal / "build/manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"][0]["checks"]["verdicts"]["1"] == "pass"


def test_build_exits_non_zero_on_check_errors_but_writes(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "expires: 2027-01-01", "expires: 2026-09-30")
    result = CliRunner().invoke(main, ["build", "-p", str(minimal), "-q"])
    assert result.exit_code == 1
    assert "do not send it" in result.output
    assert (minimal / "build/report.json").is_file()


@pytest.mark.skipif(not spamassassin(), reason="SpamAssassin is installed by `make test`")
def test_example_messages_score_zero_in_every_language(repo):
    """Each example .eml scored offline by SpamAssassin scores 0.0, with no rule that scores,
    in English, Portuguese, Russian and Arabic alike.

    One rule is allowed on Russian emails only: MIXED_ES (+1.0, "Too many es are not es"),
    which counts Latin "e" against Cyrillic "е" in the rendered body (subject, text part and
    HTML as text) and fires for 33 to 228 Latin e's next to 320 e-like letters. In our Russian
    emails 81-93% of the Latin e's are the text part's links (each tracked URL has 13 or more:
    `utm_source`, `utm_medium`, `utm_content`, `utm_term`, `cafezal-newsletter`, the
    audience id, `.example`); without links the text part scores 0.0, without UTM parameters
    it still fires. Dropping the links plain-text readers click is not a fix, so the rule is
    tolerated there and nowhere else (README, "Checks").
    """
    from newsletter.inspect import check_project
    locales = {a["id"]: a["locale"] for a in yaml.safe_load((repo / "content/audiences.yml").read_text("utf-8"))}
    report, _ = check_project(repo, expensive=True)
    emails = [v for v in report.variants if v.channel == "email"]
    scored = {v.key: (locales[v.audience], r.finding.message) for v in emails
              for r in v.results if r.check.id == "spam-score"}
    assert len(scored) == len(emails) >= 8
    assert {locale for locale, _ in scored.values()} == {"en", "pt-BR", "ru", "ar"}
    for key, (locale, message) in scored.items():
        score, rules = float(message.split()[2]), message.split("(rules: ", 1)[1].rstrip(")")
        if locale == "ru" and rules != "none scored":
            assert rules == "MIXED_ES +1.0" and score == 1.0, f"{key}: {message}"
        else:
            assert score == 0.0 and rules == "none scored", f"{key}: {message}"
