"""Forked render workers whose results the parent reads without a thread of its own.

multiprocessing.Pool runs three threads in the parent; its worker handler also wakes each
time a result is waiting in the pipe and, while the result handler waits for the
interpreter lock to read it (a message's files are ~200 KB, several pipe loads), spins
through its loop: ~0.3 s of the parent's CPU on the bench's 120 messages, added straight to
a parallel build. Here each worker is a forked process with a pipe of its own; it works
through what `work()` yields in it and sends each result down its pipe, and the parent's
one thread reads whichever pipe has a result, blocked in the kernel in between.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator


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


def forked(count: int, work: Callable[[], Iterable[Any]]) -> Iterator[Any]:
    """The results of `work()` run in each of `count` forked workers, as they come.

    Only the calling thread may be running (a fork copies only it, and a lock held by
    another would stay locked in the child). A worker that fails or dies stops giving
    results: the caller sees which are missing. Workers still running when the caller
    stops reading (an error, an interrupt) are ended.
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
        while open_:
            for reader in wait(open_):
                try:
                    result = reader.recv()
                except EOFError:  # that worker is done (or died)
                    open_.remove(reader)
                    continue
                yield result
        finished = True
    finally:
        for reader in readers:
            reader.close()
        for process in processes:
            if not finished:
                process.terminate()
            process.join()
