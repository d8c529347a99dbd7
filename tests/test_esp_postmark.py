"""Postmark templates: Mustachio sections instead of if/else, `../` inside sections."""

import html
import json
import re
from pathlib import Path

import pytest

from newsletter.core import merge
from newsletter.esp import REGISTRY, discover, escape
from newsletter.esp.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"
# Mustachio's own tokenizer pattern: every match is a tag it will act on.
MUSTACHIO_TAG = re.compile(r"([{]{2}[^{}]+?[}]{2})|([{]{3}[^{}]+?[}]{3})")
NAME = r"(\.\./)?[a-z_]+"
OURS = re.compile(rf"\{{\{{[#^/]{NAME}\}}\}}|\{{\{{{NAME}\}}\}}|\{{\{{\{{{NAME}\}}\}}\}}"
                  r"|\{\{\.\}\}|\{\{\{\.\}\}\}"
                  r"|\{\{\{ pm:unsubscribe \}\}\}")  # Postmark's own per-recipient unsubscribe
QUOTE = ("My first email said 'Hi *|FNAME|*' and had an *|UNSUB|* link; then {{first_name}}, "
         "{{{x}}} and {% if %} showed up too. Now it just works.")

discover()
POSTMARK = REGISTRY["postmark"]


def test_fallback_uses_a_section_and_an_inverted_section():
    text = merge.parse("Hi {{ first_name | there }}")
    assert POSTMARK.translate(text, "html") == (
        "Hi {{#first_name}}{{.}}{{/first_name}}{{^first_name}}there{{/first_name}}")
    assert POSTMARK.translate(text, "text") == (
        "Hi {{#first_name}}{{{.}}}{{/first_name}}{{^first_name}}there{{/first_name}}")


def test_else_closes_and_inverts_and_names_reach_up_inside_sections():
    text = merge.parse("{% if unused_benefits %}Hi {{ first_name }}{% if company %}{{ company }}"
                       "{% endif %}{% else %}Bye{% endif %}{% if not onboarding_behind %}."
                       "{% else %}!{% endif %}")
    assert POSTMARK.translate(text, "html") == (
        "{{#unused_benefits}}Hi {{../first_name}}{{#../company}}{{../company}}{{/../company}}"
        "{{/unused_benefits}}{{^unused_benefits}}Bye{{/unused_benefits}}"
        "{{^onboarding_behind}}.{{/onboarding_behind}}{{#onboarding_behind}}!{{/onboarding_behind}}")


def test_literal_braces_are_broken_for_mustachio():
    assert POSTMARK.translate("{{first_name}} {{{x}}}", "html") == (
        "&#123;&#123;first_name&#125;&#125; &#123;&#123;&#123;x&#125;&#125;&#125;")
    text = POSTMARK.translate("{{first_name}} {{{x}}}", "text")
    assert not MUSTACHIO_TAG.search(text)
    assert text.replace(escape.WORD_JOINER, "") == "{{first_name}} {{{x}}}"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("postmark")
    export(FIXTURE, "postmark", out, force=True)
    folder = out / "2026-11" / "regulars"
    return json.loads((folder / "template.json").read_text()), folder


def test_bundle_is_what_post_templates_takes(template):
    body, folder = template
    assert set(body) == {"Name", "Alias", "TemplateType", "Subject", "HtmlBody", "TextBody"}
    assert body["Alias"] == "newsletter-2026-11-regulars"
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]*", body["Alias"])
    assert body["TemplateType"] == "Standard"
    assert json.loads((folder / "sample-data.json").read_text())["first_name"] == "Ana"


@pytest.mark.parametrize("part", ["Subject", "HtmlBody", "TextBody"])
def test_the_only_mustachio_tags_are_ours(template, part):
    body, _ = template
    tags = [m.group(0) for m in MUSTACHIO_TAG.finditer(body[part])]
    assert tags, "the personalisation is there"
    assert [t for t in tags if not OURS.fullmatch(t)] == []


def test_customer_quote_reads_as_written(template):
    body, _ = template
    seen = html.unescape(body["HtmlBody"])
    assert QUOTE in seen
    text = " ".join(body["TextBody"].replace(escape.WORD_JOINER, "").replace("\n> ", " ").split())
    assert QUOTE in text
