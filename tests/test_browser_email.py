"""The built emails as a person sees them, in a real headless Chromium."""

import pytest

from newsletter.build import build


@pytest.fixture(scope="module")
def example_build(tmp_path_factory, repo):
    import shutil
    root = tmp_path_factory.mktemp("ex")
    shutil.copy(repo / "newsletter.toml", root)
    shutil.copytree(repo / "content", root / "content")
    return build(root, root / "build")


@pytest.mark.parametrize("width", [375, 600])
def test_no_horizontal_scroll_and_content_visible(browser, example_build, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    # Remote images are not reachable here; block them so the test never waits on the network.
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    try:
        for output in (o for o in example_build.outputs if o.variant.channel == "email"):
            path = example_build.out_dir / output.directory / "email.html"
            page.goto(path.as_uri())
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{output.variant.key} scrolls sideways by {overflow}px at {width}px"
            body_text = page.inner_text("body")
            # Conditional sections are hidden for a recipient we know nothing about.
            for section in output.variant.sections:
                for story in section.stories:
                    assert (story.meta.title in body_text) == (section.when is None or section.when.startswith("not ")), story.id
            # The preheader is present but hidden.
            hidden = page.evaluate("getComputedStyle(document.querySelector('body > div')).display")
            assert hidden == "none"
            assert page.evaluate("document.documentElement.lang") == output.variant.locale
    finally:
        page.close()


def test_mobile_layout_stacks_metrics(browser, example_build):
    """At 375 px the metric columns stack; at 600 px they sit side by side."""
    output = next(o for o in example_build.outputs
                  if o.variant.channel == "email" and any(s.meta.metrics for s in o.variant.stories))
    path = (example_build.out_dir / output.directory / "email.html").as_uri()
    tops = {}
    for width in (375, 600):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
        page.goto(path)
        tops[width] = page.evaluate(
            "[...document.querySelectorAll('.metric-value')].slice(0, 2).map(e => Math.round(e.getBoundingClientRect().top))")
        page.close()
    assert tops[600][0] == tops[600][1]
    assert tops[375][0] < tops[375][1]
