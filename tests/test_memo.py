"""cache.memo: a project read, a whole check report and per-message results handed back."""

from __future__ import annotations

from newsletter.build import Cache, build, load, render
from newsletter.cache.keys import ProjectKeys
from newsletter.cache.memo import ProjectMemo
from newsletter.cache.store import Store
from newsletter.content.reader import read_project
from newsletter.core.diagnostics import Diagnostics
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
