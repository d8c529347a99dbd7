"""Forked workers read by the parent's one thread: every result back, failures and early stops,
the parent working beside them, and a map whose results keep their order."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from newsletter.core.workers import forked, map_in_order

_SHARED = None  # what the workers take from, made before the fork


def _numbers():
    """Each worker takes numbers from the shared counter until 40 were taken."""
    while True:
        with _SHARED.get_lock():
            n = _SHARED.value
            if n >= 40:
                return
            _SHARED.value = n + 1
        yield os.getpid(), n, b"x" * 300_000  # bigger than a pipe holds at once


def test_every_result_comes_back_once_and_the_parent_runs_no_thread():
    global _SHARED
    _SHARED = multiprocessing.get_context("fork").Value("l", 0)
    before = threading.active_count()  # other tests may have left threads of their own
    threads = []
    got = []
    for pid, n, data in forked(2, _numbers):
        threads.append(threading.active_count())
        got.append(n)
        assert pid != os.getpid() and len(data) == 300_000
    assert sorted(got) == list(range(40))
    assert set(threads) == {before}  # no thread of the pool's


def _fails_in_the_second_worker():
    with _SHARED.get_lock():
        me = _SHARED.value
        _SHARED.value += 1
    yield me, "first"
    if me == 1:
        raise ValueError("broken")
    yield me, "second"


def test_a_failing_worker_stops_quietly_and_the_others_finish(capfd):
    global _SHARED
    _SHARED = multiprocessing.get_context("fork").Value("l", 0)
    got = sorted(forked(2, _fails_in_the_second_worker))
    assert got == [(0, "first"), (0, "second"), (1, "first")]
    assert "Traceback" not in capfd.readouterr().err  # the caller redoes the missing work and says why


def _slow():
    yield os.getpid()
    time.sleep(60)
    yield "never"


def test_workers_still_running_when_the_reader_stops_are_ended():
    results = forked(2, _slow)
    pids = {next(results), next(results)}
    results.close()
    for pid in pids:  # ended and reaped: the pid is gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"worker {pid} still runs")


def _own():
    for n in range(3):
        yield os.getpid(), n


def test_the_parent_works_beside_its_workers_and_gets_their_results_too():
    global _SHARED
    _SHARED = multiprocessing.get_context("fork").Value("l", 0)
    got = list(forked(1, _numbers, own=_own))
    mine = [n for pid, n, *_ in got if pid == os.getpid()]
    theirs = sorted(n for pid, n, *_ in got if pid != os.getpid())
    assert mine == [0, 1, 2] and theirs == list(range(40))
    assert multiprocessing.active_children() == []


def _square_slowly(n: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that the forked worker takes some batches
    return n * n, os.getpid()


def test_map_in_order_keeps_the_order_and_shares_the_work():
    done = map_in_order(_square_slowly, list(range(300)), processes=2, batch=10)
    assert [square for square, _ in done] == [n * n for n in range(300)]
    assert len({pid for _, pid in done}) == 2 and os.getpid() in {pid for _, pid in done}
    assert map_in_order(_square_slowly, [7], processes=2) == [(49, os.getpid())]  # too few to fork
    assert map_in_order(_square_slowly, [], processes=2) == []


def _fails_elsewhere(n: int) -> int:
    if os.getpid() != _PARENT:
        raise RuntimeError("a worker's failure")
    return -n


_PARENT = os.getpid()


def test_what_a_failed_worker_did_not_hand_back_is_worked_out_here(capfd):
    assert map_in_order(_fails_elsewhere, list(range(100)), processes=2, batch=5) == [-n for n in range(100)]
    assert "Traceback" not in capfd.readouterr().err
    assert multiprocessing.active_children() == []


def _breaks_on_13(n: int) -> int:
    time.sleep(0.001)
    if n == 13:
        raise ValueError("item 13 is broken")
    return n


def test_an_item_that_fails_raises_its_own_error_here_and_no_worker_is_left():
    with pytest.raises(ValueError, match="item 13 is broken"):
        map_in_order(_breaks_on_13, list(range(200)), processes=2, batch=4)
    assert multiprocessing.active_children() == []
