"""Dealing messages to render workers: messages sharing stories together, each taken once."""

from __future__ import annotations

import copy
import multiprocessing
import os
import subprocess
import sys

import pytest

from newsletter.compose.selection import build_variants
from newsletter.content.reader import read_project
from newsletter.core.diagnostics import Diagnostics
from newsletter.render.deal import Deal, affinity_order


def _workers(deal: Deal, count: int) -> list[Deal]:
    """`count` views of one deal as its workers see it (the counters shared, as after a fork)."""
    views = [copy.copy(deal) for _ in range(count)]
    for view in views:
        view.join()
    return views


def _drain(view: Deal) -> list[int]:
    taken = []
    while True:
        try:
            taken.append(view.take())
        except IndexError:
            return taken


def test_messages_of_one_language_are_next_to_each_other_in_plan_order(example):
    project = read_project(example, Diagnostics())
    variants = build_variants(project)
    order = affinity_order(variants, range(len(variants)))
    assert sorted(order) == list(range(len(variants)))
    locales = [variants[i].locale for i in order]
    assert len(set(locales)) > 1, "the example should plan messages in more than one language"
    # each language is one run, and inside it the plan's order is kept
    runs = [locale for n, locale in enumerate(locales) if n == 0 or locales[n - 1] != locale]
    assert len(runs) == len(set(runs))
    for locale in set(locales):
        mine = [i for i in order if variants[i].locale == locale]
        assert mine == sorted(mine)


def test_each_worker_takes_its_own_part_from_the_front():
    a, b = _workers(Deal(list(range(10, 20)), 2), 2)
    assert [a.take(), a.take(), b.take(), a.take()] == [10, 11, 15, 12]


def test_a_worker_done_with_its_part_helps_from_the_back_of_the_largest():
    a, b, c = _workers(Deal(list(range(9)), 3), 3)  # parts [0 1 2] [3 4 5] [6 7 8]
    assert [a.take() for _ in range(3)] == [0, 1, 2]
    assert [c.take(), c.take()] == [6, 7]
    assert a.take() == 5  # part two has three left, part three one: the back of part two
    assert a.take() == 4
    assert sorted(_drain(b) + _drain(c) + _drain(a)) == [3, 8]


def test_every_message_is_taken_once_however_the_workers_interleave():
    for parts in (1, 2, 3, 5):
        views = _workers(Deal(list(range(23)), parts), parts)
        taken = []
        turn = 0
        while True:
            try:
                taken.append(views[turn % len(views)].take())
            except IndexError:
                break
            turn += 1 + turn % 3  # an uneven rotation
        assert sorted(taken) == list(range(23))
        with pytest.raises(IndexError):
            views[0].take()


def test_more_parts_than_messages_and_a_late_worker():
    deal = Deal([4, 7], 5)
    a, b, late = _workers(deal, 3)  # two parts: the third worker only helps
    assert sorted([late.take(), a.take()]) == [4, 7]
    with pytest.raises(IndexError):
        b.take()


def _take_all(deal: Deal, out) -> None:
    deal.join()
    out.send(_drain(deal))


def _hold_lock_and_die(deal: Deal) -> None:
    deal._left.get_lock().acquire()
    os._exit(0)  # killed while holding it


def test_a_lock_left_by_a_dead_worker_stops_the_others_instead_of_hanging(monkeypatch):
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("fork is not available here")
    monkeypatch.setattr("newsletter.render.deal.LOCK_WAIT", 0.2)
    deal = Deal(list(range(10)), 2)
    (view,) = _workers(deal, 1)
    assert view.take() == 0
    dying = multiprocessing.get_context("fork").Process(target=_hold_lock_and_die, args=(deal,))
    dying.start()
    dying.join()
    with pytest.raises(IndexError, match="not released"):
        view.take()  # the parent then renders what is left itself


def test_forked_workers_share_the_deal():
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("fork is not available here")
    deal = Deal(list(range(200)), 2)
    ctx = multiprocessing.get_context("fork")
    pipes = [ctx.Pipe(duplex=False) for _ in range(2)]
    workers = [ctx.Process(target=_take_all, args=(deal, send)) for _, send in pipes]
    for worker in workers:
        worker.start()
    taken = [receive.recv() for receive, _ in pipes]
    for worker in workers:
        worker.join()
    assert sorted(taken[0] + taken[1]) == list(range(200))


def test_two_workers_build_the_same_files_as_one(example, tmp_path):
    """The pool (messages dealt by affinity, taken as workers free up) writes what a serial build does."""
    built = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        done = subprocess.run([sys.executable, "-c", "from newsletter.cli import main; main()", "build", "-p",
                               str(example), "-o", str(out)], capture_output=True, text=True,
                              env={**os.environ, "NEWSLETTER_JOBS": jobs, "NEWSLETTER_CACHE": "0"})
        assert done.returncode in (0, 1), done.stderr[-2000:]
        built[jobs] = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len(built["1"]) > 10 and built["1"] == built["2"]
