"""Mailchimp: *|MERGE|* tags, conditional blocks, a deterministic zip for "Import zip"."""

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from newsletter.core import merge
from newsletter.esp import REGISTRY, discover, escape
from newsletter.esp.export import export

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"
TAG = re.compile(r"\*\|(.*?)\|\*", re.S)
OURS = re.compile(r"[A-Z_]{1,10}|(IF|IFNOT):[A-Z_]{1,10}|ELSE:|END:IF")
QUOTE = ("My first email said 'Hi *|FNAME|*' and had an *|UNSUB|* link; then {{first_name}}, "
         "{{{x}}} and {% if %} showed up too. Now it just works.")

discover()
MAILCHIMP = REGISTRY["mailchimp"]


def test_merge_tags_and_fallback():
    text = merge.parse("Hi {{ first_name | there }} {{ last_name }} of {{ company }}")
    assert MAILCHIMP.translate(text, "html") == (
        "Hi *|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|* *|LNAME|* of *|COMPANY|*")


def test_conditional_blocks_use_short_tags():
    text = merge.parse("{% if unused_benefits %}A{% else %}B{% endif %}"
                       "{% if not onboarding_behind %}C{% endif %}")
    assert MAILCHIMP.translate(text, "text") == (
        "*|IF:UNUSED_BEN|*A*|ELSE:|*B*|END:IF|**|IFNOT:OB_BEHIND|*C*|END:IF|*")


def test_literal_merge_tags_are_broken():
    assert MAILCHIMP.translate("Hi *|FNAME|* and *|* x", "html") == (
        "Hi &#42;|FNAME&#124;* and &#42;&#124;* x")
    # At the very end of a piece a `*` could meet the next tag's `*|`: it is encoded too.
    assert MAILCHIMP.translate("ends with *", "html") == "ends with &#42;"
    text = MAILCHIMP.translate("Hi *|FNAME|*", "subject")
    assert not TAG.search(text) and text.replace(escape.WORD_JOINER, "") == "Hi *|FNAME|*"


def test_outlook_conditional_comments_survive():
    source = "<!--[if mso | IE]><table><tr><td><![endif]-->"
    assert MAILCHIMP.translate(source, "html") == source


def test_text_next_to_a_tag_cannot_join_it():
    text = merge.parse("x*{{ first_name }}|y")
    out = MAILCHIMP.translate(text, "text")
    assert [m.group(1) for m in TAG.finditer(out)] == ["FNAME"]


def test_sample_fields_are_text():
    assert MAILCHIMP.sample({"first_name": "Ana", "unused_benefits": True,
                             "onboarding_behind": False}) == {"FNAME": "Ana", "UNUSED_BEN": "yes"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("mailchimp")
    export(FIXTURE, "mailchimp", out, force=True)
    return out / "2026-11" / "regulars"


def test_bundle_is_a_zip_with_index_html_and_text(folder):
    assert sorted(p.name for p in folder.iterdir()) == [
        "newsletter-2026-11-regulars.zip", "sample-data.json", "subject.txt"]
    with zipfile.ZipFile(folder / "newsletter-2026-11-regulars.zip") as archive:
        assert archive.namelist() == ["index.html", "index.txt"]
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
        page = archive.read("index.html").decode()
        text = archive.read("index.txt").decode()
    assert (folder / "subject.txt").read_text() == (
        "Hi *|IF:FNAME|**|FNAME|**|ELSE:|*there*|END:IF|*, meet Mira\n")
    assert "*|IF:UNUSED_BEN|*" in page and "*|IF:UNUSED_BEN|*" in text
    for part in (page, text):
        assert [t for t in TAG.findall(part) if not OURS.fullmatch(t)] == []
    assert QUOTE in html.unescape(page)
    assert QUOTE in " ".join(text.replace(escape.WORD_JOINER, "").replace("\n> ", " ").split())
    assert json.loads((folder / "sample-data.json").read_text()) == {
        "FNAME": "Ana", "UNUSED_BEN": "yes"}


def test_zip_is_byte_identical_and_honours_source_date_epoch(tmp_path, monkeypatch):
    export(FIXTURE, "mailchimp", tmp_path / "a", force=True)
    export(FIXTURE, "mailchimp", tmp_path / "b", force=True)
    name = "2026-11/regulars/newsletter-2026-11-regulars.zip"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793664000")  # 2026-11-03 00:00 UTC
    export(FIXTURE, "mailchimp", tmp_path / "c", force=True)
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "c" / name).read_bytes()))
    assert archive.infolist()[0].date_time == (2026, 11, 3, 0, 0, 0)
