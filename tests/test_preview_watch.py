"""Rebuild on save: only the variants a change touches are rendered again, and the result
is the same as a full build; the watcher reports saves as project-relative paths."""

from __future__ import annotations

import json
import threading
import time

import pytest

from newsletter.build import build
from newsletter.core.diagnostics import BuildError
from newsletter.preview.watch import Rebuilder, Watcher

from .conftest import edit

EN = "2026-10/new-readers/email"
ZH = "2026-10/book-clubs/email"
TOM = "content/stories/tom-testimonial.md"
MEI = "content/stories/mei-spotlight.md"
ISSUE = "content/issues/2026-10.md"


@pytest.fixture
def rebuilder(minimal):
    rebuilder = Rebuilder(minimal)
    first = rebuilder.rebuild()
    assert sorted(first.rendered) == sorted([EN, ZH])
    return rebuilder


def same_as_full_build(rebuild, root, tmp_path) -> None:
    full = build(root, tmp_path / "full-build")
    assert rebuild.result.files == full.files
    on_disk = (root / "build" / "manifest.json").read_bytes()
    assert on_disk == full.files["manifest.json"]


def test_a_story_change_renders_only_the_variants_that_contain_it(rebuilder, minimal, tmp_path):
    edit(minimal / TOM, "Tom's first month", "Tom's first month with Lumen")
    rebuild = rebuilder.rebuild({TOM})
    assert rebuild.rendered == [EN]
    assert "first month with Lumen" in rebuild.result.files["issues/2026-10/new-readers/email.html"].decode()
    same_as_full_build(rebuild, minimal, tmp_path)


def test_an_issue_change_renders_its_variants_and_config_renders_everything(rebuilder, minimal, tmp_path):
    edit(minimal / ISSUE, "This month:", "This very month:")
    assert sorted(rebuilder.rebuild({ISSUE}).rendered) == sorted([EN, ZH])
    edit(minimal / "newsletter.toml", 'name = "Lumen Books"', 'name = "Lumen Books Ltd"')
    rebuild = rebuilder.rebuild({"newsletter.toml"})
    assert sorted(rebuild.rendered) == sorted([EN, ZH])
    same_as_full_build(rebuild, minimal, tmp_path)


def test_samples_render_nothing_and_a_new_story_renders_the_variant_it_joins(rebuilder, minimal, tmp_path):
    (minimal / "content/samples.yml").write_text("- id: mia\n  first_name: Mia\n", encoding="utf-8")
    rebuild = rebuilder.rebuild({"content/samples.yml"})
    assert rebuild.rendered == []
    assert [s.id for s in rebuild.samples] == ["mia"]
    # A newer English guide wins the issue's "newest guide" pick for new readers only.
    (minimal / "content/stories/late-guide.md").write_text(
        "---\ntitle: Read on the train\nkind: guide\ndate: 2026-10-04\naudiences: [new-readers]\n"
        "---\nTake the book, not the phone.\n", encoding="utf-8")
    rebuild = rebuilder.rebuild({"content/stories/late-guide.md"})
    assert rebuild.rendered == [EN]
    assert "late-guide" in [s.id for s in rebuild.result.outputs[0].variant.stories]
    same_as_full_build(rebuild, minimal, tmp_path)


def test_warming_up_after_the_first_build_changes_nothing_it_builds(rebuilder, minimal, tmp_path):
    files = {p: p.read_bytes() for p in sorted((minimal / "build").rglob("*")) if p.is_file()}
    rebuilder.warm()  # renders and checks a message of each channel, and throws them away
    assert {p: p.read_bytes() for p in sorted((minimal / "build").rglob("*")) if p.is_file()} == files
    edit(minimal / TOM, "Tom's first month", "Tom's first month with Lumen")
    rebuild = rebuilder.rebuild({TOM})
    assert rebuild.rendered == [EN]
    same_as_full_build(rebuild, minimal, tmp_path)


def test_a_bad_save_keeps_the_last_build_and_is_rebuilt_with_the_next_good_one(rebuilder, minimal, tmp_path):
    manifest = (minimal / "build/manifest.json").read_bytes()
    edit(minimal / MEI, "kind: spotlight", "kind: [spotlight")
    with pytest.raises(BuildError) as caught:
        rebuilder.rebuild({MEI})
    assert any(d.location and d.location.file == MEI and d.location.line for d in caught.value.diagnostics)
    assert (minimal / "build/manifest.json").read_bytes() == manifest
    assert rebuilder.last is not None and rebuilder.pending == {MEI}
    edit(minimal / MEI, "kind: [spotlight", "kind: spotlight")
    edit(minimal / MEI, "林梅的读书会每月读完四本书", "林梅的读书会")
    edit(minimal / TOM, "Tom's first month", "Tom's month")
    rebuild = rebuilder.rebuild({TOM})  # the story saved earlier is rendered again too
    assert sorted(rebuild.rendered) == sorted([EN, ZH])
    rows = json.loads(rebuild.result.files["manifest.json"])["outputs"]
    assert [r["audience"] for r in rows] == ["new-readers", "book-clubs"]
    same_as_full_build(rebuild, minimal, tmp_path)


def test_watcher_reports_saves_in_content_config_and_new_templates(minimal):
    seen: list[set[str]] = []
    arrived = threading.Event()

    def on_change(paths: set[str]) -> None:
        seen.append(paths)
        arrived.set()

    def expect(path: str) -> None:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if any(path in batch for batch in seen):
                return
            arrived.wait(0.1)
            arrived.clear()
        raise AssertionError(f"{path} not reported; saw {seen}")

    watcher = Watcher(minimal, on_change).start()
    try:
        edit(minimal / TOM, "Tom's first month", "Tom's month")
        expect(TOM)
        edit(minimal / "newsletter.toml", "Lumen Books", "Lumen")
        expect("newsletter.toml")
        (minimal / "build").mkdir(exist_ok=True)
        (minimal / "build" / "ignored.txt").write_text("not a source", encoding="utf-8")
        (minimal / "templates").mkdir()
        expect("templates")
        time.sleep(0.5)  # the recursive watch is restarted to include templates/
        (minimal / "templates" / "newsletter.mjml.j2").write_text("<mjml></mjml>", encoding="utf-8")
        expect("templates/newsletter.mjml.j2")
        assert not any(p.startswith("build") for batch in seen for p in batch)
    finally:
        watcher.stop()
