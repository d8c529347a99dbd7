"""The customer-data cache: an unchanged export is read from Parquet, a changed one is not,
and the folder is safe to delete."""

import hashlib
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter.build import load
from newsletter.customers.cache import CACHE_DIR
from newsletter.customers.data import load_customer_data

from .conftest import edit


def _project(root):
    project, _ = load(root)
    return project


def test_unchanged_export_is_read_from_the_cache_and_a_change_is_not(basic):
    project = _project(basic)
    first = load_customer_data(project)
    cached = list((basic / CACHE_DIR).glob("*.parquet"))
    # The records, and their names sorted apart for finding a story's customers.
    assert len(cached) == 2 and len(list((basic / CACHE_DIR).glob("*.names.parquet"))) == 1
    second = load_customer_data(project)
    # The second read maps the Parquet copy instead of reading the CSV.
    kind = second.engine.con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'customers'").fetchone()[0]
    assert kind == "VIEW"
    assert [r.id for r in second.records] == [r.id for r in first.records]
    edit(basic / "content/customers.csv", "L-9,Nina Shah", "L-9,Nina Shaw")
    third = load_customer_data(project)
    assert "Nina Shaw" in [r.name for r in third.records]
    assert len(list((basic / CACHE_DIR).glob("*.parquet"))) == 4
    shutil.rmtree(basic / CACHE_DIR)  # safe to delete: the next read rebuilds it
    assert [r.name for r in load_customer_data(project).records] == [r.name for r in third.records]


def test_a_cached_export_finds_named_customers_through_its_names_file(basic):
    project = _project(basic)
    full = load_customer_data(project)
    cached = load_customer_data(project)
    assert cached.engine.names is not None and full.engine.names is None
    names = ["Tom Baker", "Nina Shah", "Nobody Here"]
    assert cached.engine.where_named(["tom baker"]).startswith("_order IN (")
    for data in (full, cached):
        data.keep_named(names)
    on = full.engine.con.execute("SELECT max(since) FROM customers").fetchone()[0]
    assert cached.profiles_named(names, on) == full.profiles_named(names, on) != {}
    # Without the names file the cached copy is not used: it is read again.
    for stale in (basic / CACHE_DIR).glob("*.names.parquet"):
        stale.unlink()
    assert load_customer_data(project).engine.names is None


def test_the_scan_sees_every_odd_line_break_wherever_the_chunks_end(tmp_path, monkeypatch):
    from newsletter.customers import cache

    samples = [b"a,b\nc,d\n", b"a,b\r\nc,d\r\n", b"a,b\r\nc,d\r", b"a\rb\n", b"a\x0bb\n", b"a\x1eb\n",
               b"caf\xc3\xa9\n\xc2\xa0x\n", b"x\xc2\x85y\n", b"\xe2\x80\x9cq\xe2\x80\x9d\n", b"x\xe2\x80\xa8y",
               b"x\xe2\x80\xa9", b"\r", b"", "Лоренцо 梅\r\n".encode() * 3]
    for data in samples:
        path = tmp_path / "c.csv"
        path.write_bytes(data)
        expected = (any(b in data for b in (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85",
                                             b"\xe2\x80\xa8", b"\xe2\x80\xa9"))
                    or data.count(b"\r") != data.count(b"\r\n"))
        for size in (1, 2, 3, 5, 1 << 20):  # a CR LF or a sequence split by a chunk's end too
            monkeypatch.setattr(cache, "_CHUNK", size)
            facts = cache._scan(path)
            assert facts.odd_breaks == expected, (data, size)
            assert facts.newlines == data.count(b"\n")


# Bytes that make or break the facts, with plain text around them: lead bytes of the odd
# sequences many times over (the scan's search for them changes way past a few per 256 bytes).
_PIECES = [b"a", b",", b"\n", b"\r", b"\r\n", b'"', b"\x0b", b"\x1e", b"\xc2", b"\x85", b"\xc2\xa0", b"\xc2\x85",
           b"\xe2", b"\x80", b"\xe2\x80\x9c", b"\xe2\x80\xa8", b"\xe2\x80\xa9", "Лоренцо 梅".encode(), b"x" * 300]


@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=60), size=st.sampled_from([1, 2, 3, 7, 256, 1 << 20]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_scan_gives_the_facts_of_the_whole_file_at_once(tmp_path, monkeypatch, pieces, size):
    from newsletter.customers import cache

    data = b"".join(pieces)
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    monkeypatch.setattr(cache, "_CHUNK", size)
    odd = (any(b in data for b in (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8",
                                   b"\xe2\x80\xa9"))
           or data.count(b"\r") != data.count(b"\r\n"))
    assert cache._scan(path) == cache.FileFacts(hashlib.sha256(data).hexdigest(), data.count(b"\n"),
                                                data.endswith(b"\n") or not data, odd, b'"' in data)
