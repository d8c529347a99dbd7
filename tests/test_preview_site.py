"""The preview's pages, rendered from a real build of the minimal fixture (no server)."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from newsletter.build import build
from newsletter.core.diagnostics import Diagnostic, Location, Severity
from newsletter.preview import site
from newsletter.preview.catalog import Catalog, framed
from newsletter.preview.state import View
from newsletter.content.samples import DEFAULT_SAMPLES

from .conftest import edit

ISSUE = "content/issues/2026-10.md"
VOUCHER = "You still have a reading voucher to use."
NOTHING = "Nothing is waiting for you."


@pytest.fixture
def project(minimal):
    # A conditional block in the English intro, and a long subject so one check warns.
    edit(minimal / ISSUE, "This month: Tom's",
         f"{{% if unused_benefits %}}\n{VOUCHER}\n{{% else %}}\n{NOTHING}\n{{% endif %}}\n\nThis month: Tom's")
    edit(minimal / ISSUE, 'subject: "{{ first_name | Reader }}, the 20-minute habit"',
         'subject: "{{ first_name | Reader }}, the 20-minute habit & <more> that a phone cuts off long before the end"')
    return minimal


@pytest.fixture
def view(project):
    result = build(project)
    return View(project, Catalog(result, list(DEFAULT_SAMPLES)), (), 1, False, "built")


def test_index_has_every_output_with_badges_subject_and_size(view):
    page = site.index_page(view)
    catalog = view.catalog
    assert len(catalog.entries) == 2
    for entry in catalog.entries:
        row = re.search(rf'<tr class="message" data-key="{re.escape(entry.key)}">(.*?)</tr>', page, re.S)
        assert row, entry.key
        cells = row.group(1)
        assert escape(entry.output.subject) in cells
        assert escape(entry.output.preheader) in cells
        for question, verdict in entry.verdicts.items():
            assert f'class="badge {verdict}"' in cells
            assert f"{site.badge_label(question)} {verdict}" in cells
        assert f"{entry.size / 1024:.1f} KB" in cells
        assert f'href="/message/{entry.key}"' in cells
    assert 'href="/grid/2026-10"' in page
    # The long subject warns on the checklist, and its markup is escaped, never live.
    assert 'class="badge warn"' in page
    assert "&amp; &lt;more&gt;" in page and "<more>" not in page


def test_message_page_shows_findings_with_source_links(view):
    entry = view.catalog.by_key["2026-10/new-readers/email"]
    page = site.message_page(view, entry, None, "mobile", "dark")
    located = [r for r in entry.report.results if r.finding.location and r.finding.location.line]
    assert located
    for result in located:
        loc = result.finding.location
        where = f"{loc.file}:{loc.line}" + (f":{loc.column}" if loc.column else "")
        assert f'<a class="where" href="/source/{loc.file}#L{loc.line}">{where}</a>' in page
    assert "subject is" in page and "phones cut it" in page
    assert 'style="width: 375px"' in page
    assert 'src="/render/2026-10/new-readers/email?sample=known&amp;scheme=dark"' in page
    assert "From: Lumen Books &lt;news@lumen.example&gt;" in page  # the .eml headers
    assert "Hi Alex," in page  # the plain-text part, personalised


def test_samples_change_subject_text_and_conditional_blocks(view):
    catalog = view.catalog
    entry = catalog.by_key["2026-10/new-readers/email"]
    assert [s.id for s in catalog.samples_for(entry)] == ["known", "anonymous"]
    known = catalog.personalise(entry, catalog.sample(entry, "known"))
    anonymous = catalog.personalise(entry, catalog.sample(entry, "anonymous"))
    nobody = catalog.personalise(entry, catalog.sample(entry, "none"))
    assert known.subject.startswith("Alex, the 20-minute habit")
    assert anonymous.subject.startswith("Reader, the 20-minute habit")
    assert VOUCHER in known.html and NOTHING not in known.html
    assert NOTHING in anonymous.html and VOUCHER not in anonymous.html
    # The text part wraps lines: compare with single spaces.
    assert VOUCHER in " ".join(known.text.split()) and NOTHING in " ".join(nobody.text.split())
    # An unknown sample id falls back to the audience's default one.
    assert catalog.sample(entry, "no-such-sample").id == "known"
    page = site.message_page(view, entry, "anonymous", "desktop", "light")
    assert '<option value="anonymous" selected>' in page
    assert "Reader, the 20-minute habit" in page


def test_grid_shows_every_audience_and_who_gets_which_story(view):
    group = view.catalog.groups["2026-10"]
    page = site.grid_page(view, group, "mobile", "default")
    assert page.count('<section class="column"') == 2
    assert 'data-audience="new-readers"' in page and 'data-audience="book-clubs"' in page
    assert "Alex，读书会的秘密" in page  # the Chinese subject, personalised
    for entry in group.entries:
        for story in entry.output.variant.stories:
            assert escape(story.meta.title) in page
    none = site.grid_page(view, group, "desktop", "none")
    assert "朋友，读书会的秘密" in none and 'style="width: 600px"' in none


def test_build_errors_show_with_links_above_the_last_good_build(view):
    error = Diagnostic(Severity.ERROR, "mapping values are not allowed here",
                       Location("content/stories/mei-spotlight.md", 3, 7), "syntax")
    broken = View(view.root, view.catalog, (error,), 2, False)
    page = site.index_page(broken)
    assert 'id="build-error"' in page
    assert ('<a href="/source/content/stories/mei-spotlight.md#L3" class="where">'
            'content/stories/mei-spotlight.md:3:7</a>') in page
    assert "showing the last good build" in page
    assert 'data-key="2026-10/new-readers/email"' in page
    nothing = site.index_page(View(view.root, None, (error,), 1, False))
    assert "Nothing is built yet" in nothing


def test_source_page_numbers_lines_and_only_project_sources_are_linked(view):
    text = (view.root / ISSUE).read_text(encoding="utf-8")
    page = site.source_page(view, ISSUE, text)
    assert page.count('<tr id="L') == len(text.splitlines())
    assert site.source_href(view.root, ISSUE, 4) == f"/source/{ISSUE}#L4"
    assert site.source_href(view.root, "newsletter.toml") == "/source/newsletter.toml"
    for name in ("../newsletter.toml", "/etc/passwd", "build/manifest.json", "content/../x.md",
                 "<default templates>/newsletter.mjml.j2", "content\\x.md", "content/missing.md"):
        assert site.source_href(view.root, name, 1) is None, name


def test_framed_html_for_colour_schemes_and_local_images():
    email = ('<html><head><style>@media (prefers-color-scheme: dark) { body { color: #fff } }'
             '@media (prefers-color-scheme:light){ p { color: #000 } }</style></head>'
             '<body><img src="https://news.example/assets/images/a.png"></body></html>')
    dark = framed(email, "dark", "https://news.example")
    assert "prefers-color-scheme" not in dark
    assert "(min-width: 0px)" in dark and "(min-width: 99999px)" in dark
    assert 'src="/build/assets/images/a.png"' in dark
    assert '<base target="_blank">' in dark
    assert "invert(1)" in framed(email, "forced")
    assert framed(email, "light").count("prefers-color-scheme") == 2
