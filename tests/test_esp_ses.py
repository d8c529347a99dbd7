"""Amazon SES templates: TemplateName rules, the 500 KB limit, both CLI JSON shapes."""

import json
import re
import shutil
from pathlib import Path

import pytest

from newsletter.core import merge
from newsletter.core.diagnostics import BuildError
from newsletter.esp import REGISTRY, ExportError, Message, discover
from newsletter.esp.bundle import template_name
from newsletter.esp.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"

discover()
SES = REGISTRY["ses"]


def message(**changes):
    fields = dict(key="2026-11/regulars", issue="2026-11", audience="regulars", locale="en",
                  name="newsletter-2026-11-regulars", title="November", subject="Hi",
                  html="<p>Hi</p>", text="Hi", sender_name="n", sender_email="a@b.co")
    fields.update(changes)
    return Message(**fields)


def test_handlebars_syntax():
    text = merge.parse("{{ first_name | there }}{% if not company %}!{% endif %}")
    assert SES.translate(text, "subject") == (
        "{{#if first_name}}{{{first_name}}}{{else}}There{{/if}}{{#unless company}}!{{/unless}}")  # starts the subject


def test_export_has_v1_and_v2_template_json(tmp_path):
    export(FIXTURE, "ses", tmp_path, force=True)
    folder = tmp_path / "2026-11" / "regulars"
    v1 = json.loads((folder / "template.json").read_text())["Template"]
    v2 = json.loads((folder / "email-template.json").read_text())
    assert set(v1) == {"TemplateName", "SubjectPart", "HtmlPart", "TextPart"}
    assert v1["TemplateName"] == v2["TemplateName"] == "newsletter-2026-11-regulars"
    assert v2["TemplateContent"] == {"Subject": v1["SubjectPart"], "Html": v1["HtmlPart"],
                                     "Text": v1["TextPart"]}
    assert v1["SubjectPart"] == "Hi {{#if first_name}}{{{first_name}}}{{else}}there{{/if}}, meet Mira"
    assert json.loads((folder / "sample-data.json").read_text())["first_name"] == "Ana"


@pytest.mark.parametrize("issue, audience", [
    ("2026-11", "regulars"),
    ("a" * 64, "b" * 64),
    ("2026-11-special-edition-for-our-longest-standing-partners", "cafe-owners-and-managers"),
])
def test_template_names_follow_ses_rules(issue, audience):
    name = template_name(issue, audience)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name)
    assert name.startswith("newsletter-")
    SES.bundle(message(name=name))  # accepted


def test_long_names_stay_unique():
    assert template_name("a" * 64, "b" * 64) != template_name("a" * 64, "b" * 63 + "c")


def test_invalid_name_is_refused():
    with pytest.raises(ExportError, match="not a valid SES TemplateName"):
        SES.bundle(message(name="news letter!"))


def test_template_over_500_kb_is_refused():
    with pytest.raises(ExportError, match="at most 500 KB"):
        SES.bundle(message(html="<p>" + "x" * (500 * 1024) + "</p>"))
    SES.bundle(message(html="<p>" + "x" * (400 * 1024) + "</p>"))  # under the limit is fine


def test_export_of_a_huge_issue_fails_with_one_line(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    story = root / "content" / "stories" / "mira-testimonial.md"
    words = " ".join(["espresso"] * 70_000)  # ~600 KB of story text
    story.write_text(story.read_text() + "\n" + words + "\n")
    with pytest.raises(BuildError) as caught:
        export(root, "ses", tmp_path / "out", force=True)
    messages = [str(d) for d in caught.value.diagnostics]
    assert len(messages) == 2  # one per audience
    assert all("SES accepts at most 500 KB" in m and "\n" not in m for m in messages)
    assert messages[0].startswith("content/issues/2026-11.md: error: 2026-11/")
    assert not (tmp_path / "out").exists()
