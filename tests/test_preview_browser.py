"""The preview end to end in a real headless Chromium: pages, toggles, samples, live reload."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from newsletter.preview import Preview

from .conftest import edit

ISSUE = "content/issues/2026-10.md"
TOM = "content/stories/tom-testimonial.md"
VOUCHER = "You still have a reading voucher to use."
NOTHING = "Nothing is waiting for you."


@pytest.fixture
def live(minimal):
    """A running preview (watching for saves) of a copy of the minimal project."""
    edit(minimal / ISSUE, "This month: Tom's",
         f"{{% if unused_benefits %}}\n{VOUCHER}\n{{% else %}}\n{NOTHING}\n{{% endif %}}\n\nThis month: Tom's")
    with Preview(minimal, port=0) as preview:
        yield preview


@pytest.fixture
def page(browser, live):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # Only the preview itself: the emails' links and remote images stay offline.
    page.route(lambda url: not url.startswith(live.url), lambda route: route.abort())
    yield page
    page.close()


def frame_width(page) -> dict:
    return page.locator("#email").evaluate(
        "e => ({box: Math.round(e.getBoundingClientRect().width), inner: e.contentWindow.innerWidth,"
        " scroll: e.contentDocument.documentElement.scrollWidth})")


def test_index_message_and_mobile_toggle(page, live):
    page.goto(live.url)
    expect(page.locator("tr.message")).to_have_count(2)
    expect(page.locator("tr.message .badge.pass")).to_have_count(10)
    expect(page.locator("tr.message").first).to_contain_text("Reader, the 20-minute habit")
    page.get_by_role("link", name="New readers").click()
    expect(page).to_have_url(re.compile(r"/message/2026-10/new-readers/email$"))
    email = page.frame_locator("#email")
    expect(email.locator("body")).to_contain_text("Tom's first month")
    assert frame_width(page)["inner"] == 800
    page.get_by_role("link", name="Mobile 375 px").click()
    expect(page).to_have_url(re.compile(r"width=mobile"))
    expect(email.locator("body")).to_contain_text("Tom's first month")
    size = frame_width(page)
    assert size["box"] == size["inner"] == 375 and size["scroll"] <= 375
    expect(page.locator("#text-part")).to_contain_text("Hi Alex,")
    expect(page.locator("#eml-headers")).to_contain_text("List-Unsubscribe:")
    page.get_by_role("link", name="Dark, forced").click()
    expect(email.locator("body")).to_contain_text("Tom's first month")
    assert "invert" in email.locator("html").evaluate("e => getComputedStyle(e).filter")
    assert frame_width(page)["inner"] == 375  # the width stays as chosen
    # A finding links to its source file and line.
    link = page.locator("#findings a.where").first
    target = link.get_attribute("href")
    assert re.fullmatch(r"/source/content/[\w/.-]+#L\d+", target)
    link.click()
    line = target.rsplit("#L", 1)[1]
    expect(page.locator(f"tr#L{line}")).to_be_visible()
    assert page.locator(f"tr#L{line}").evaluate("e => e.matches(':target')")


def test_switch_sample_recipient_and_audience_then_grid(page, live):
    page.goto(live.url + "message/2026-10/new-readers/email")
    email = page.frame_locator("#email")
    expect(email.locator("body")).to_contain_text(VOUCHER)
    expect(page.locator("#subject")).to_have_text("Alex, the 20-minute habit")
    page.select_option("#sample", "anonymous")
    expect(page).to_have_url(re.compile(r"sample=anonymous"))
    expect(email.locator("body")).to_contain_text(NOTHING)
    expect(email.locator("body")).not_to_contain_text(VOUCHER)
    expect(email.locator("body")).to_contain_text("Hi there,")
    expect(page.locator("#subject")).to_have_text("Reader, the 20-minute habit")
    page.get_by_role("link", name="读书会").click()
    expect(page).to_have_url(re.compile(r"/message/2026-10/book-clubs/email"))
    expect(email.locator("body")).to_contain_text("林梅的读书会每月读完四本书")
    expect(email.locator("html")).to_have_attribute("lang", "zh-CN")
    page.goto(live.url + "grid/2026-10")
    columns = page.locator("section.column")
    expect(columns).to_have_count(2)
    expect(columns.nth(0)).to_contain_text("New readers")
    expect(columns.nth(1)).to_contain_text("读书会")
    expect(page.frame_locator("section.column >> nth=1 >> iframe").locator("body")).to_contain_text("Alex，你好")
    widths = page.locator("section.column iframe").evaluate_all("fs => fs.map(f => f.contentWindow.innerWidth)")
    assert widths == [375, 375]


def test_saving_a_story_refreshes_the_open_page(page, live):
    page.goto(live.url + "message/2026-10/new-readers/email")
    email = page.frame_locator("#email")
    expect(email.locator("body")).to_contain_text("Tom's first month")
    page.evaluate("window.notReloadedYet = true")
    start = time.monotonic()
    edit(live.root / TOM, "title: Tom's first month", "title: Tom's first month, in his words")
    expect(email.locator("body")).to_contain_text("in his words", timeout=5000)
    elapsed = time.monotonic() - start
    assert page.evaluate("window.notReloadedYet === undefined")  # the page reloaded itself
    assert elapsed < 3, f"the page showed the edit after {elapsed:.2f}s"
    print(f"story edit visible in the page after {elapsed:.2f}s")


def test_a_front_matter_error_shows_in_the_page_with_file_and_line(page, live):
    page.goto(live.url)
    expect(page.locator("tr.message")).to_have_count(2)
    edit(live.root / TOM, "kind: testimonial", "kind: testimony")
    error = page.locator("#build-error")
    expect(error).to_contain_text(f"{TOM}:3", timeout=5000)
    expect(error).to_contain_text("showing the last good build")
    expect(error.locator("a.where")).to_have_attribute("href", re.compile(rf"^/source/{TOM}#L3$"))
    expect(page.locator("tr.message")).to_have_count(2)  # the last good build stays visible
    edit(live.root / TOM, "kind: testimony", "kind: testimonial")
    expect(error).to_have_count(0, timeout=5000)
    expect(page.locator("tr.message")).to_have_count(2)
