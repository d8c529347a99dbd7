"""cache.facts: what the text memos worked out is kept in the build cache, so a rebuild that
renders every message again (a settings or template change) works out nothing it knew, and
writes what a build from scratch writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from newsletter.build import build
from newsletter.cache import CACHE_DIR, Store
from newsletter.cache import facts as facts_module
from newsletter.cache.facts import Facts
from newsletter.core import memo
from newsletter.core.memo import MEMOS, fact_key

from .conftest import edit
from .test_cache import tree

BRAND = 'name = "Cafezal Roasters"'


def computed() -> dict[str, int]:
    return {name: item.computed for name, item in MEMOS.items()}


def test_a_settings_change_renders_every_message_from_the_kept_facts(example, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSLETTER_JOBS", "1")
    # As in a new process: what an earlier test's build worked out in memory (the same example
    # texts) was not worked out by this project's build, so it would not be kept in its cache.
    memo.clear()
    build(example, cache=True)
    assert (example / CACHE_DIR / "facts").is_dir()
    shards = Facts(Store(example / CACHE_DIR))
    keys = [key for shard in range(facts_module.SHARDS) for key in shards._loaded(shard)]
    # By digest: the cache holds no second copy of every story's text as the results' keys.
    assert len(keys) > 50 and all(isinstance(key, bytes) and len(key) == 16 for key in keys)
    memo.clear()  # as in a new process: only the cache remembers
    edit(example / "newsletter.toml", BRAND, 'name = "Cafezal Coffee"')
    before = computed()
    rebuilt = build(example, cache=True)
    assert sorted(rebuilt.rendered) == sorted(o.variant.key for o in rebuilt.outputs)  # all again
    assert computed() == before  # and not one story laid out, identified or rendered to HTML again
    memo.clear()
    clean = build(example, tmp_path / "clean", cache=False)
    assert computed() != before  # the clean build worked them out
    assert tree(example / "build") == tree(clean.out_dir)


def test_what_render_workers_work_out_is_kept_by_the_parent(example, tmp_path):
    # Fresh interpreters: no other threads, so the first build forks its render workers.
    first = ("import sys, threading; from newsletter.build import build; "
             "assert threading.active_count() == 1; build(sys.argv[1], cache=True)")
    again = ("import json, sys; from newsletter.build import build; from newsletter.core.memo import MEMOS; "
             "build(sys.argv[1], cache=True); print(json.dumps({n: m.computed for n, m in MEMOS.items()}))")
    env = {**os.environ, "NEWSLETTER_JOBS": "2"}
    done = subprocess.run([sys.executable, "-c", first, str(example)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    edit(example / "newsletter.toml", BRAND, 'name = "Cafezal Coffee"')
    done = subprocess.run([sys.executable, "-c", again, str(example)], capture_output=True, text=True,
                          env={**env, "NEWSLETTER_JOBS": "1"})
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert set(counts) >= {"markdown-html", "text-layout", "language-mismatch", "promotion-signals"}
    assert not any(counts.values()), counts
    clean = build(example, tmp_path / "clean", cache=False)
    assert tree(example / "build") == tree(clean.out_dir)


def test_a_shard_keeps_the_newest_results_and_a_damaged_one_counts_as_absent(tmp_path, monkeypatch):
    monkeypatch.setattr(facts_module, "SHARDS", 1)
    monkeypatch.setattr(facts_module, "SHARD_KEPT", 3)
    store = Store(tmp_path / CACHE_DIR)
    def key(text: str, name: str = "some-memo") -> bytes:
        return fact_key(name, (text,))

    kept = Facts(store).keep({key(f"text {i}"): i for i in range(5)})
    assert kept == 5
    store.flush()
    later = Facts(Store(tmp_path / CACHE_DIR))
    assert [later.lookup(key(f"text {i}")) for i in range(5)] == [
        (False, None), (False, None), (True, 2), (True, 3), (True, 4)]
    assert later.lookup(key("text 4", "another-memo")) == (False, None)
    Facts(store).keep({key("text 2"): "again"})  # moved to the newest end
    store.flush()
    assert Facts(Store(tmp_path / CACHE_DIR)).lookup(key("text 2")) == (True, "again")

    for shard in (tmp_path / CACHE_DIR / "facts").rglob("*"):
        if shard.is_file():
            shard.write_bytes(b"not a pickle")
    assert Facts(Store(tmp_path / CACHE_DIR)).lookup(key("text 4")) == (False, None)


def test_facts_are_kept_under_the_code_they_were_worked_out_with(tmp_path, monkeypatch):
    store = Store(tmp_path / CACHE_DIR)
    key = fact_key("some-memo", ("text",))
    Facts(store).keep({key: "old code's result"})
    store.flush()
    assert Facts(Store(tmp_path / CACHE_DIR)).lookup(key) == (True, "old code's result")
    monkeypatch.setattr(facts_module, "code_fingerprint", lambda: "another version of newsletter")
    assert Facts(Store(tmp_path / CACHE_DIR)).lookup(key) == (False, None)
