"""Every email, web page and preview page, judged by axe-core in a real Chromium (WCAG 2.1 A/AA).

One browser, one page per colour scheme, many documents: axe-core (npm, tests/js) is injected
into each and must find no violation. Beside axe: tap targets of at least 24 px at 375 px
(WCAG 2.2's target size, the "Unsubscribe" link included), an h1 on every web page, and the
logo's alt text readable when images are off.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from newsletter.build import build
from newsletter.core.contrast import ratio
from newsletter.preview import Preview

from .conftest import FIXTURES, REPO

AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PROJECTS = ("minimal", "multichannel", "esp-project")

# Links and buttons that are not inside running text; each must be 24 px each way. An image
# link is measured by its image, which never loads here (remote), so it is left out.
TARGETS = """() => [...document.querySelectorAll('a[href], button, select, summary')].filter(e => {
  const box = e.getBoundingClientRect();
  if (!box.width || getComputedStyle(e).visibility === 'hidden') return false;
  if (e.querySelector('img')) return false;  // as large as its image, which is off here
  const block = e.closest('p, li, td, div, dd');
  const around = block ? block.textContent.replace(/\\s+/g, ' ').trim().length : 0;
  return around <= e.textContent.trim().length + 40;  // a link in a sentence is exempt
}).map(e => {
  const box = e.getBoundingClientRect();
  return {text: e.textContent.trim().slice(0, 40), width: box.width, height: box.height};
}).filter(t => t.width < 24 || t.height < 24)"""


def _rgb(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example and the fixture projects, built once: name -> (root, build folder)."""
    roots = {}
    example = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "newsletter.toml", example)
    shutil.copytree(REPO / "content", example / "content")
    roots["example"] = example
    for name in PROJECTS:
        roots[name] = tmp_path_factory.mktemp(name) / name
        shutil.copytree(FIXTURES / name, roots[name])
    return {name: (root, build(root, root / "build").out_dir) for name, root in roots.items()}


def documents(out: Path) -> list[Path]:
    return sorted(out.rglob("email.html")) + sorted((out / "web").rglob("index.html"))


@pytest.fixture(scope="module")
def page(browser):
    """One page at 375 px for every document; only local files and the preview load (no network)."""
    assert AXE.is_file(), "axe-core is missing: cd tests/js && npm ci"
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.route(lambda url: not url.startswith(("file:", "http://127.0.0.1")), lambda route: route.abort())
    yield page
    context.close()


def axe(page, url: str | None, rules: list[str] | None = None) -> list[str]:
    """axe-core's violations of one document (WCAG 2.1 A/AA, or the given rules) as 'rule: target'.

    `url` None runs on the document already open (after a colour scheme change, say)."""
    if url is not None:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG}
    return page.evaluate("async only => (await axe.run(document, {runOnly: only})).violations"
                         ".flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ')))", only)


def test_every_email_and_web_page_passes_axe_light_and_dark(built, page):
    count = 0
    problems = []
    for name, (_, out) in built.items():
        for path in documents(out):
            count += 1
            where = f"{name}/{path.relative_to(out)}"
            page.emulate_media(color_scheme="light")
            problems += [f"{where}: {v}" for v in axe(page, path.as_uri())]
            small = page.evaluate(TARGETS)
            problems += [f"{where}: tap target {t['text']!r} is {t['width']:.0f}x{t['height']:.0f}px" for t in small]
            # Dark mode changes colours only: contrast is what can break there.
            page.emulate_media(color_scheme="dark")
            problems += [f"{where} (dark): {v}" for v in axe(page, None, ["color-contrast"])]
    page.emulate_media(color_scheme="light")
    assert count > 80
    assert problems == []


def test_every_web_page_has_one_h1(built, page):
    for name, (_, out) in built.items():
        for path in sorted((out / "web").rglob("index.html")):
            page.goto(path.as_uri())
            assert page.locator("h1").count() == 1, f"{name}/{path.relative_to(out)}"


def test_logo_alt_text_is_readable_with_images_off(built, page):
    """Remote images never load here, as in a client with images off: the alt text must read."""
    path = next(documents(built["example"][1]).__iter__())
    page.goto(path.as_uri())
    logo = page.locator(".logo img.logo-light")
    assert logo.evaluate("img => img.complete && img.naturalWidth === 0")  # not loaded
    style = logo.evaluate("img => { const s = getComputedStyle(img); return {color: s.color, size: s.fontSize}; }")
    surface = _rgb(page.locator(".logo").evaluate(
        "e => { while (e && getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)') e = e.parentElement;"
        " return getComputedStyle(e).backgroundColor; }"))
    assert ratio(_rgb(style["color"]), surface) >= 4.5
    assert float(style["size"].removesuffix("px")) >= 18
    assert logo.get_attribute("alt") == "Cafezal Roasters"


def test_every_preview_page_passes_axe(built, page):
    root, _ = built["minimal"]
    problems = []
    with Preview(root, port=0) as preview:
        page.goto(preview.url)
        links = page.evaluate("[...document.querySelectorAll('a[href^=\"/\"]')].map(a => a.getAttribute('href'))")
        urls = sorted({preview.url.rstrip("/") + href for href in links if not href.startswith(("/build/", "/static/"))})
        message = next(u for u in urls if "/message/" in u)
        urls += [message + "?scheme=dark", message + "?width=mobile", preview.url.rstrip("/") + "/source/newsletter.toml"]
        assert len(urls) > 5
        for url in [preview.url] + urls:
            problems += [f"{url}: {v}" for v in axe(page, url)]
            problems += [f"{url}: {v}" for v in axe(page, url, ["target-size"])]
    assert problems == []
