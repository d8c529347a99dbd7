"""Right-to-left: the Arabic audience's email, web page and letter are mirrored.

The email and the page are measured in a real Chromium; the letter's word boxes come
from pdftotext (poppler-utils).
"""

import re
import shutil
import subprocess

import pytest

from newsletter.build import build, load
from newsletter.channels import REGISTRY
from newsletter.compose.selection import build_variants
from newsletter.core.timing import Timer
from newsletter.render.env import RenderEnv
from newsletter.render.templating import Templates
from newsletter.render.views import StyledHtml

from .conftest import FIXTURES
from .nodetools import run

ISSUE = "issues/2026-10"

# For a block, where its text sits inside it: gaps from the block's start and end edges.
MEASURE = """(selector) => {
  const element = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(element);
  const text = range.getBoundingClientRect(), box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return {left: text.left - box.left, right: box.right - text.right, align: style.textAlign,
          direction: style.direction};
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("rtl") / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    return build(root, root / "build")


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 600, "height": 900})
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    yield page
    page.close()


def _open(page, path):
    page.goto(path.as_uri())
    return page


def test_rtl_email_text_is_right_aligned(built, page):
    _open(page, built.out_dir / ISSUE / "qurra-ar/email.html")
    assert page.evaluate("[document.documentElement.dir, document.documentElement.lang]") == ["rtl", "ar"]
    # The intro's greeting, the hero's headline and a list item: each hugs the right edge.
    for selector in (".intro p", "h1", "li"):
        found = page.evaluate(MEASURE, selector)
        assert found["direction"] == "rtl", selector
        assert found["right"] < 2 and found["left"] > 40, (selector, found)
    # The list indent and the call to action sit on the right too.
    assert page.evaluate("getComputedStyle(document.querySelector('ol')).paddingRight") == "22px"
    assert page.evaluate("getComputedStyle(document.querySelector('ol')).paddingLeft") == "0px"
    button = page.evaluate("""() => {
      const a = [...document.querySelectorAll('a')].find(a => a.textContent.includes('اقرأ قصة ليلى'));
      const r = a.getBoundingClientRect();
      return {left: r.left, right: r.right, width: document.documentElement.clientWidth};
    }""")
    assert button["left"] > button["width"] / 2, button


def test_ltr_email_is_the_mirror_image(built, page):
    _open(page, built.out_dir / ISSUE / "new-readers/email.html")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    found = page.evaluate(MEASURE, ".intro p")
    assert found["left"] < 2 and found["right"] > 40, found


def test_rtl_web_page_is_mirrored(built, page):
    _open(page, built.out_dir / "web" / ISSUE / "qurra-ar/index.html")
    assert page.evaluate("[document.documentElement.dir, document.documentElement.lang]") == ["rtl", "ar"]
    found = page.evaluate(MEASURE, ".intro p")
    assert found["direction"] == "rtl" and found["right"] < 2 and found["left"] > 40, found
    quote = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('.quote'));"
                          " return [s.borderRightWidth, s.borderLeftWidth]; })()")
    assert quote == ["4px", "0px"]


def _words(pdf) -> list[tuple[float, float, str]]:
    path = shutil.which("pdftotext")
    assert path, "pdftotext is missing: install the Debian package poppler-utils (make test does)"
    xhtml = subprocess.run([path, "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    return [(float(a), float(b), word) for a, b, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', xhtml)]


@pytest.mark.parametrize("audience, side", [("qurra-ar", "right"), ("new-readers", "left")])
def test_letter_address_block_mirrors(built, audience, side):
    pdf = built.out_dir / ISSUE / audience / "print-a4.pdf"
    width = 595.276  # A4 in points
    # The recipient block ("Lumen Books customer", a fallback, in the reader's language) starts
    # where lines start: its first "Lumen" is the address's.
    x_min, x_max, _ = next(w for w in _words(pdf) if w[2] == "Lumen")
    assert (x_min > width / 2) if side == "right" else (x_max < width / 2), (x_min, x_max)


def test_letter_html_declares_rtl(built):
    letter = next(o for o in built.outputs if o.variant.key == "2026-10/qurra-ar/print")
    assert '<html lang="ar" dir="rtl">' in letter.extra["html_tokens"]
    assert "border-right: 3pt solid" in letter.extra["html_tokens"]


def test_rtl_email_mjml_is_valid(built):
    project, _ = load(built.project.root)
    env = RenderEnv(project.config, Templates(project.root), StyledHtml(project.config), Timer())
    docs = [{"name": v.key, "mjml": REGISTRY["email"].mjml(v, env)}
            for v in build_variants(project) if v.channel == "email"]
    assert any('dir="rtl"' in d["mjml"] for d in docs)
    results = run("validate-mjml.mjs", docs)
    assert {r["name"]: r["errors"] for r in results if r["errors"]} == {}
