"""The house layout: the lead story as hero with the only h1, teasers that link to the web page."""

from newsletter.build import build

from .conftest import edit


def test_hero_is_the_first_story_and_the_only_h1(minimal):
    out = build(minimal, minimal / "build").out_dir
    html = (out / "issues/2026-10/new-readers/email.html").read_text(encoding="utf-8")
    text = (out / "issues/2026-10/new-readers/email.txt").read_text(encoding="utf-8")
    assert html.count("<h1") == 1
    hero = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "Tom" in hero
    # The hero leads the text part too, underlined like a headline, before the intro.
    assert text.index("Tom's first month") < text.index("Hi there,")
    assert html.count("Tom's first month") == 1  # not repeated in its section


def test_teaser_section_links_to_the_story_on_the_web_page(minimal):
    edit(minimal / "content/issues/2026-10.md", "date: 2026-10-05\n", "date: 2026-10-05\nchannels: [email, web]\nlayout: teaser\n")
    out = build(minimal, minimal / "build").out_dir
    html = (out / "issues/2026-10/new-readers/email.html").read_text(encoding="utf-8")
    text = (out / "issues/2026-10/new-readers/email.txt").read_text(encoding="utf-8")
    web = (out / "web/issues/2026-10/new-readers/index.html").read_text(encoding="utf-8")
    assert "Read the whole story" in html and "Read the whole story: [" in text
    assert "Three steps to read every day without trying harder." in html  # the summary
    assert "#reading-habit-guide" in html and "#reading-habit-guide" in text
    assert 'id="reading-habit-guide"' in web  # the anchor the teaser links to
    # The guide's steps are on the web page, not in the teaser.
    step = "Read for 20 minutes at the same time every day."
    assert step in web and step not in html and step not in text
