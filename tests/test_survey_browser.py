"""Survey emails in a real headless Chromium: axe-core finds no WCAG 2.1 A/AA violation in the
survey block, and every answer link is a tap target of at least 24 x 24 px on a 375 px phone.

axe runs on the whole email, limited to the survey block (`.survey-block`): color contrast
and landmarks are judged in the page around it, and findings elsewhere in the email belong
to the other blocks' tests."""

from __future__ import annotations

import shutil

import pytest

from newsletter.build import build

from .conftest import FIXTURES, REPO

AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def survey_emails(tmp_path_factory):
    """Every built email with a survey story: the example project (en, pt-BR, ru and
    right-to-left ar) and the survey fixture (en, zh-CN)."""
    found = []
    example = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "newsletter.toml", example)
    shutil.copytree(REPO / "content", example / "content")
    fixture = tmp_path_factory.mktemp("fixture") / "survey"
    shutil.copytree(FIXTURES / "survey", fixture)
    for root in (example, fixture):
        result = build(root, root / "build")
        for output in result.outputs:
            if output.variant.channel == "email" and any(s.meta.kind == "survey" for s in output.variant.stories):
                found.append((output.variant.locale, result.out_dir / output.directory / "email.html"))
    return found


def _open(browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    # Remote images are not reachable here; block them so the test never waits on the network.
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:")
               else route.continue_())
    page.goto(path.as_uri())
    return page


def test_survey_block_builds_in_five_languages(survey_emails):
    assert {locale for locale, _ in survey_emails} == {"en", "pt-BR", "ru", "zh-CN", "ar"}


def test_axe_finds_no_wcag_21_aa_violation(browser, survey_emails):
    assert AXE.exists(), "axe-core is missing: run `cd tests/js && npm ci`"
    for locale, path in survey_emails:
        page = _open(browser, path, 600)
        try:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "tags => axe.run({include: [['.survey-block']]}, {runOnly: {type: 'tag', values: tags}})",
                WCAG_21_AA)
        finally:
            page.close()
        # The survey block itself was looked at, not skipped.
        checked = {rule["id"] for rule in result["passes"]}
        assert {"aria-allowed-attr", "aria-valid-attr-value", "link-name", "color-contrast"} <= checked
        problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"]]
        assert not problems, f"{path} ({locale}):\n" + "\n".join(problems)


def test_answer_links_are_a_labelled_group_of_large_tap_targets(browser, survey_emails):
    for locale, path in survey_emails:
        page = _open(browser, path, 375)
        try:
            group = page.locator('[role="group"][aria-labelledby]')
            assert group.count() == 1
            label = page.locator(f"#{group.get_attribute('aria-labelledby')}").inner_text()
            assert label.strip().endswith(("?", "？", "؟")), label  # Latin, full-width, Arabic
            links = group.locator("a")
            assert [links.nth(i).inner_text() for i in range(links.count())] == [str(n) for n in range(11)]
            for i in range(11):
                box = links.nth(i).bounding_box()
                assert box["width"] >= 24 and box["height"] >= 24, (locale, i, box)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
        finally:
            page.close()
