import os

import pytest

from newsletter.output.writer import UnsafePath, source_date_epoch, write_tree


def test_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "build"
    write_tree(out, {"a/one.txt": b"1", "stale.txt": b"old"})
    write_tree(out, {"a/one.txt": b"2"})
    assert (out / "a/one.txt").read_bytes() == b"2"
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # no staging left behind


def test_refuses_paths_outside(tmp_path):
    out = tmp_path / "build"
    write_tree(out, {"keep.txt": b"k"})
    for bad in ("../escape.txt", "/etc/passwd", "a/../../x"):
        with pytest.raises(UnsafePath):
            write_tree(out, {"fine.txt": b"x", bad: b"y"})
    assert (out / "keep.txt").read_bytes() == b"k"
    assert not (tmp_path / "escape.txt").exists()


def test_mtime_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_tree(tmp_path / "b", {"x.txt": b"x"}, source_date_epoch())
    assert os.stat(tmp_path / "b/x.txt").st_mtime == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert source_date_epoch() is None
