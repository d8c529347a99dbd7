"""SendGrid dynamic templates: Handlebars syntax and the template + version bundle."""

import json
from pathlib import Path

import pytest

from newsletter.core import merge
from newsletter.esp import REGISTRY, ExportError, Message, discover
from newsletter.esp.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"

discover()
SENDGRID = REGISTRY["sendgrid"]


def tokens(text):
    return merge.parse(text)


def test_variables_with_and_without_fallback():
    text = tokens("Hi {{ first_name | there }} from {{ company }}")
    assert SENDGRID.translate(text, "html") == (
        "Hi {{#if first_name}}{{first_name}}{{else}}there{{/if}} from {{company}}")
    assert SENDGRID.translate(text, "subject") == (
        "Hi {{#if first_name}}{{{first_name}}}{{else}}there{{/if}} from {{{company}}}")


def test_blocks_close_with_the_right_helper():
    text = tokens("{% if unused_benefits %}A{% if not onboarding_behind %}B{% endif %}"
                  "{% else %}C{% endif %}")
    assert SENDGRID.translate(text, "text") == (
        "{{#if unused_benefits}}A{{#unless onboarding_behind}}B{{/unless}}{{else}}C{{/if}}")


def test_fallback_is_escaped_like_any_literal_text():
    text = tokens("Hi {{ first_name | <friend> & co }}")
    assert SENDGRID.translate(text, "html") == (
        "Hi {{#if first_name}}{{first_name}}{{else}}&lt;friend&gt; &amp; co{{/if}}")


def test_literal_template_code_is_escaped():
    quote = "then {{first_name}}, {{{x}}} and {% if %} and *|UNSUB|*"
    assert SENDGRID.translate(quote, "html") == (
        "then &#123;&#123;first_name&#125;&#125;, &#123;&#123;&#123;x&#125;&#125;&#125; and "
        "&#123;% if %&#125; and *|UNSUB|*")
    assert SENDGRID.translate(quote, "text") == (
        "then \\{{first_name}}, \\{{{x}}} and {% if %} and *|UNSUB|*")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("sendgrid")
    export(FIXTURE, "sendgrid", out, force=True)
    return out / "2026-11" / "regulars"


def test_bundle_is_what_the_templates_api_takes(bundle):
    assert sorted(p.name for p in bundle.iterdir()) == [
        "sample-data.json", "template.json", "version.json"]
    assert json.loads((bundle / "template.json").read_text()) == {
        "generation": "dynamic", "name": "newsletter-2026-11-regulars"}
    version = json.loads((bundle / "version.json").read_text())
    assert set(version) == {"name", "subject", "html_content", "plain_content",
                            "generate_plain_content", "editor", "active", "test_data"}
    assert version["generate_plain_content"] is False
    assert version["subject"] == "Hi {{#if first_name}}{{{first_name}}}{{else}}there{{/if}}, meet Mira"
    assert version["html_content"].startswith("<!doctype html>")
    assert "{{#if unused_benefits}}" in version["plain_content"]
    sample = json.loads((bundle / "sample-data.json").read_text())
    assert sample["first_name"] == "Ana" and sample["unused_benefits"] is True
    assert json.loads(version["test_data"]) == sample


def test_subject_over_sendgrid_limit_is_refused():
    message = Message(key="2026-11/x", issue="2026-11", audience="x", locale="en",
                      name="newsletter-2026-11-x", title="t", subject="s" * 300,
                      html="<p>hi</p>", text="hi", sender_name="n", sender_email="a@b.co")
    with pytest.raises(ExportError, match="at most 255"):
        SENDGRID.bundle(message)


def test_unbalanced_blocks_are_an_export_error_not_a_crash():
    with pytest.raises(ExportError, match="without an open"):
        SENDGRID.translate(merge.block_token("end"), "text")
    with pytest.raises(ExportError, match="without {% endif %}"):
        SENDGRID.translate(merge.block_token("if", "company"), "text")
