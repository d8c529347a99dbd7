"""Survey stories rendered: answer links in HTML and text, per provider, on the web, SMS, print."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from newsletter.build import build
from newsletter.cli import main
from newsletter.content.config import Utm
from newsletter.core import merge
from newsletter.render.survey import PREVIEW_RECIPIENT, answer_urls, page_url
from newsletter.results.survey import answer_pattern

from .conftest import FIXTURES

TEMPLATE = "https://lumen.example/nps?score={score}&r={recipient}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("survey") / "survey"
    shutil.copytree(FIXTURES / "survey", root)
    return build(root, root / "build")


class _Links(HTMLParser):
    """The answer links inside the labelled group, read with a real HTML parser."""

    def __init__(self):
        super().__init__()
        self.depth, self.group, self.links, self.labelled_by = 0, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.group:
            self.depth += tag != "br"
        if attrs.get("role") == "group":
            self.group, self.depth, self.labelled_by = True, 1, attrs.get("aria-labelledby")
        elif self.group and tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.group:
            self.depth -= 1
            self.group = self.depth > 0


def links_in(html: str) -> tuple[list[str], str | None]:
    parser = _Links()
    parser.feed(html)
    return parser.links, parser.labelled_by


def test_answer_urls_are_read_back_by_results_with_their_score():
    urls = [merge.resolve(u, {merge.RECIPIENT_ID: "abc123"}) for u in
            answer_urls(TEMPLATE, Utm(), "2026-10", "one-question", "new-readers", personal=True)]
    pattern = answer_pattern(TEMPLATE)
    assert [int(pattern.match(u).group("score")) for u in urls] == list(range(11))
    assert {pattern.match(u).group("recipient") for u in urls} == {"abc123"}
    assert all("utm_content=one-question" in u for u in urls)


def test_public_answer_urls_carry_no_recipient():
    urls = answer_urls(TEMPLATE, Utm(), "2026-10", "one-question", "new-readers", personal=False)
    assert [re.search(r"score=(\d+)", u).group(1) for u in urls] == [str(n) for n in range(11)]
    assert all("r=" not in u and "recipient" not in u and "\ue000" not in u for u in urls)


def test_page_url_drops_score_and_recipient_wherever_they_are():
    assert page_url(TEMPLATE) == "https://lumen.example/nps"
    assert page_url("https://x.example/s/{recipient}/{score}?lang=pt") == "https://x.example/s?lang=pt"


def test_email_html_has_eleven_links_with_the_preview_recipient(built):
    html = (built.out_dir / "issues/2026-10/new-readers/email.html").read_text(encoding="utf-8")
    links, labelled_by = links_in(html)
    assert len(links) == 11 and labelled_by == "survey-one-question-question"
    assert f'id="{labelled_by}"' in html
    pattern = answer_pattern(TEMPLATE)
    assert [int(pattern.match(u).group("score")) for u in links] == list(range(11))
    assert {pattern.match(u).group("recipient") for u in links} == {PREVIEW_RECIPIENT}


def test_text_part_has_one_line_per_score_and_the_intent(built):
    eml = (built.out_dir / "issues/2026-10/book-clubs/email.eml").read_bytes()
    text = BytesParser(policy=policy.default).parsebytes(eml).get_body(("plain",)).get_content()
    lines = [line for line in text.splitlines() if re.match(r"^ ?\d{1,2}: https://lumen\.example/nps\?", line)]
    assert [int(line.split(":")[0]) for line in lines] == list(range(11))
    assert "您有多大可能向朋友推荐 Lumen Books？" in text
    assert "您给出这个分数的主要原因是什么？" in text  # the follow-up asked on the page
    assert "我们为什么问" in text


def test_web_page_links_carry_no_recipient(built):
    page = (built.out_dir / "web/issues/2026-10/new-readers/index.html").read_text(encoding="utf-8")
    links, labelled_by = links_in(page)
    assert len(links) == 11 and labelled_by
    assert not any("r=" in link or PREVIEW_RECIPIENT in link for link in links)
    assert PREVIEW_RECIPIENT not in page


def test_sms_asks_the_question_with_one_link_to_the_survey_page(built):
    sms = (built.out_dir / "issues/2026-10/new-readers/sms.txt").read_text(encoding="utf-8")
    assert "How likely are you to recommend Lumen Books to a friend or colleague?" in sms
    assert re.findall(r"https://\S+", sms) == [
        "https://lumen.example/nps?utm_source=newsletter&utm_medium=sms&utm_campaign=2026-10"]


def test_print_letter_has_the_question_and_the_page(built):
    output = next(o for o in built.outputs if o.variant.channel == "print" and o.variant.audience.id == "new-readers")
    html = output.extra["html_tokens"]
    assert "How likely are you to recommend Lumen Books" in html
    assert ">https://lumen.example/nps</a>" in html
    assert "score=" not in html


@pytest.mark.parametrize("esp, tag", [
    ("mailchimp", "*|UNIQID|*"), ("sendgrid", "{{recipient_id}}"), ("ses", "{{recipient_id}}"),
    ("postmark", "{{recipient_id}}"), ("mailgun", "%recipient.id%"), ("brevo", "{{ contact.RECIPIENT_ID }}"),
])
def test_each_provider_writes_its_own_recipient_id(tmp_path, esp, tag):
    root = tmp_path / "survey"
    shutil.copytree(FIXTURES / "survey", root)
    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", "--project", str(root), "--esp", esp, "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "2026-10/new-readers"
    if esp == "mailchimp":
        with zipfile.ZipFile(next(folder.glob("*.zip"))) as archive:
            html = archive.read("index.html").decode("utf-8")
    else:
        data = json.loads((folder / ("version.json" if esp == "sendgrid" else "template.json")).read_text())
        html = data.get("html_content") or data.get("HtmlBody") or data.get("htmlContent") or \
            data.get("template") or data["Template"]["HtmlPart"]
    links, _ = links_in(html)
    assert len(links) == 11
    assert {re.search(r"[?&]r=([^&]*)", link).group(1) for link in links} == {tag}
    assert PREVIEW_RECIPIENT not in html
