"""The writer: whole-folder swaps, leftovers of killed runs, and kill -9 at random moments."""

import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from newsletter.output import writer
from newsletter.build import build
from newsletter.cli import main
from newsletter.output.outdir import MARKER, MARKER_TEXT, OutputRefused, is_ours, project_sources
from newsletter.output.writer import UnsafePath, source_date_epoch, write_tree

from .conftest import edit


def put(out: Path, files: dict[str, bytes], mtime: int | None = None) -> None:
    write_tree(out, files, mtime, sources=project_sources(out.parent))


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "build"
    put(out, {"a/one.txt": b"1", "stale.txt": b"old"})
    put(out, {"a/one.txt": b"2"})
    assert (out / "a/one.txt").read_bytes() == b"2"
    assert not (out / "stale.txt").exists()
    assert (out / MARKER).read_bytes() == MARKER_TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # no staging left behind


def test_refuses_paths_outside(tmp_path):
    out = tmp_path / "build"
    put(out, {"keep.txt": b"k"})
    for bad in ("../escape.txt", "/etc/passwd", "a/../../x", MARKER):
        with pytest.raises(UnsafePath):
            put(out, {"fine.txt": b"x", bad: b"y"})
    assert (out / "keep.txt").read_bytes() == b"k"
    assert not (tmp_path / "escape.txt").exists()


def test_mtime_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    put(tmp_path / "b", {"x.txt": b"x"}, source_date_epoch())
    assert os.stat(tmp_path / "b/x.txt").st_mtime == 1700000000
    assert os.stat(tmp_path / "b" / MARKER).st_mtime == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert source_date_epoch() is None


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_threads_write_the_same_folder(tmp_path):
    files = {f"{folder}/{n}.html": f"{folder} {n}".encode() * 50 for folder in "abc" for n in range(7)}
    files["top.json"] = b"{}"
    for threads in (1, 2, 3, 64):  # 64: more than MAX_THREADS
        write_tree(tmp_path / f"t{threads}", files, 1700000000, sources=project_sources(tmp_path),
                   threads=threads)
    assert tree(tmp_path / "t1") == tree(tmp_path / "t2") == tree(tmp_path / "t3") == tree(tmp_path / "t64")
    assert len(tree(tmp_path / "t2")) == len(files) + 1  # and the marker


def test_a_file_one_thread_cannot_write_leaves_the_old_output(tmp_path):
    out = tmp_path / "build"
    put(out, {"keep.txt": b"k"})
    # "a" is a file and a folder at once: whichever thread comes second fails.
    files = {"a": b"file", "a/b.txt": b"in a folder", **{f"f{n}.txt": b"x" for n in range(8)}}
    with pytest.raises(OSError):
        write_tree(out, files, sources=project_sources(tmp_path), threads=2)
    assert {name: data for name, (data, _) in tree(out).items()} == {"keep.txt": b"k", MARKER: MARKER_TEXT}
    assert siblings(out) == []  # the staging folder went, whole


def test_refused_folder_is_left_as_it_was(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "mine.txt").write_bytes(b"mine")
    with pytest.raises(OutputRefused):
        put(out, {"x.txt": b"x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_the_swap_falls_back_to_two_renames_without_renameat2(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "_RENAMEAT2", None)  # as on a C library without renameat2
    out = tmp_path / "build"
    put(out, {"x.txt": b"1"})
    put(out, {"x.txt": b"2"})
    assert (out / "x.txt").read_bytes() == b"2"
    assert siblings(out) == []


def test_leftovers_of_killed_runs_are_removed_and_foreign_ones_kept(tmp_path):
    out = tmp_path / "build"
    put(out, {"x.txt": b"1"})
    ours_new = tmp_path / ".build.new-killed"
    (ours_new / "issues").mkdir(parents=True)
    (ours_new / MARKER).write_bytes(MARKER_TEXT)
    (ours_new / "issues/half.html").write_bytes(b"<p>half")
    legacy_old = tmp_path / ".build.old-earlier"  # left by a version before the marker
    legacy_old.mkdir()
    (legacy_old / "manifest.json").write_text(json.dumps({"generator": "newsletter 0.3.0"}))
    (tmp_path / ".build.new-empty").mkdir()
    foreign = tmp_path / ".build.old-someone-elses"
    foreign.mkdir()
    (foreign / "notes.txt").write_bytes(b"not ours")
    put(out, {"x.txt": b"2"})
    assert siblings(out) == [".build.old-someone-elses"]
    assert (foreign / "notes.txt").read_bytes() == b"not ours"


def test_a_missing_output_is_restored_from_the_fallbacks_old_folder(tmp_path):
    out = tmp_path / "build"
    put(out, {"x.txt": b"complete old build"})
    out.rename(tmp_path / ".build.old-interrupted")  # killed between the fallback's two renames
    # The next run restores it first; this one then fails half-way, so the old build stays.
    with pytest.raises(OSError):
        put(out, {"a": b"a file", "a/b": b"under a file"})
    assert (out / "x.txt").read_bytes() == b"complete old build"
    assert siblings(out) == []


def test_reused_files_are_linked_from_the_old_folder_and_the_rest_written(tmp_path):
    out = tmp_path / "build"
    put(out, {"same/a.txt": b"unchanged", "b.txt": b"old b", "gone.txt": b"x"})
    before = os.stat(out / "same/a.txt")
    # "b.txt" is named for reuse but the caller has new bytes: its size no longer matches.
    write_tree(out, {"same/a.txt": b"unchanged", "b.txt": b"new bytes", "new.txt": b"n"},
               sources=project_sources(out.parent), reuse={"same/a.txt", "b.txt", "new.txt"})
    assert os.stat(out / "same/a.txt").st_ino == before.st_ino  # linked, not written again
    assert (out / "same/a.txt").read_bytes() == b"unchanged"
    assert (out / "b.txt").read_bytes() == b"new bytes"
    assert (out / "new.txt").read_bytes() == b"n"  # nothing to link from: written
    assert not (out / "gone.txt").exists()
    assert os.stat(out / "same/a.txt").st_nlink == 1  # the old folder is gone with its names
    assert siblings(out) == []


def test_reuse_falls_back_to_writing_where_links_fail(tmp_path, monkeypatch):
    out = tmp_path / "build"
    put(out, {"a.txt": b"same"})

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")  # as on a file system without hard links

    monkeypatch.setattr(writer.os, "link", no_links)
    inode = os.stat(out / "a.txt").st_ino
    write_tree(out, {"a.txt": b"same"}, sources=project_sources(out.parent), reuse={"a.txt"})
    assert (out / "a.txt").read_bytes() == b"same" and os.stat(out / "a.txt").st_ino != inode


# the spare folder a long-running writer keeps ---------------------------------------------

def spare_write(out: Path, files: dict[str, bytes], spares: writer.Spares) -> None:
    """What newsletter.build.finish does with spares: write, then describe the folder taken
    out (held: what it knows that folder holds, as newsletter.output.uptodate records it)."""
    from newsletter.output.uptodate import file_digests, folder_state, held
    state = folder_state(out)
    record = getattr(spares, "record", None)
    digests = file_digests(files)
    write_tree(out, files, sources=project_sources(out.parent), digests=digests, spares=spares)
    if spares.taken is not None:
        spares.spare = writer.Spare(spares.taken, held(record, state), None)
    spares.record = ("digest", folder_state(out), digests, None)


def test_the_spare_becomes_the_next_output_and_only_changed_files_are_written(tmp_path):
    out = tmp_path / "build"
    spares = writer.Spares()
    first = {"a/same.txt": b"same", "a/changes.txt": b"one", "gone/x.txt": b"x", "top.txt": b"t"}
    spare_write(out, first, spares)
    writer.write_spare(out, first, None, spares)  # as the preview does after its first build
    spare = spares.spare.path
    kept = os.stat(spare / "a/same.txt").st_ino
    second = {"a/same.txt": b"same", "a/changes.txt": b"two", "new/deeper/y.txt": b"y", "top.txt": b"t"}
    spare_write(out, second, spares)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        **second, MARKER: MARKER_TEXT}
    assert not (out / "gone").exists()
    assert os.stat(out / "a/same.txt").st_ino == kept  # the spare's file, not written again
    assert os.stat(out / "a/same.txt").st_nlink == 1  # and never linked to another folder's
    assert siblings(out) == [spares.spare.path.name]  # the first output, kept for the next write
    assert (spares.spare.path / "gone/x.txt").read_bytes() == b"x"
    third = {"a/same.txt": b"same", "a/changes.txt": b"three"}
    spare_write(out, third, spares)  # from the first output: what the second changed is undone
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        **third, MARKER: MARKER_TEXT}
    spares.close()
    assert siblings(out) == []
    assert (out / "a/changes.txt").read_bytes() == b"three"


def test_a_spare_file_changed_in_place_is_written_again(tmp_path):
    out = tmp_path / "build"
    spares = writer.Spares()
    files = {"a.txt": b"aaaa", "b.txt": b"bbbb"}
    spare_write(out, files, spares)
    writer.write_spare(out, files, None, spares)
    victim = spares.spare.path / "a.txt"
    info = victim.stat()
    victim.write_bytes(b"AAAA")  # same size and time: only the ctime tells
    os.utime(victim, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.chmod(spares.spare.path / "b.txt", 0o600)  # a file whose mode changed is not kept either
    spare_write(out, files, spares)
    assert (out / "a.txt").read_bytes() == b"aaaa"
    assert os.stat(out / "b.txt").st_mode & 0o777 == os.stat(out / MARKER).st_mode & 0o777


def test_a_spare_another_run_removed_or_replaced_is_not_used(tmp_path):
    out = tmp_path / "build"
    spares = writer.Spares()
    spare_write(out, {"a.txt": b"1"}, spares)
    writer.write_spare(out, {"a.txt": b"1"}, None, spares)
    put(out, {"a.txt": b"2"})  # `newsletter build` meanwhile: it removes staging leftovers
    assert siblings(out) == [] and not spares.spare.path.exists()
    spare_write(out, {"a.txt": b"3", "b/c.txt": b"c"}, spares)
    assert (out / "a.txt").read_bytes() == b"3" and (out / "b/c.txt").read_bytes() == b"c"
    # A folder of someone else's under the spare's name is neither used nor removed.
    path = spares.spare.path
    spares.spare = None
    writer._remove(path)
    path.mkdir()
    (path / "a.txt").write_bytes(b"3")
    spares.spare = writer.Spare(path, {}, None)
    spare_write(out, {"a.txt": b"4"}, spares)
    assert (out / "a.txt").read_bytes() == b"4" and (path / "a.txt").read_bytes() == b"3"


def test_a_symbolic_link_in_the_spare_is_never_written_through(tmp_path):
    out = tmp_path / "build"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spares = writer.Spares()
    spare_write(out, {"a/x.txt": b"1"}, spares)
    writer.write_spare(out, {"a/x.txt": b"1"}, None, spares)
    shutil.rmtree(spares.spare.path / "a")
    (spares.spare.path / "a").symlink_to(elsewhere)
    spare_write(out, {"a/x.txt": b"2"}, spares)
    assert (out / "a/x.txt").read_bytes() == b"2" and not (out / "a").is_symlink()
    assert list(elsewhere.iterdir()) == []


# kill -9 ------------------------------------------------------------------------------------

KILLS = 30
SEED = 20261


def run_build(project: str) -> None:
    """`newsletter build`, in a child process of its own (the test kills it)."""
    main(["build", "--quiet", "--project", project], prog_name="newsletter")


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_complete(folder: Path) -> None:
    """Every file manifest.json lists is there with its sha256."""
    manifest = json.loads((folder / "manifest.json").read_bytes())
    listed = [row for out in manifest["outputs"] for row in out["files"]] + manifest["assets"]
    assert listed
    for row in listed:
        assert hashlib.sha256((folder / row["path"]).read_bytes()).hexdigest() == row["sha256"]


def test_kill_9_at_random_moments_leaves_the_old_or_the_new_build(minimal, tmp_path):
    story = minimal / "content/stories/tom-testimonial.md"
    original = story.read_bytes()
    edit(story, "title: Tom's first month", "title: Tom's second month")  # in every file of his message
    changed = story.read_bytes()
    versions = {"a": original, "b": changed}
    expected = {}
    for name, text in versions.items():  # both complete builds, to compare against
        story.write_bytes(text)
        build(minimal, tmp_path / f"reference-{name}")
        expected[name] = digests(tmp_path / f"reference-{name}")
    differing = {path for path in expected["a"] if expected["a"][path] != expected["b"].get(path)}
    assert {"manifest.json", "issues/2026-10/new-readers/email.html"} <= differing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["newsletter.cli", __name__])  # children start already imported
    out = minimal / "build"
    for name in ("a", "b"):  # the first run also starts the fork server: time the second
        # Each run builds a change, as the killed runs below do (a run with nothing to do
        # replays its last build in a fraction of that time: kills timed by it all land early).
        story.write_bytes(versions[name])
        start = time.perf_counter()
        child = context.Process(target=run_build, args=(str(minimal),))
        child.start()
        child.join()
        assert child.exitcode == 0
    duration = time.perf_counter() - start  # a whole warm run, from start to exit
    current = next(name for name in versions if digests(out) == expected[name])

    rng = random.Random(SEED)
    outcomes = {"old": 0, "new": 0}
    killed = 0  # runs that SIGKILL stopped, rather than ones that had finished
    for kill in range(KILLS):
        wanted = "a" if current == "b" else "b"
        story.write_bytes(versions[wanted])
        before = set(siblings(out))
        child = context.Process(target=run_build, args=(str(minimal),))
        child.start()
        if kill % 2:  # anywhere in the run, or just after it: a loaded machine slows the
            # killed runs (they build a change) more than the warm run timed above
            time.sleep(rng.uniform(0, 2 * duration))
        else:  # while the writer is at work: its own staging folder has appeared
            while child.exitcode is None and not set(siblings(out)) - before:
                time.sleep(0.0002)  # leave the CPU to the child
            time.sleep(rng.uniform(0, 0.004))
        child.kill()
        child.join()
        assert out.is_dir() and not out.is_symlink(), f"kill {kill}: no build/"
        got = digests(out)
        assert got in (expected[current], expected[wanted]), f"kill {kill}: a mixed or partial build/"
        assert_complete(out)
        outcomes["new" if got == expected[wanted] else "old"] += 1
        killed += child.exitcode == -signal.SIGKILL
        current = wanted if got == expected[wanted] else current
        for name in siblings(out):  # what a killed run leaves, the next run can remove
            left = minimal / name
            assert is_ours(left) or not any(left.iterdir()), f"kill {kill}: {name} is not ours"

    child = context.Process(target=run_build, args=(str(minimal),))
    child.start()
    child.join()
    assert child.exitcode == 0
    assert siblings(out) == [], "the next build removes every leftover"
    assert digests(out) == expected[wanted]  # what the content now says
    assert outcomes["old"] and outcomes["new"], outcomes  # the kills did land on both sides
    assert killed >= KILLS // 3, killed
