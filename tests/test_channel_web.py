"""The web channel read back: pages, canonical links, the archive index and the Atom feed."""

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from newsletter.build import build

from .conftest import FIXTURES, edit

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://news.lumen.example"
AUDIENCES = ["new-readers", "book-clubs", "chitateli-ru", "leitores-br", "qurra-ar"]
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
PACK = """title: First weeks
date: 2026-10-01
audiences: [new-readers]
channels: [email, web]
steps:
  - id: hello
    day: 0
    title: Welcome
    subject: "{{ first_name | there }}, welcome"
    intro: "Hi {{ first_name | there }}, welcome to Lumen."
    sections:
      - title: Start here
        stories: [tom-testimonial, reading-habit-guide]
"""


class Links(HTMLParser):
    """Every link of a page: <a href>, <link rel=...> and the <html> attributes."""

    def __init__(self):
        super().__init__()
        self.anchors, self.rel, self.html = [], {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.anchors.append(attrs["href"])
        elif tag == "link":
            self.rel[attrs["rel"]] = attrs["href"]
        elif tag == "html":
            self.html = attrs


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("web") / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    (root / "content/welcome").mkdir()
    (root / "content/welcome/first-weeks.yml").write_text(PACK, encoding="utf-8")
    return build(root, root / "build")


def test_one_page_per_issue_and_audience_with_clean_canonical_urls(site):
    for audience in AUDIENCES:
        page = site.out_dir / "web/issues/2026-10" / audience / "index.html"
        links = parse(page)
        assert links.rel["canonical"] == f"{BASE}/web/issues/2026-10/{audience}/"
        assert links.rel["alternate"] == f"{BASE}/web/feed.xml"
    assert parse(site.out_dir / "web/issues/2026-10/qurra-ar/index.html").html == {"lang": "ar", "dir": "rtl"}
    assert parse(site.out_dir / "web/issues/2026-10/book-clubs/index.html").html == {"lang": "zh-CN", "dir": "ltr"}


def test_links_inside_the_archive_are_relative_and_resolve(site):
    page = site.out_dir / "web/issues/2026-10/book-clubs/index.html"
    internal = [href for href in parse(page).anchors if not urlsplit(href).scheme]
    assert sorted(internal) == ["../../../feed.xml", "../../../index.html"]
    for href in internal:
        assert (page.parent / href).resolve().is_file()
    outbound = [href for href in parse(page).anchors if href.startswith("https://")]
    assert outbound and all("utm_medium=web" in href for href in outbound)


def test_pages_show_fallbacks_and_nothing_personal(site):
    for audience in AUDIENCES:
        html = (site.out_dir / "web/issues/2026-10" / audience / "index.html").read_text(encoding="utf-8")
        assert not re.search("[\ue000-\ue0ff]", html), "merge tokens left in a public page"
        assert "{{" not in html.replace("{{first_name}}", "")  # the quote in Tom's story is literal
    english = (site.out_dir / "web/issues/2026-10/new-readers/index.html").read_text(encoding="utf-8")
    assert "Hi there," in english
    assert "My old newsletter tool greeted me with *|FNAME|* and {{first_name}}." in english
    assert "This is the web version of a message from Lumen Books." in english
    chinese = (site.out_dir / "web/issues/2026-10/book-clubs/index.html").read_text(encoding="utf-8")
    assert "朋友，你好！" in chinese and "这是 Lumen Books 邮件的网页版。" in chinese
    assert '<time datetime="2026-10-05">2026年10月5日</time>' in chinese


def test_email_links_view_in_browser_to_the_page(site):
    for audience, label in [("new-readers", "View in your browser"), ("book-clubs", "在浏览器中查看"),
                            ("chitateli-ru", "Открыть в браузере"), ("leitores-br", "Ver no navegador")]:
        folder = site.out_dir / "issues/2026-10" / audience
        html = (folder / "email.html").read_text(encoding="utf-8")
        page = f"{BASE}/web/issues/2026-10/{audience}/"
        match = re.search(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
        assert match.group(2) == label  # the first link of the email
        assert match.group(1).startswith(page + "?utm_source=newsletter&amp;utm_medium=email")
        text = (folder / "email.txt").read_text(encoding="utf-8")
        assert f"\n{label}: {page}?utm_source=newsletter&utm_medium=email" in text


def test_no_web_no_link_and_no_archive(tmp_path):
    root = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    edit(root / "content/issues/2026-10.md", "channels: [email, web, sms, print]", "channels: [email]")
    result = build(root)
    assert "View in your browser" not in (result.out_dir / "issues/2026-10/new-readers/email.html").read_text("utf-8")
    assert not (result.out_dir / "web").exists()


def test_atom_feed_is_valid(site):
    data = (site.out_dir / "web/feed.xml").read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    feed = ET.fromstring(data)
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "en"
    # RFC 4287 4.1.1: exactly one id, title and updated; an author (no entry has its own).
    for name in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.findtext(f"{ATOM}id") == f"{BASE}/web/"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Lumen Books"
    links = {link.get("rel"): link for link in feed.findall(f"{ATOM}link")}
    assert links["self"].get("href") == f"{BASE}/web/feed.xml"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href") == f"{BASE}/web/"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(AUDIENCES)  # the welcome step is not a past issue
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    stamps = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        for name in ("updated", "published"):
            stamp = entry.findtext(f"{ATOM}{name}")
            assert RFC3339.match(stamp), stamp
            stamps.append(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
        [alternate] = entry.findall(f"{ATOM}link[@rel='alternate']")
        url = entry.findtext(f"{ATOM}id")
        assert alternate.get("href") == url and alternate.get("hreflang") == entry.get(XML_LANG)
        # The entry's id is the page's canonical URL, and the page exists in the build.
        local = site.out_dir / urlsplit(url).path.lstrip("/") / "index.html"
        assert parse(local).rel["canonical"] == url
    assert feed.findtext(f"{ATOM}updated") == "2026-10-05T09:00:00Z"
    assert max(stamps).isoformat() == "2026-10-05T09:00:00+00:00"
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "2026年10月 · 读书会" in titles and "October 2026 · New readers" in titles


def test_archive_index_lists_every_issue_page(site):
    index = site.out_dir / "web/index.html"
    links = parse(index)
    assert links.rel["canonical"] == f"{BASE}/web/"
    pages = [href for href in links.anchors if href.startswith("issues/")]
    assert pages == [f"issues/2026-10/{a}/index.html" for a in AUDIENCES]
    for href in pages:
        assert (index.parent / href).is_file()
    html = index.read_text(encoding="utf-8")
    assert "<h1>Past issues</h1>" in html and "<p>1 issue</p>" in html
    assert 'hreflang="ar"' in html and 'dir="rtl"' in html


def test_welcome_steps_get_a_page_for_view_in_browser(site):
    page = site.out_dir / "web/welcome/first-weeks/new-readers/hello/index.html"
    assert parse(page).rel["canonical"] == f"{BASE}/web/welcome/first-weeks/new-readers/hello/"
    for href in ("../../../../index.html", "../../../../feed.xml"):
        assert href in parse(page).anchors and (page.parent / href).resolve().is_file()
    email = (site.out_dir / "welcome/first-weeks/new-readers/hello/email.html").read_text(encoding="utf-8")
    assert f'href="{BASE}/web/welcome/first-weeks/new-readers/hello/?utm_source' in email


def test_manifest_lists_web_outputs(site):
    import json

    rows = json.loads((site.out_dir / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    web = [r for r in rows if r["channel"] == "web" and r["kind"] == "issue"]
    assert [r["files"][0]["path"] for r in web] == [f"web/issues/2026-10/{a}/index.html" for a in AUDIENCES]
    assert urljoin(f"{BASE}/", web[0]["files"][0]["path"]).removesuffix("index.html") == \
        f"{BASE}/web/issues/2026-10/new-readers/"
