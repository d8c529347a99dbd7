from urllib.parse import parse_qs, urlsplit

from newsletter.content.config import Utm
from newsletter.render.utm import tag_html, tag_url


def test_tags_https_links_and_keeps_existing_parameters():
    url = tag_url("https://shop.example/beans?ref=mail&utm_source=mine", Utm(), "2026-11", "story-a", "owners")
    query = parse_qs(urlsplit(url).query)
    assert query["ref"] == ["mail"]
    assert query["utm_source"] == ["mine"]  # the author's own value wins
    assert query["utm_medium"] == ["email"]
    assert query["utm_campaign"] == ["2026-11"]
    assert query["utm_content"] == ["story-a"] and query["utm_term"] == ["owners"]


def test_mailto_and_disabled_are_untouched():
    assert tag_url("mailto:a@b.example", Utm(), "c", "s", "t") == "mailto:a@b.example"
    assert tag_url("https://a.example/", Utm(enabled=False), "c", "s", "t") == "https://a.example/"


def test_bare_host_gets_a_path():
    assert tag_url("https://a.example", Utm(), "c", "s", "t").startswith("https://a.example/?utm_source=")


def test_html_hrefs_are_tagged_and_escaped():
    html = tag_html('<a href="https://a.example/x?a=1&amp;b=2">x</a>', Utm(), "c", "s", "t")
    assert html.startswith('<a href="https://a.example/x?a=1&amp;b=2&amp;utm_source=newsletter')
