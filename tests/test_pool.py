"""Tests for newsletter.pool: how many processes render, the serial path, and steady_heap.

That forked workers render, check and clean each message as this process would is tested in
tests/test_build.py (in a fresh process, where no other thread stops the pool from forking)."""

from __future__ import annotations

import gc
import os

from newsletter.build import load
from newsletter.compose.selection import build_variants
from newsletter.core.timing import Timer
from newsletter.output.invariants import Provenance
from newsletter.pool import PARALLEL_FROM, provenance_mark, render_many, settle, steady_heap, workers
from newsletter.render.env import RenderEnv
from newsletter.render.templating import Templates
from newsletter.render.views import StyledHtml


def test_workers_follow_newsletter_jobs_else_the_usable_cpus(monkeypatch):
    monkeypatch.setenv("NEWSLETTER_JOBS", "3")
    assert workers() == 3
    usable = len(os.sched_getaffinity(0))
    for wrong in ("0", "-2", "two", ""):
        monkeypatch.setenv("NEWSLETTER_JOBS", wrong)
        assert workers() == usable


def test_few_messages_render_here_in_order_without_worker_findings(minimal):
    project, _ = load(minimal)
    variants = build_variants(project)
    todo = list(range(len(variants)))[::-1][: PARALLEL_FROM - 1]
    env = RenderEnv(project.config, Templates(project.root), StyledHtml(project.config), Timer())
    done = list(render_many(env, variants, todo, project, (Provenance(frozenset()), "build/")))
    assert [index for index, *_ in done] == todo
    assert all(checked is None and clean is None for _, _, checked, clean in done)
    for index, (subject, preheader, files, extra), _, _ in done:
        assert subject and files, variants[index].key


def test_steady_heap_freezes_until_the_outermost_holder_is_done():
    gc.unfreeze()
    settle()  # outside steady_heap: nothing moves
    assert gc.get_freeze_count() == 0
    with steady_heap():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with steady_heap():
            kept = [[n] for n in range(1000)]  # new objects, tracked by the collector
            settle()
            assert gc.get_freeze_count() >= frozen + len(kept)
        assert gc.get_freeze_count() > 0  # the outer holder still runs
    assert gc.get_freeze_count() == 0


def test_provenance_mark_depends_on_what_is_written_not_its_order():
    assert provenance_mark(Provenance(frozenset({"a", "b"}))) == provenance_mark(Provenance(frozenset({"b", "a"})))
    assert provenance_mark(Provenance(frozenset({"a"}))) != provenance_mark(Provenance(frozenset({"a", "b"})))
