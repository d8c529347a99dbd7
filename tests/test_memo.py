"""cache.memo: a project read, each story read (kept through a change of settings it does not
read), a whole check report and per-message results handed back."""

from __future__ import annotations

import pytest

from newsletter.build import Cache, build, load, render
from newsletter.cache.keys import ProjectKeys
from newsletter.cache.memo import ProjectMemo
from newsletter.cache.store import Store
from newsletter.content import reader
from newsletter.content.reader import read_project
from newsletter.core.diagnostics import BuildError, Diagnostics
from newsletter.core.timing import Timer

from .conftest import edit


def read_counting(root, calls):
    def compute(found):
        calls.append(1)
        return read_project(root, found)
    return compute


def test_a_project_is_read_again_only_when_a_file_it_reads_changed(minimal):
    calls = []
    for expected in (1, 1):  # the second read comes from the store
        store = Store.for_project(minimal)
        project = ProjectMemo(store, ProjectKeys(minimal)).read(Diagnostics(), read_counting(minimal, calls))
        store.flush()
        assert len(calls) == expected
    assert set(project.stories) == set(read_project(minimal, Diagnostics()).stories)
    story = next((minimal / "content" / "stories").glob("*.md"))
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    store = Store.for_project(minimal)
    project = ProjectMemo(store, ProjectKeys(minimal)).read(Diagnostics(), read_counting(minimal, calls))
    assert len(calls) == 2
    assert "One more line." in project.stories[story.stem].body_markdown


def test_a_read_with_warnings_hands_them_back_and_one_with_errors_is_not_kept(minimal):
    edit(minimal / "newsletter.toml", "[brand]", "[brand]\nunknown_setting = 1")
    first, again = Diagnostics(), Diagnostics()
    for found in (first, again):
        store = Store.for_project(minimal)
        ProjectMemo(store, ProjectKeys(minimal)).read(found, lambda d: read_project(minimal, d))
        store.flush()
    assert [str(d) for d in first.items] == [str(d) for d in again.items] and first.warnings
    calls = []
    story = next((minimal / "content" / "stories").glob("*.md"))
    story.write_text("---\nkind: [broken\n---\n", encoding="utf-8")
    for _ in range(2):
        store = Store.for_project(minimal)
        found = Diagnostics()
        ProjectMemo(store, ProjectKeys(minimal)).read(found, read_counting(minimal, calls))
        store.flush()
        assert found.errors
    assert len(calls) == 2


def test_the_whole_report_is_kept_per_inputs_and_never_with_the_spam_score(minimal):
    build(minimal, cache=True)
    cache = Cache(minimal)
    project, _ = load(minimal, cache)
    memo = cache.messages(project)
    variants = [o.variant for o in render(project, Timer(), memo=memo)]
    key = memo.report_key(variants, False)
    assert memo.report(key) is not None
    assert memo.report_key(variants, True) != key
    assert memo.report_key(variants[:-1], False) != key


def test_a_settings_change_keeps_every_story_read_unless_it_is_a_setting_the_reader_uses(example, monkeypatch):
    build(example, cache=True)
    stories = sorted((example / "content" / "stories").glob("**/*.md"))
    parsed = []
    real = reader.front_matter
    monkeypatch.setattr(reader, "front_matter", lambda root, path, diagnostics, name=None: (
        parsed.append(path) if path in stories else None) or real(root, path, diagnostics, name))
    edit(example / "newsletter.toml", 'name = "Cafezal Roasters"', 'name = "Cafezal Coffee"')
    build(example, cache=True)
    assert parsed == []  # the brand is not read with a story: every story comes from the cache
    edit(example / "newsletter.toml", 'tiers = ["bronze", "silver", "gold", "platinum"]',
         'tiers = ["bronze", "silver", "gold", "platinum", "diamond"]')
    build(example, cache=True)
    assert sorted(parsed) == stories  # the loyalty tiers are: every story is read again
    edit(example / "newsletter.toml", '"gold", "platinum", "diamond"]', '"gold"]')
    with pytest.raises(BuildError, match="unknown loyalty tier 'platinum'"):
        build(example, cache=True)


def test_a_new_base_url_reads_again_the_stories_whose_images_it_serves(minimal):
    build(minimal, cache=True)
    edit(minimal / "newsletter.toml", 'base_url = "https://news.lumen.example"',
         'base_url = "https://letters.lumen.example"')
    rebuilt = build(minimal, cache=True)
    mei = rebuilt.project.stories["mei-spotlight"]
    assert mei.image_url == "https://letters.lumen.example/assets/images/mei.png"
    showing = [o.files["email.html"].decode() for o in rebuilt.outputs if o.variant.channel == "email"
               and "mei-spotlight" in {s.id for s in o.variant.stories}]
    assert showing and all("https://letters.lumen.example/assets/images/mei.png" in html for html in showing)
