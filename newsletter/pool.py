"""Rendering many messages at once: forked workers, each rendering a share of them on their
channels, running the checks that look at one message alone and checking its files for what
must never be in them; and the collector kept off what lives through a build (steady_heap).

The pipeline (newsletter.build) hands it the messages left to render. May import
newsletter.core, content, compose, render, channels, checks, output and cache; only
newsletter.build and the callers beside it (the preview) import it.
"""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager

from .cache.keys import digest
from .channels import REGISTRY
from .checks.run import check_alone
from .compose.selection import Variant
from .core.memo import absorb, keeping, take_fresh
from .content.models import Project
from .core.timing import Timer
from .core.workers import can_fork, forked
from .output.invariants import Provenance, violations
from .render.deal import Deal, affinity_order
from .render.env import Output, RenderEnv

_HEAP = threading.Lock()
_HEAP_HOLDERS = 0


@contextmanager
def steady_heap():
    """While a build runs, keep the cyclic collector off the objects that live through it.

    What exists now (and what `settle()` adds later, e.g. the project once read) moves to
    the collector's permanent generation: a full collection then scans only what the build
    made since, not the whole project and the preview's memory (on the 1000-story project,
    0.1-0.2 s each time one comes due, every few rebuilds). Everything goes back to the
    collector when the outermost holder is done, so nothing frozen stays uncollectable.
    """
    global _HEAP_HOLDERS
    with _HEAP:
        _HEAP_HOLDERS += 1
        gc.freeze()
    try:
        yield
    finally:
        with _HEAP:
            _HEAP_HOLDERS -= 1
            if _HEAP_HOLDERS == 0:
                gc.unfreeze()


def settle() -> None:
    """Inside steady_heap: what exists now lives through the build too (see there)."""
    with _HEAP:
        if _HEAP_HOLDERS:
            gc.freeze()


def provenance_mark(provenance: Provenance) -> str:
    """A short hash of what the project writes literally (invariant results depend on it)."""
    return digest(*sorted(provenance.literal))


#: Fewer messages than this render in this process: a pool costs more than it saves.
PARALLEL_FROM = 8
#: What forked workers render from: (env, variants, project, own memo, messages rendered before
#: the fork, (provenance, prefix, provenance mark) or None).
_JOB: tuple | None = None
_DEAL: Deal | None = None  # which of them each worker takes next (newsletter.render.deal)


def workers(jobs: int | None = None) -> int:
    """Processes to render with: `jobs` (newsletter build --jobs), else NEWSLETTER_JOBS, else
    the CPUs this process may use."""
    if jobs:
        return jobs
    wanted = os.environ.get("NEWSLETTER_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _rendered(variant: Variant, env: RenderEnv) -> tuple:
    """(subject, preheader, files, extra) of a variant rendered on its channel."""
    done = REGISTRY[variant.channel].render(variant, env)
    return done.subject, done.preheader, done.files, done.extra


def _render_one(index: int) -> tuple[int, tuple | None, dict[str, float], dict | None, tuple | None, dict]:
    """In a worker: render variant `index` of the job, run the checks that look at it alone and
    check its files for what must never be in them (newsletter.output.invariants).

    The rendered message is None when rendering failed (redone in the parent, which raises
    the real error); the findings are None when the checks could not run here. Last, what
    the text memos worked out for it (newsletter.core.memo), for the parent to keep, when
    a run that keeps them is under way.
    """
    env, variants, project, own_memo, rendered_before, invariants = _JOB
    env.timer = Timer()
    variant = variants[index]
    rendered = rendered_before.get(index)
    if rendered is None:
        try:
            rendered = _rendered(variant, env)
        except Exception:  # the parent renders it again and raises the real error with its traceback
            return index, None, env.timer.totals, None, None, {}
    output = Output(variant, *rendered)
    checked = clean = None
    if project is not None:
        with env.timer("check-alone"):
            try:
                checked = check_alone(project, output, own_memo)
            except Exception:  # e.g. an unknown check id: the parent's run says it in one line
                checked = None
    if invariants is not None:
        with env.timer("invariants-alone"):
            provenance, prefix, mark = invariants
            clean = (prefix, mark,
                     {name: violations({name: data}, provenance, prefix) for name, data in output.paths().items()})
    return index, rendered, env.timer.totals, checked, clean, take_fresh() if keeping() else {}


def _work():
    """In a worker: `_render_one` for each message the deal gives it (newsletter.render.deal)."""
    take_fresh()  # what the parent worked out before the fork is the parent's to keep
    _DEAL.join()
    while True:
        try:
            index = _DEAL.take()
        except IndexError:
            return
        yield _render_one(index)


def render_many(env: RenderEnv, variants: list[Variant], todo: list[int], project: Project | None = None,
                invariants: tuple[Provenance, str] | None = None, jobs: int | None = None):
    """(index, (subject, preheader, files, extra), findings, clean) for each variant in `todo`.

    With `project`, the workers also run the checks that look at each message alone, and
    with `invariants` (provenance, prefix) they check its files (findings and clean None for
    a message rendered here: the later stages do it).

    With enough of them, several CPUs and no other threads (a fork copies only the calling
    thread, and a lock another thread holds would stay locked in the child), the work goes to
    forked workers that inherit the project from memory; output is the same either way.
    Messages that share stories go to the same worker where they can (newsletter.render.deal),
    so a story's own work is done in one process, not in each; they come back as they are done
    (newsletter.core.workers: no thread of the parent's busy while they render).
    """
    global _JOB, _DEAL
    count = min(workers(jobs), len(todo))
    if count < 2 or len(todo) < PARALLEL_FROM or not can_fork():
        for index in todo:
            yield index, _rendered(variants[index], env), None, None
        return
    # The first message of each channel renders here, before the fork: the workers inherit
    # its compiled templates, parser and translations instead of each building their own.
    first = {}
    for index in todo:
        first.setdefault(variants[index].channel, index)
    rendered_before = {index: _rendered(variants[index], env) for index in first.values()}
    if project is None:
        for index, rendered in rendered_before.items():
            yield index, rendered, None, None
        todo = [index for index in todo if index not in rendered_before]
    # else those messages go to the workers too, to be checked there: the parent then never
    # loads what only the checks of one message need (the language model).
    # The provenance's mark is worked out once here, not once per message in the workers.
    _JOB = (RenderEnv(env.config, env.templates, env.styled, Timer()), variants, project, {}, rendered_before,
            (*invariants, provenance_mark(invariants[0])) if invariants is not None else None)
    _DEAL = Deal(affinity_order(variants, todo), count)
    # Objects the parent made so far move to a generation the collector leaves alone, so the
    # workers' collections do not write to (and so copy) every page they share with it.
    returned = set()
    try:
        with steady_heap():
            for index, done, totals, checked, clean, fresh in forked(count, _work):
                returned.add(index)
                absorb(fresh)
                for name, seconds in totals.items():  # the stages' CPU time, summed over workers
                    env.timer.totals[name] = env.timer.totals.get(name, 0.0) + seconds
                if done is None:
                    done = _rendered(variants[index], env)
                yield index, done, checked, clean
    finally:
        _JOB = _DEAL = None
    for index in todo:  # left by a worker that failed: rendered here, where an error is raised
        if index not in returned:
            yield index, _rendered(variants[index], env), None, None
