"""The build cache: a cached build writes exactly what a clean one does, after any edit, and
redoes only what an edit touches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from contextlib import chdir
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from newsletter.build import build
from newsletter.cache import CACHE_DIR, ProjectKeys, Store
from newsletter.cli import main
from newsletter.output.outdir import MARKER
from newsletter.core.diagnostics import BuildError

from .conftest import edit


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def same_as_clean(project: Path, tmp_path: Path, name: str):
    """Build with the cache into build/ and from scratch elsewhere; every file must be equal."""
    cached = build(project, cache=True)
    clean = build(project, tmp_path / f"clean-{name}", cache=False)
    assert tree(project / "build") == tree(clean.out_dir), f"after {name}"
    return cached


def story_in_a_message(project: Path) -> tuple[str, Path]:
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    story = sorted({s for row in manifest["outputs"] for s in row["stories"]})[0]
    return story, project / "content" / "stories" / f"{story}.md"


def test_cached_builds_equal_clean_builds_after_every_kind_of_edit(example, tmp_path):
    first = same_as_clean(example, tmp_path, "first build")
    assert (example / CACHE_DIR).is_dir()
    assert sorted(first.rendered) == sorted(o.variant.key for o in first.outputs)

    again = same_as_clean(example, tmp_path, "no change")
    assert again.rendered == []

    story, path = story_in_a_message(example)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by the test.\n")
    edited = same_as_clean(example, tmp_path, "story edit")
    showing = {o.variant.key for o in edited.outputs if story in {s.id for s in o.variant.stories}}
    assert showing and set(edited.rendered) == showing

    # A story file no message shows yet: checks across messages see every story, so the
    # kept report must not be handed back.
    shutil.copy(path, path.with_name("zz-copy-of-a-story.md"))
    same_as_clean(example, tmp_path, "new story file")

    edit(example / "templates" / "newsletter.mjml.j2", "</mj-body>",
         "<mj-section><mj-column><mj-text>Added by the test</mj-text></mj-column></mj-section></mj-body>")
    templated = same_as_clean(example, tmp_path, "template edit")
    emails = {o.variant.key for o in templated.outputs if o.variant.channel == "email"}
    assert emails <= set(templated.rendered)

    edit(example / "newsletter.toml", 'name = "Cafezal Roasters"', 'name = "Cafezal Coffee"')
    configured = same_as_clean(example, tmp_path, "newsletter.toml edit")
    assert sorted(configured.rendered) == sorted(o.variant.key for o in configured.outputs)

    shutil.rmtree(example / CACHE_DIR)
    same_as_clean(example, tmp_path, "cache deleted")


def test_a_change_to_the_checks_or_sending_settings_runs_the_checks_again_and_renders_nothing(example, tmp_path):
    first = same_as_clean(example, tmp_path, "first build")
    verdicts = json.loads((example / "build" / "report.json").read_text(encoding="utf-8"))
    too_long = sum(1 for v in verdicts["variants"] for f in v["findings"]
                   if f["check"] == "subject" and not f["passed"])
    assert first.rendered

    # Every subject of the example is longer than ten characters: the subject check now finds
    # each of them, from messages taken whole from the cache.
    with (example / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[checks]\nsubject_max_length = 10\n")
    tuned = same_as_clean(example, tmp_path, "checks setting")
    assert tuned.rendered == []
    report = json.loads((example / "build" / "report.json").read_text(encoding="utf-8"))
    emails = [v for v in report["variants"] if v["channel"] == "email"]
    flagged = [v for v in emails if any(f["check"] == "subject" and not f["passed"] for f in v["findings"])]
    assert len(flagged) == len(emails) > too_long

    with (example / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[smtp]\nhost = \"mail.example.net\"\n")
    assert same_as_clean(example, tmp_path, "smtp setting").rendered == []

    # A setting a template reads renders every message again.
    edit(example / "newsletter.toml", 'name = "Cafezal Roasters"', 'name = "Cafezal Coffee"')
    renamed = same_as_clean(example, tmp_path, "brand setting")
    assert sorted(renamed.rendered) == sorted(o.variant.key for o in renamed.outputs)


def entries(project: Path, kind: str) -> list[str]:
    folder = project / CACHE_DIR / kind
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def test_a_story_edit_reads_that_story_and_writes_only_the_files_that_changed(example, tmp_path):
    same_as_clean(example, tmp_path, "first build")
    reads = entries(example, "project")
    inodes = {p.relative_to(example / "build").as_posix(): p.stat().st_ino
              for p in (example / "build").rglob("*") if p.is_file()}
    story, path = story_in_a_message(example)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by the test.\n")
    edited = same_as_clean(example, tmp_path, "story edit")
    # The last whole read is taken with the one story read again: no new project read is kept.
    assert entries(example, "project") == reads
    showing = {o.directory for o in edited.outputs if story in {s.id for s in o.variant.stories}}
    rewritten = []
    for name, inode in inodes.items():
        if name.startswith(tuple(f"{d}/" for d in showing)) or name in ("manifest.json", "index.html",
                                                                         "report.json", MARKER):
            continue
        if (example / "build" / name).stat().st_ino != inode:
            rewritten.append(name)
    assert rewritten == []
    # Every file's invariant findings are kept by its bytes, for the next build.
    kept = [Store.for_project(example).get("verdicts", name) for name in entries(example, "verdicts")]
    assert any(set(k) == set(edited.files) for k in kept)

    # Front matter no issue depends on, then a story file that does not read: the first is
    # patched in, the second needs (and reports) a whole read; the fix builds as clean.
    edit(path, "\nsummary: ", "\nsummary: Edited. ")
    same_as_clean(example, tmp_path, "story title edit")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nkind:", "\nkind: [", 1), encoding="utf-8")
    with pytest.raises(BuildError):
        build(example, cache=True)
    path.write_text(text, encoding="utf-8")
    same_as_clean(example, tmp_path, "story fixed")


def shown(files_or_build) -> dict[str, list[str]]:
    """The stories each message shows, by its directory, from a build's manifest."""
    rows = json.loads(files_or_build.files["manifest.json"])["outputs"]
    return {f"{row['issue']}/{row['audience']}/{row['channel']}": row["stories"] for row in rows}


def test_a_story_edit_keeps_the_plan_unless_the_story_selects_differently(example, tmp_path, monkeypatch):
    """A story read again whose kind, date, audiences, stages and tags are the same gives the
    last whole read's plan (no story is chosen again); any other edit plans afresh, and
    every build equals a clean one."""
    from newsletter.compose import selection

    first = same_as_clean(example, tmp_path, "first build")
    planned = []
    real = selection._plan_all
    monkeypatch.setattr(selection, "_plan_all", lambda project: planned.append(1) or real(project))
    guide = example / "content" / "stories" / "cupping-voucher-guide.md"
    with guide.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by the test.\n")
    worded = same_as_clean(example, tmp_path, "words of a picked story")
    assert shown(worded) == shown(first)
    assert len(planned) == 1  # the clean build's: the cached one took the kept plan

    # Dated later, the guide is the newest one November picks, instead of an older one.
    edit(guide, "date: 2026-10-08", "date: 2026-11-01")
    redated = same_as_clean(example, tmp_path, "date of a story")
    assert shown(redated) != shown(first)
    # Another audience, another kind: the message that picked it picks another guide.
    edit(guide, "audiences: [new-subscribers]", "audiences: [cafe-owners]")
    assert shown(same_as_clean(example, tmp_path, "audiences of a story")) != shown(redated)
    edit(guide, "audiences: [cafe-owners]", "audiences: [new-subscribers]")
    assert shown(same_as_clean(example, tmp_path, "audiences back")) == shown(redated)
    edit(guide, "kind: guide", "kind: news")
    assert shown(same_as_clean(example, tmp_path, "kind of a story")) != shown(redated)
    edit(guide, "kind: news", "kind: guide")
    edit(guide, "date: 2026-11-01", "date: 2026-10-08")
    assert shown(same_as_clean(example, tmp_path, "kind and date back")) == shown(first)
    # A new guide, the newest, then deleted again.
    added = guide.with_name("zz-newest-guide.md")
    added.write_text(guide.read_text(encoding="utf-8").replace("date: 2026-10-08", "date: 2026-11-02"),
                     encoding="utf-8")
    assert "zz-newest-guide" in {s for stories in shown(same_as_clean(example, tmp_path, "new story")).values()
                                 for s in stories}
    added.unlink()
    assert shown(same_as_clean(example, tmp_path, "story deleted")) == shown(first)


def test_a_rebuild_hashes_only_the_files_of_messages_rendered_again(example, tmp_path, monkeypatch):
    """The manifest's SHA-256 of a message taken from the cache is the one kept with it."""
    import hashlib

    from newsletter.output import uptodate

    same_as_clean(example, tmp_path, "first build")
    story, path = story_in_a_message(example)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by the test.\n")
    hashed = []
    monkeypatch.setattr(uptodate, "hashlib", SimpleNamespace(
        sha256=lambda data: hashed.append(data) or hashlib.sha256(data), blake2b=hashlib.blake2b))
    edited = build(example, cache=True)
    monkeypatch.undo()
    showing = {o.directory for o in edited.outputs if story in {s.id for s in o.variant.stories}}
    assert showing and hashed
    mine = {data for o in edited.outputs if o.directory not in showing for data in o.files.values()}
    assert not any(data in mine for data in hashed if len(data) > 1000)  # the others were not hashed again
    clean = build(example, tmp_path / "clean", cache=False)
    assert tree(example / "build") == tree(clean.out_dir)


def test_a_damaged_or_unwritable_cache_changes_nothing(example, tmp_path):
    build(example, cache=True)
    for entry in (example / CACHE_DIR).rglob("*"):
        if entry.is_file() and entry.name != "README":
            entry.write_bytes(entry.read_bytes()[:10])  # truncated pickles
    same_as_clean(example, tmp_path, "damaged entries")

    shutil.rmtree(example / CACHE_DIR)
    (example / CACHE_DIR).write_text("not a folder")  # nothing can be written under it
    same_as_clean(example, tmp_path, "unwritable cache")
    assert (example / CACHE_DIR).read_text() == "not a folder"


def test_parallel_rendering_writes_the_same_bytes_as_serial(example, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSLETTER_JOBS", "1")
    serial = build(example, tmp_path / "serial", cache=False)
    assert len(serial.outputs) >= 8  # enough messages for the pool
    # A fresh interpreter has no other threads, so it forks its render workers (see build.py).
    code = ("import sys, threading; from newsletter.build import build; "
            "assert threading.active_count() == 1; "
            "r = build(sys.argv[1], sys.argv[2], cache=False); print(r.timings['mjml-compile'])")
    done = subprocess.run([sys.executable, "-c", code, str(example), str(tmp_path / "pooled")],
                          capture_output=True, text=True, env={**os.environ, "NEWSLETTER_JOBS": "2"})
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) > 0  # the workers' stage times reach the summary
    assert tree(tmp_path / "serial") == tree(tmp_path / "pooled")


def test_the_cache_folder_is_never_an_output_folder(example):
    build(example, cache=True)
    before = tree(example / CACHE_DIR)
    with chdir(example):
        result = CliRunner().invoke(main, ["build", "--out", CACHE_DIR])
    assert result.exit_code == 2, result.output
    assert "[unsafe-out]" in result.output and CACHE_DIR in result.output
    assert tree(example / CACHE_DIR) == before


def test_a_refused_build_writes_no_cache(example):
    (example / "build").mkdir()
    (example / "build" / "notes.txt").write_text("mine")
    with chdir(example):
        result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2, result.output
    assert not (example / CACHE_DIR).exists()


def test_a_build_that_fails_on_its_content_keeps_the_stories_it_read(example):
    issue = example / "content" / "issues" / "2026-10.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("---", "---\nsubject: [unclosed", 1),
                     encoding="utf-8")
    with pytest.raises(BuildError):
        build(example, cache=True)
    # The output folder was checked first, so the read wrote each story as it read it:
    # the build after the fix reads none of them again.
    stories = sorted((example / "content" / "stories").glob("**/*.md"))
    assert len(entries(example, "stories")) == len(stories)
    assert not (example / "build").exists()


def test_keys_change_with_the_code_and_with_shared_files(example):
    keys = ProjectKeys(example)
    shared = keys.shared()
    other = ProjectKeys(example)
    other.code = "another version of newsletter"
    assert other.shared() != shared
    (example / "content" / "logo.png").write_bytes(b"an image the messages may show")
    with_image = ProjectKeys(example).shared()
    assert with_image != shared
    # Samples only fill in recipients for the preview: they are no build input.
    (example / "content" / "samples.yml").write_text("- id: mia\n  first_name: Mia\n", encoding="utf-8")
    assert ProjectKeys(example).shared() == with_image


def test_store_keeps_nothing_until_flushed(tmp_path):
    store = Store(tmp_path / CACHE_DIR)
    store.put("things", "ab" * 20, {"a": 1})
    assert store.get("things", "ab" * 20) == {"a": 1}
    assert not (tmp_path / CACHE_DIR).exists()
    store.flush()
    assert Store(tmp_path / CACHE_DIR).get("things", "ab" * 20) == {"a": 1}
    assert (tmp_path / CACHE_DIR / "README").is_file()


def test_once_the_run_may_write_each_entry_is_written_when_it_is_put(tmp_path):
    store = Store(tmp_path / CACHE_DIR)
    store.put("things", "cd" * 20, "read before the output folder was checked")
    assert not (tmp_path / CACHE_DIR).exists()
    store.write_through()
    assert Store(tmp_path / CACHE_DIR).get("things", "cd" * 20) == "read before the output folder was checked"
    store.put("things", "ef" * 20, "rendered")
    assert not store._pending  # nothing held: a large build's entries are not all in memory at its end
    assert Store(tmp_path / CACHE_DIR).get("things", "ef" * 20) == "rendered"
    # Pickled straight into its file: one that cannot be pickled leaves no entry and no half-file.
    store.put("things", "ef" * 20, {"kept": "before", "a lock": threading.Lock()})
    assert Store(tmp_path / CACHE_DIR).get("things", "ef" * 20) == "rendered"
    assert [p.name for p in (tmp_path / CACHE_DIR / "things" / "ef").iterdir()] == ["ef" * 20]
    assert store.usable


def test_keeping_a_text_leaves_it_its_size_and_it_comes_back_the_same(tmp_path):
    store = Store(tmp_path / CACHE_DIR)
    chinese = "".join(chr(0x4E00 + i % 2000) for i in range(5000))
    odd = "é" * 300 + "\ud800" + "x"  # a lone surrogate, as a damaged source might hold
    before = sys.getsizeof(chinese), sys.getsizeof(odd)
    value = {"body": chinese, "odd": odd, "short": "café", "again": chinese}
    store.put("things", "12" * 20, value)
    # pickle's own way would keep a UTF-8 copy inside each string it wrote, as long as it lives
    assert (sys.getsizeof(chinese), sys.getsizeof(odd)) == before
    store.flush()
    back = Store(tmp_path / CACHE_DIR).get("things", "12" * 20)
    assert back == value
    assert back["body"] is back["again"]  # one string, as it was: written and read once


def test_findings_and_reports_are_pickled_plainly_and_read_back_the_same(tmp_path, monkeypatch):
    # They hold no long text, so the per-object callback that keeps long texts small is skipped
    # (most of the time of keeping a whole check report); what comes back is the same.
    from newsletter.cache import store as store_module
    from newsletter.checks.registry import Finding
    from newsletter.core.diagnostics import Location

    class Counting(store_module._Pickler):
        def persistent_id(self, obj):
            raise AssertionError("the per-object callback ran")

    monkeypatch.setattr(store_module, "_Pickler", Counting)
    store = Store(tmp_path / CACHE_DIR)
    report = [("2026-10", "book-clubs", "email",
               [("q3-language", Finding("its title is in Italian: 'Dial in espresso…'",
                                        Location("content/stories/a.md", 2, 8), "translate it"), "error")])]
    store.put("reports", "34" * 20, report)
    store.put("findings", "56" * 20, {"q3-language": report[0][3]})
    with pytest.raises(AssertionError):
        store.put("things", "78" * 20, report)  # other kinds may hold long texts
    store.flush()
    assert Store(tmp_path / CACHE_DIR).get("reports", "34" * 20) == report


def test_gitignore_keeps_the_cache_out_of_version_control():
    ignore = (Path(__file__).resolve().parent.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert f"{CACHE_DIR}/" in ignore


def test_literal_text_kept_per_file_reads_only_changed_files_and_equals_a_full_scan(example, monkeypatch):
    from newsletter.build import Cache
    from newsletter.content.reader import read_project
    from newsletter.core.diagnostics import Diagnostics
    from newsletter.output import invariants

    def memo_literal() -> frozenset[str]:
        cache = Cache(example)
        found = cache.messages(read_project(example, Diagnostics())).literal_text()
        cache.store.flush()
        return found

    before = memo_literal()
    assert before == invariants.literal_text(example)
    story = sorted((example / "content" / "stories").rglob("*.md"))[0]
    with story.open("a", encoding="utf-8") as handle:
        handle.write("\nShe writes {{ favourite_book }} on every card.\r\nAnd \\u{e001} too.\n")
    read: list[bytes] = []
    real = invariants.literal_in_file
    monkeypatch.setattr("newsletter.cache.memo.literal_in_file",
                        lambda data, parsed: read.append(data) or real(data, parsed))
    after = memo_literal()
    assert after == invariants.literal_text(example) != before
    assert "{{ favourite_book }}" in after and "\\u{e001}" in after
    assert read == [story.read_bytes()]  # the other content files were not read again


def test_a_file_is_hashed_again_unless_it_changed_well_before_its_last_hash(example):
    from newsletter.cache.keys import RACY_NS, digest

    name = "content/audiences.yml"
    info = os.stat(example / name)
    seen = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
    real = digest((example / name).read_bytes())
    changed_at = max(info.st_mtime_ns, info.st_ctime_ns)
    # Same size, times and inode, hashed long after the file last changed: the hash is taken.
    old = ProjectKeys(example, known={name: (*seen, "recorded", changed_at + RACY_NS + 1)})
    assert old.file(name) == "recorded"
    # Hashed within the margin of its last change (the same second): a later same-size edit
    # could have left the times as they were, so the file is read again.
    racy = ProjectKeys(example, known={name: (*seen, "recorded", changed_at + RACY_NS)})
    assert racy.file(name) == real
    assert racy.seen[name][4] == real and racy.seen[name][5] == racy.stamp
    # Any difference in size, times or inode: read again.
    for index in range(4):
        other = list(seen)
        other[index] += 1
        keys = ProjectKeys(example, known={name: (*other, "recorded", changed_at + 10 * RACY_NS)})
        assert keys.file(name) == real


def test_a_same_size_edit_in_the_same_second_is_seen(example, tmp_path):
    build(example, cache=True)
    first = tree(example / "build")
    _, path = story_in_a_message(example)
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    # One letter of the body changed (same length), the modification time put back as it was.
    at = text.rindex("e", text.index("\n---", 4))
    path.write_text(text[:at] + "a" + text[at + 1:], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    same_as_clean(example, tmp_path, "a same-size edit in the same second")
    assert tree(example / "build") != first
