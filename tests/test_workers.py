"""Forked workers read by the parent's one thread: every result back, failures and early stops."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

from newsletter.render.workers import forked

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
