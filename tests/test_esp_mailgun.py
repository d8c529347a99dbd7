"""Mailgun templates: Handlebars, form fields with the Subject in `headers`."""

import json
from pathlib import Path

from newsletter.core import merge
from newsletter.esp import REGISTRY, discover
from newsletter.esp.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"

discover()
MAILGUN = REGISTRY["mailgun"]


def test_handlebars_syntax():
    text = merge.parse("Hi {{ first_name | there }}{% if unused_benefits %}!{% endif %}")
    assert MAILGUN.translate(text, "html") == (
        "Hi {{#if first_name}}{{first_name}}{{else}}there{{/if}}{{#if unused_benefits}}!{{/if}}")


def test_bundle_has_form_fields_and_files_for_curl(tmp_path):
    export(FIXTURE, "mailgun", tmp_path, force=True)
    folder = tmp_path / "2026-11" / "regulars"
    assert sorted(p.name for p in folder.iterdir()) == [
        "headers.json", "sample-data.json", "template.html", "template.json", "text.txt"]
    fields = json.loads((folder / "template.json").read_text())
    assert fields["name"] == "newsletter-2026-11-regulars"
    assert fields["engine"] == "handlebars"
    assert fields["template"] == (folder / "template.html").read_text()
    headers = json.loads(fields["headers"])
    assert headers == json.loads((folder / "headers.json").read_text())
    assert headers == {"Subject": "Hi {{#if first_name}}{{{first_name}}}{{else}}there{{/if}}, meet Mira"}
    assert fields["tag"].startswith("v-")
    assert "{{#if unused_benefits}}" in (folder / "text.txt").read_text()


def test_version_tag_follows_the_content(tmp_path):
    export(FIXTURE, "mailgun", tmp_path / "a", force=True)
    export(FIXTURE, "mailgun", tmp_path / "b", force=True)
    tag = lambda root, aud: json.loads(  # noqa: E731
        (root / "2026-11" / aud / "template.json").read_text())["tag"]
    assert tag(tmp_path / "a", "regulars") == tag(tmp_path / "b", "regulars")
    assert tag(tmp_path / "a", "regulars") != tag(tmp_path / "a", "baristas-br")
