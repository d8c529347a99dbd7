"""Forked workers whose results the parent reads without a thread of its own: the story
readers (newsletter.content.reader) and the render workers (newsletter.pool).

multiprocessing.Pool runs three threads in the parent; its worker handler also wakes each
time a result is waiting in the pipe and, while the result handler waits for the
interpreter lock to read it (a message's files are ~200 KB, several pipe loads), spins
through its loop: ~0.3 s of the parent's CPU on the bench's 120 messages, added straight to
a parallel build. Here each worker is a forked process with a pipe of its own; it works
through what `work()` yields in it and sends each result down its pipe, and the parent's
one thread reads whichever pipe has a result, blocked in the kernel in between.

May import nothing else from newsletter.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, Sequence


def can_fork() -> bool:
    """Whether this process may fork workers now: the platform forks, and no other thread
    runs (a fork copies only the calling thread; a lock another one holds would stay locked
    in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _serve(work: Callable[[], Iterable[Any]], writer: Connection) -> None:
    """In a worker: send each result of `work()` to the parent, then end.

    A failure ends the worker quietly (exit code 1): what it did not send, the parent does
    itself, and raises the real error there with its traceback.
    """
    try:
        for result in work():
            writer.send(result)
    except (Exception, KeyboardInterrupt):  # an interrupt reaches the parent too, which says it
        raise SystemExit(1) from None
    finally:
        writer.close()


def _ready(open_: list[Connection], timeout: float | None) -> Iterator[Any]:
    """The results waiting in the pipes of `open_` (after waiting up to `timeout` seconds
    for one, None: until one comes); a pipe whose worker is done leaves `open_`."""
    for reader in wait(open_, timeout):
        try:
            yield reader.recv()
        except EOFError:  # that worker is done (or died)
            open_.remove(reader)


def forked(count: int, work: Callable[[], Iterable[Any]],
           own: Callable[[], Iterable[Any]] | None = None) -> Iterator[Any]:
    """The results of `work()` run in each of `count` forked workers, as they come.

    With `own`, the calling process works through `own()` too, meanwhile: its results come
    with the workers', whose waiting results are read after each of its own (a worker whose
    pipe is full waits for the parent to read it).
    Only the calling thread may be running (see can_fork). A worker that fails or dies stops giving
    results: the caller sees which are missing. Workers still running when the caller
    stops reading (an error, an interrupt, an error in `own`) are ended.
    """
    ctx = multiprocessing.get_context("fork")
    processes, readers = [], []
    finished = False
    try:
        for _ in range(count):
            reader, writer = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_serve, args=(work, writer), daemon=True)
            process.start()
            writer.close()  # the worker's end: the reader sees the end of it when the worker ends
            processes.append(process)
            readers.append(reader)
        open_ = list(readers)
        for result in own() if own is not None else ():
            yield result
            yield from _ready(open_, 0)
        while open_:
            yield from _ready(open_, None)
        finished = True
    finally:
        for reader in readers:
            reader.close()
        for process in processes:
            if not finished:
                process.terminate()
            process.join()


_NOT_DONE = object()
#: Seconds a worker waits for the shared counter's lock, held for microseconds at a time: a
#: worker killed while holding it must not leave the others waiting for ever.
LOCK_WAIT = 10.0


def map_in_order(function: Callable[[Any], Any], items: Sequence[Any], processes: int,
                 batch: int = 16) -> list[Any]:
    """[function(item) for item in items], worked out by up to `processes` processes: this
    one and forked workers.

    Each takes the next `batch` items when it is free, so a slow item does not hold the
    rest back; results come back in the order of `items`, whatever order they are done in.
    This process works too rather than wait: a result handed over costs a pickling in the
    worker and an unpickling here, which on two CPUs would take time from the two workers.
    What no worker handed back (it failed or died) is worked out here, where an error is
    raised with its traceback. The caller decides that forking is safe (see forked).
    """
    results = [_NOT_DONE] * len(items)
    count = min(processes, -(-len(items) // batch))
    if count >= 2:
        taken = multiprocessing.get_context("fork").Value("l", 0)

        def work() -> Iterator[tuple[int, list[Any]]]:
            while True:
                lock = taken.get_lock()
                if not lock.acquire(timeout=LOCK_WAIT):
                    return  # the parent works out what is left
                try:
                    start = taken.value
                    taken.value = start + batch
                finally:
                    lock.release()
                if start >= len(items):
                    return
                yield start, [function(item) for item in items[start:start + batch]]

        for start, done in forked(count - 1, work, own=work):
            results[start:start + len(done)] = done
    return [function(item) if value is _NOT_DONE else value for item, value in zip(items, results)]
