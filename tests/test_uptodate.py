"""Tests for newsletter.output.uptodate: an output folder is rewritten unless it holds exactly the build."""

import os

from newsletter.output.outdir import MARKER
from newsletter.output.uptodate import file_digests, files_digest, folder_state, reusable, unchanged


def written(folder, files):
    folder.mkdir()
    (folder / MARKER).write_text("ours")
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return (files_digest(files, None), folder_state(folder))


def test_untouched_folder_with_the_same_files_is_unchanged(tmp_path):
    files = {"a.txt": b"one", "sub/b.txt": b"two"}
    record = written(tmp_path / "out", files)
    assert unchanged(tmp_path / "out", files_digest(files, None), record)
    assert not unchanged(tmp_path / "out", files_digest({**files, "a.txt": b"ONE"}, None), record)
    assert not unchanged(tmp_path / "out", files_digest(files, 1700000000), record)  # other file times


def test_any_edit_in_the_folder_makes_it_changed(tmp_path):
    files = {"a.txt": b"one"}
    record = written(tmp_path / "out", files)
    path = tmp_path / "out" / "a.txt"
    info = os.stat(path)
    path.write_bytes(b"one")  # same bytes and size, restored mtime: the ctime still moves
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert not unchanged(tmp_path / "out", files_digest(files, None), record)


def test_an_added_file_or_a_missing_marker_makes_it_changed(tmp_path):
    files = {"a.txt": b"one"}
    record = written(tmp_path / "out", files)
    (tmp_path / "out" / "mine.txt").write_text("notes")
    assert not unchanged(tmp_path / "out", files_digest(files, None), record)
    (tmp_path / "out" / "mine.txt").unlink()
    (tmp_path / "out" / MARKER).unlink()
    assert folder_state(tmp_path / "out") is None
    assert not unchanged(tmp_path / "missing", files_digest(files, None), record)


def test_reusable_files_have_the_same_bytes_and_were_not_touched_since(tmp_path):
    files = {"a.txt": b"one", "sub/b.txt": b"two", "c.txt": b"three"}
    folder = tmp_path / "out"
    digest, state = written(folder, files)
    record = (digest, state, file_digests(files), None)
    (folder / "c.txt").write_bytes(b"three")  # rewritten by someone: its ctime moved
    new = file_digests({**files, "sub/b.txt": b"TWO", "d.txt": b"four"})
    assert reusable(record, folder_state(folder), new, None) == {"a.txt"}
    assert reusable(record, folder_state(folder), new, 1700000000) == set()  # other file times
    assert reusable(record[:2], folder_state(folder), new, None) == set()  # a record of an older shape
    assert reusable(record, None, new, None) == set()  # no folder (or not ours)


def test_digests_hash_each_file_once_and_reuse_only_the_very_same_bytes():
    from newsletter.output.uptodate import Digests

    files = {"a.html": b"kept" * 100, "b.txt": b"two"}
    first = Digests()
    assert first("a.html", files["a.html"]) == file_digests(files)["a.html"]
    assert first.of(files) == file_digests(files)
    # The next build: "a.html" is the same object; "b.txt" has new bytes under the same name.
    later = {"a.html": files["a.html"], "b.txt": b"TWO"}
    again = Digests(first.now)
    assert again.of(later) == file_digests(later)
    assert again.now["a.html"][0] is files["a.html"] and again.before == {}
