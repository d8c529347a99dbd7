"""Tests for newsletter.checks.reuse: findings are kept only for checks that looked at their message alone."""

import shutil

from newsletter.build import Cache, build, load, render
from newsletter.cache import CACHE_DIR
from newsletter.checks.registry import REGISTRY, Finding, check
from newsletter.checks.reuse import Looks, ProjectView, SharedView
from newsletter.checks.run import run_checks
from newsletter.core.timing import Timer


def test_views_note_looks_beyond_the_message(minimal):
    project, _ = load(minimal)
    looks = Looks()
    view = ProjectView(project, looks)
    assert view.config is project.config and not looks.beyond
    assert view.audience_lines == project.audience_lines and not looks.beyond
    assert view.stories is project.stories and looks.beyond
    looks.beyond = False
    shared = SharedView({"variants": []}, looks)
    assert "variants" in shared and looks.beyond


def test_only_findings_of_message_only_checks_are_kept(minimal):
    calls = {"own": 0, "across": 0}

    @check("test-own-words", "checklist", "info", "A check of the message alone.")
    def own(ctx):
        calls["own"] += 1
        yield Finding(f"{len(ctx.html)} characters", None, severity="info")

    @check("test-across", "checklist", "info", "A check that reads the whole project.")
    def across(ctx):
        calls["across"] += 1
        yield Finding(f"{len(ctx.project.stories)} stories", None, severity="info")

    try:
        build(minimal, cache=True)
        first = dict(calls)
        build(minimal, cache=True)
        assert calls == first  # nothing changed: the whole report is kept, no check runs
        shutil.rmtree(minimal / CACHE_DIR / "reports")  # as when another message changed
        cache = Cache(minimal)
        project, _ = load(minimal, cache)
        memo = cache.messages(project)
        outputs = render(project, Timer(), memo=memo)
        report = run_checks(project, outputs, expensive=False, memo=memo)
        assert calls["own"] == first["own"]  # kept: not run again
        assert calls["across"] == 2 * first["across"]  # always run
        messages = {r.finding.message for v in report.variants for r in v.results
                    if r.check.id in ("test-own-words", "test-across")}
        assert any(m.endswith("characters") for m in messages) and any(m.endswith("stories") for m in messages)
    finally:
        REGISTRY.pop("test-own-words", None)
        REGISTRY.pop("test-across", None)


def test_story_facts_and_the_palette_do_not_count_as_looks_across_messages(minimal):
    """The text checks and the contrast check are kept per message (they read only its inputs)."""
    project, _ = load(minimal)
    cache = Cache(minimal)
    memo = cache.messages(project)
    outputs = render(project, Timer(), memo=memo)
    run_checks(project, outputs, expensive=False, memo=memo)
    kept = memo.findings(outputs[0].variant)
    for check_id in ("q2-hidden-promo", "q2-educational", "q3-language", "q1-social-proof", "color-contrast",
                     "label-language"):
        assert check_id in kept, check_id
    assert "q1-featured-recently" not in kept  # reads every issue's features
