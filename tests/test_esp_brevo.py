"""Brevo templates: contact attributes, `default`, {% if %} blocks, POST /v3/smtp/templates."""

import html
import json
import re
from pathlib import Path

import pytest

from newsletter.core import merge
from newsletter.esp import REGISTRY, discover, escape
from newsletter.esp.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"
# The Django-style lexer Brevo's language follows: variables, block tags and comments.
TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
OURS = re.compile(r"\{\{ contact\.[A-Z_]+(\|default:'[^']*')? \}\}"
                  r"|\{% (if (not )?contact\.[A-Z_]+|else|endif) %\}"
                  r"|\{\{ unsubscribe \}\}")  # Brevo's own per-recipient unsubscribe link
QUOTE = ("My first email said 'Hi *|FNAME|*' and had an *|UNSUB|* link; then {{first_name}}, "
         "{{{x}}} and {% if %} showed up too. Now it just works.")

discover()
BREVO = REGISTRY["brevo"]


def test_fields_are_contact_attributes_with_default():
    text = merge.parse("Hi {{ first_name | there }} {{ last_name }} at {{ company | your café }}")
    assert BREVO.translate(text, "subject") == (
        "Hi {{ contact.FIRSTNAME|default:'there' }} {{ contact.LASTNAME }} at "
        "{{ contact.COMPANY|default:'your café' }}")


def test_a_fallback_with_quotes_uses_an_if_block_instead():
    text = merge.parse("Hi {{ first_name | l'ami <3 }}")
    assert BREVO.translate(text, "html") == (
        "Hi {% if contact.FIRSTNAME %}{{ contact.FIRSTNAME }}{% else %}l'ami &lt;3{% endif %}")


def test_blocks():
    text = merge.parse("{% if unused_benefits %}A{% else %}B{% endif %}"
                       "{% if not onboarding_behind %}C{% endif %}")
    assert BREVO.translate(text, "text") == (
        "{% if contact.UNUSED_BENEFITS %}A{% else %}B{% endif %}"
        "{% if not contact.ONBOARDING_BEHIND %}C{% endif %}")


def test_every_opening_sequence_is_broken_in_text():
    text = BREVO.translate("{{x}} {%y%} {#z#}", "subject")
    assert not TAG.search(text)
    assert text.replace(escape.WORD_JOINER, "") == "{{x}} {%y%} {#z#}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("brevo")
    export(FIXTURE, "brevo", out, force=True)
    return out / "2026-11"


def test_bundle_is_what_the_smtp_templates_api_takes(folder):
    body = json.loads((folder / "regulars" / "template.json").read_text())
    assert body["templateName"] == "newsletter-2026-11-regulars"
    assert body["sender"] == {"name": "Marina at Example", "email": "news@example.com"}
    assert body["replyTo"] == "marina@example.com"
    assert body["subject"] == "Hi {{ contact.FIRSTNAME|default:'there' }}, meet Mira"
    assert len(body["htmlContent"]) > 10
    sample = json.loads((folder / "baristas-br" / "sample-data.json").read_text())
    assert sample["contact"]["FIRSTNAME"] == "João"


@pytest.mark.parametrize("part", ["subject", "htmlContent"])
def test_the_only_tags_are_ours(folder, part):
    body = json.loads((folder / "regulars" / "template.json").read_text())
    tags = TAG.findall(body[part])
    assert tags and [t for t in tags if not OURS.fullmatch(t)] == []


def test_text_part_tags_are_ours_and_the_quote_reads_as_written(folder):
    text = (folder / "regulars" / "text.txt").read_text()
    assert [t for t in TAG.findall(text) if not OURS.fullmatch(t)] == []
    seen = " ".join(text.replace(escape.WORD_JOINER, "").replace("\n> ", " ").split())
    assert QUOTE in seen
    body = json.loads((folder / "regulars" / "template.json").read_text())
    assert QUOTE in html.unescape(body["htmlContent"])
