"""The pipeline: content -> compose -> render (channels) -> checks -> output, as small named stages.

    load      read and validate the project (newsletter.content)
    render    plan every variant (newsletter.compose) and render it on its channel
    finish    check every message (newsletter.checks), assemble the build-wide files and write
              them (newsletter.output)

With a Cache (newsletter.cache, on by default for `build`), each stage reuses what an
earlier build made from the same inputs: the project read (patched when only stories
changed), messages rendered, per-message findings, each file's invariant findings; a folder
that already holds the result is not rewritten, and one that holds part of it gets only
the files that changed (the others are linked into the new folder).
Messages left to render go to a fork-based process pool when there are enough of them.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .cache import ProjectKeys, Store
from .cache.keys import digest
from .cache.memo import MessageMemo, ProjectMemo, StoryMemo
from .cache.templates import TemplateCodeCache
from .channels import REGISTRY
from .checks.run import CheckReport, check_alone, prepare, run_checks
from .compose.selection import Variant, build_variants
from .content.config import Config
from .content.models import Project
from .content.reader import load_project, read_changed_stories, read_project
from .core.diagnostics import BuildError, Diagnostic, Diagnostics
from .output.indexpage import render_index
from .output.invariants import InvariantError, Provenance, literal_text, violations
from .output.manifest import dumps, file_entry, manifest
from .output.outdir import check as check_out_dir
from .output.outdir import project_sources
from .output.schedule import schedules
from .output.uptodate import Digests, files_digest, folder_state, held, reusable, unchanged
from .output.writer import Spare, Spares, source_date_epoch, write_tree
from .render.deal import Deal, affinity_order
from .render.templating import Templates
from .render.views import StyledHtml
from .render.workers import forked

Progress = Callable[[int, int, str], None]


class Timer:
    """Wall time per named step, for the summary and the benchmarks."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.totals[name] = self.totals.get(name, 0.0) + time.perf_counter() - start


@dataclass
class RenderEnv:
    """What every channel needs to render a variant."""

    config: Config
    templates: Templates
    styled: StyledHtml
    timer: Timer


@dataclass
class Output:
    variant: Variant
    subject: str
    preheader: str
    files: dict[str, bytes]
    extra: dict[str, Any]
    #: Findings of the checks that looked at this message alone, made by the render worker
    #: (newsletter.checks.run.check_alone); None when it was rendered here.
    checked: dict[str, list] | None = None
    #: (prefix, provenance mark, invariant findings by file path) of its files, made by the
    #: render worker.
    clean: tuple[str, str, dict[str, list]] | None = None

    @property
    def directory(self) -> str:
        return self.variant.directory

    def paths(self) -> dict[str, bytes]:
        """Its files by their path in the output folder."""
        return {f"{self.directory}/{name}": data for name, data in self.files.items()}


@dataclass
class BuildResult:
    project: Project
    outputs: list[Output]
    files: dict[str, bytes]
    diagnostics: list[Diagnostic]
    report: CheckReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    out_dir: Path | None = None
    rendered: list[str] | None = None  # keys of the variants rendered (None: all of them)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "warning"]


class Cache:
    """The build cache of one project (see newsletter.cache), for one build or rebuild."""

    def __init__(self, root: Path, memory: dict | None = None):
        self.root = Path(root)
        self.store = Store.for_project(self.root)
        self.store.memory = memory  # the preview keeps its rebuilds' results in memory too
        self._seen_key = digest("stat", str(self.root.resolve()))
        self._known = self.store.get("stat", self._seen_key)
        self.keys = ProjectKeys(self.root, known=self._known if isinstance(self._known, dict) else None)

    def flush(self) -> None:
        """Write what this build put in the cache, with what it saw of the project's files."""
        if self.keys.seen != self._known:
            self.store.put("stat", self._seen_key, self.keys.seen)
        self.store.flush()

    def stories(self) -> StoryMemo:
        return StoryMemo(self.store, self.keys)

    def project(self) -> ProjectMemo:
        return ProjectMemo(self.store, self.keys)

    def templates(self, project: Project) -> Templates:
        """The project's templates, compiled code kept in the cache."""
        return Templates(project.root, TemplateCodeCache(self.store))

    def messages(self, project: Project) -> MessageMemo:
        self.keys.config = project.config
        return MessageMemo(self.store, self.keys, project)


def cache_enabled() -> bool:
    """The cache is on unless NEWSLETTER_CACHE=0 (e.g. to time a build from scratch)."""
    return os.environ.get("NEWSLETTER_CACHE", "1") != "0"


def load(root: Path, cache: Cache | None = None) -> tuple[Project, Diagnostics]:
    """Stage 1, read: the project, validated; BuildError if anything is wrong."""
    if cache is None:
        return load_project(root)
    diagnostics = Diagnostics()
    stories = cache.stories()
    project = cache.project().read(diagnostics, lambda found: read_project(root, found, stories),
                                   lambda base, names, found: read_changed_stories(base, names, found, stories))
    diagnostics.raise_if_errors()
    return project, diagnostics


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


#: Fewer messages than this render in this process: a pool costs more than it saves.
PARALLEL_FROM = 8
_JOB: tuple | None = None  # what forked workers render from: (env, variants)
_DEAL: Deal | None = None  # which of them each worker takes next (newsletter.render.deal)


def workers() -> int:
    """Processes to render with: NEWSLETTER_JOBS, else the CPUs this process may use."""
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


def _render_one(index: int) -> tuple[int, tuple | None, dict[str, float], dict | None, tuple | None]:
    """In a worker: render variant `index` of the job, run the checks that look at it alone and
    check its files for what must never be in them (newsletter.output.invariants).

    The rendered message is None when rendering failed (redone in the parent, which raises
    the real error); the findings are None when the checks could not run here.
    """
    env, variants, project, own_memo, rendered_before, invariants = _JOB
    env.timer = Timer()
    variant = variants[index]
    rendered = rendered_before.get(index)
    if rendered is None:
        try:
            rendered = _rendered(variant, env)
        except Exception:  # the parent renders it again and raises the real error with its traceback
            return index, None, env.timer.totals, None, None
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
            provenance, prefix = invariants
            clean = (prefix, provenance_mark(provenance),
                     {name: violations({name: data}, provenance, prefix) for name, data in output.paths().items()})
    return index, rendered, env.timer.totals, checked, clean


def _work():
    """In a worker: `_render_one` for each message the deal gives it (newsletter.render.deal)."""
    _DEAL.join()
    while True:
        try:
            index = _DEAL.take()
        except IndexError:
            return
        yield _render_one(index)


def _render_many(env: RenderEnv, variants: list[Variant], todo: list[int], project: Project | None = None,
                 invariants: tuple[Provenance, str] | None = None):
    """(index, (subject, preheader, files, extra), findings, clean) for each variant in `todo`.

    With `project`, the workers also run the checks that look at each message alone, and
    with `invariants` (provenance, prefix) they check its files (findings and clean None for
    a message rendered here: the later stages do it).

    With enough of them, several CPUs and no other threads (a fork copies only the calling
    thread, and a lock another thread holds would stay locked in the child), the work goes to
    forked workers that inherit the project from memory; output is the same either way.
    Messages that share stories go to the same worker where they can (newsletter.render.deal),
    so a story's own work is done in one process, not in each; they come back as they are done
    (newsletter.render.workers: no thread of the parent's busy while they render).
    """
    global _JOB, _DEAL
    count = min(workers(), len(todo))
    fork = "fork" in multiprocessing.get_all_start_methods()
    if count < 2 or len(todo) < PARALLEL_FROM or not fork or threading.active_count() > 1:
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
    _JOB = (RenderEnv(env.config, env.templates, env.styled, Timer()), variants, project, {}, rendered_before,
            invariants)
    _DEAL = Deal(affinity_order(variants, todo), count)
    # Objects the parent made so far move to a generation the collector leaves alone, so the
    # workers' collections do not write to (and so copy) every page they share with it.
    returned = set()
    try:
        with steady_heap():
            for index, done, totals, checked, clean in forked(count, _work):
                returned.add(index)
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


def render(project: Project, timer: Timer, progress: Progress | None = None,
           variants: list[Variant] | None = None, memo: MessageMemo | None = None,
           templates: Templates | None = None, check: bool = True,
           invariants: tuple[Provenance, str] | None = None) -> list[Output]:
    """Stages 2-3, plan and render: every variant (or the given ones) on its channel.

    With `memo`, a variant whose inputs are unchanged since it was rendered is taken from the
    cache; the others are rendered (in parallel when there are many) and kept there.
    `templates` lets a long-running caller (the preview) keep its compiled templates.
    With `check`, render workers also run the checks that look at one message alone
    (Output.checked), and with `invariants` (provenance, prefix) they check its files
    (Output.clean), so those stages are spread over every core too.
    """
    if check:
        prepare(project)  # the project's own checks, imported before the workers fork
    env = RenderEnv(project.config, templates or Templates(project.root), StyledHtml(project.config),
                    timer)
    variants = build_variants(project) if variants is None else variants
    outputs: list[Output | None] = [None] * len(variants)
    todo = []
    done = 0
    for index, variant in enumerate(variants):
        kept = memo.rendered(variant) if memo is not None else None
        if kept is None:
            todo.append(index)
            continue
        outputs[index] = Output(variant, *kept)
        done += 1
        if progress:
            progress(done, len(variants), variant.key)
    for index, rendered, checked, clean in _render_many(env, variants, todo, project if check else None,
                                                        invariants):
        variant = variants[index]
        outputs[index] = Output(variant, *rendered, checked, clean)
        if memo is not None:
            memo.keep_rendered(variant, rendered)
        done += 1
        if progress:
            progress(done, len(variants), variant.key)
    return outputs  # type: ignore[return-value]


def assemble(project: Project, outputs: list[Output], report: CheckReport | None = None,
             digests: Digests | None = None) -> dict[str, bytes]:
    """Stage 5: every file of the build, with the manifest, the check report and the index page.

    `digests` hashes the files for the manifest and keeps their hashes for the writer."""
    digests = digests or Digests()
    files: dict[str, bytes] = dict(project.assets)
    rows = []
    for output in outputs:
        entries = []
        for name, data in sorted(output.files.items()):
            path = f"{output.directory}/{name}"
            files[path] = data
            entries.append(file_entry(path, data, digests(path, data)))
        v = output.variant
        row = {"kind": v.issue.kind, "issue": v.issue.id, "audience": v.audience.id, "channel": v.channel,
               "locale": v.locale, "subject": output.subject, "preheader": output.preheader,
               "date": v.issue.meta.date.isoformat(), "source": v.issue.path,
               "stories": [s.id for s in v.stories], "files": entries}
        if v.issue.kind == "welcome":
            row.update(pack=v.issue.pack, step=v.issue.step, day=v.issue.day)
        checked = report.for_key(v.key) if report else None
        if checked:
            row["checks"] = {"verdicts": checked.verdicts(), "errors": checked.count("error"),
                             "warnings": checked.count("warning")}
        rows.append(row)
    extra: dict[str, Any] = {"generator": f"newsletter {__version__}"}
    epoch = source_date_epoch()
    if epoch is not None:
        extra["source_date_epoch"] = epoch
    files.update(schedules(project, rows))
    for channel in REGISTRY.values():  # build-wide files of a channel, e.g. the web archive
        if hasattr(channel, "assemble"):
            files.update(channel.assemble(project, [o for o in outputs if o.variant.channel == channel.name]))
    files["manifest.json"] = manifest(rows, project.assets, extra, digests)
    if report is not None:
        files["report.json"] = dumps(report.to_dict())
    files["index.html"] = render_index(project.config.brand.name, rows)
    return files


#: The shape of the output folder's record in the cache (digest, state, file digests, file time).
OUTDIR_RECORD = "v2"


def provenance_mark(provenance: Provenance) -> str:
    """A short hash of what the project writes literally (invariant results depend on it)."""
    return digest(*sorted(provenance.literal))


def literal(project: Project, memo: MessageMemo | None = None) -> frozenset[str]:
    """What the project's content writes literally, from the cache when its files are unchanged."""
    if memo is None:
        return literal_text(project.root)
    return memo.literal_text()


def check_invariants(files: dict[str, bytes], outputs: list[Output], provenance: Provenance,
                     prefix: str, memo: MessageMemo | None = None,
                     digests: dict[str, str] | None = None) -> None:
    """Raise InvariantError if an output file breaks a rule (newsletter.output.invariants).

    A file's findings are a function of its name and bytes (and of the provenance and the
    code): with a memo and the files' `digests`, a file whose bytes were checked before is
    not read again; files the render workers checked (Output.clean) are taken from them.
    """
    mark = provenance_mark(provenance)
    checked: dict[str, list] = {}  # by the render workers, against the same provenance
    for output in outputs:
        if output.clean is not None and output.clean[:2] == (prefix, mark):
            checked.update(output.clean[2])
    known = memo.verdicts(mark, prefix) if memo is not None and digests is not None else {}
    now: dict[str, tuple[str, list]] = {}
    found = []
    for name in sorted(files):
        sha = digests[name] if digests is not None else ""
        hit = known.get(name)
        if hit is not None and hit[0] == sha:
            verdict = hit[1]
        elif name in checked:
            verdict = checked[name]
        else:
            verdict = violations({name: files[name]}, provenance, prefix)
        now[name] = (sha, verdict)
        found += verdict
    if memo is not None and digests is not None and now != known:
        memo.keep_verdicts(mark, prefix, now)
    if found:
        raise InvariantError(sorted(found, key=lambda d: d.location.file if d.location else ""))


def finish(root: Path, project: Project, diagnostics: list[Diagnostic], outputs: list[Output],
           out_dir: Path | None = None, *, strict: bool = False, full_checks: bool = False,
           timer: Timer | None = None, memo: MessageMemo | None = None,
           provenance: Provenance | None = None, spares: Spares | None = None) -> BuildResult:
    """Stages 4-6, check, assemble and write rendered outputs (shared with the preview's rebuilds).

    `provenance` is what the project writes literally, when the caller worked it out already.
    `spares` (with a memo) keeps the output each write replaces, to update it into the next
    one (newsletter.output.writer.Spare): for a long-running caller, the preview.
    """
    timer = timer or Timer()
    warnings = [d for d in diagnostics if d.severity.value == "warning"]
    if strict and warnings:
        raise BuildError(warnings)
    with timer("check"):
        report = run_checks(project, outputs, expensive=full_checks, memo=memo)
    hashes = memo.digests(outputs) if memo is not None else Digests()
    with timer("assemble"):
        files = assemble(project, outputs, report, hashes)
    out_dir = Path(out_dir) if out_dir else Path(root) / "build"
    with timer("invariants"):
        digests = None
        if memo is not None:
            digests = hashes.of(files)
            memo.keep_digests(outputs, hashes)
        provenance = provenance or Provenance(literal(project, memo))
        check_invariants(files, outputs, provenance, f"{out_dir.name}/", memo, digests)
    with timer("write"):
        sources = project_sources(root, project.config)
        epoch = source_date_epoch()
        if memo is None or digests is None:
            write_tree(out_dir, files, epoch, sources=sources)
        else:
            # A folder that already holds exactly these files, untouched since, stays as it is;
            # otherwise the files it holds with the same bytes are linked, not written again.
            tree = files_digest(files, epoch, digests)
            where = digest("out", OUTDIR_RECORD, str(out_dir.resolve()))
            record = memo.store.get("outdir", where)
            state = folder_state(out_dir)
            if not (unchanged(out_dir, tree, record, state) and check_out_dir(out_dir, sources)):
                write_tree(out_dir, files, epoch, sources=sources,
                           reuse=reusable(record, state, digests, epoch), digests=digests, spares=spares)
                if spares is not None and spares.taken is not None:  # the output just replaced
                    spares.spare = Spare(spares.taken, held(record, state), record[3] if record else None)
                memo.store.put("outdir", where, (tree, folder_state(out_dir), digests, epoch))
    return BuildResult(project, outputs, files, list(diagnostics), report, timer.totals, out_dir)


def build(root: Path, out_dir: Path | None = None, *, strict: bool = False,
          progress: Progress | None = None, full_checks: bool = False,
          cache: bool | None = None) -> BuildResult:
    """Read, render, check and write a project.

    Bad input raises BuildError and leaves build/ alone; an output folder newsletter may
    not replace (see newsletter.output.outdir) raises OutputRefused before anything is rendered.
    Check findings do not stop the build (the marketer needs to see the message to fix
    it); they go to report.json and the manifest, and the caller decides the exit code.
    `cache` (default: on unless NEWSLETTER_CACHE=0) reuses `.newsletter-cache/`; the files
    written are the same with or without it.
    """
    with steady_heap():
        return _build(Path(root), out_dir, strict=strict, progress=progress, full_checks=full_checks,
                      cache=cache)


def _build(root: Path, out_dir: Path | None, *, strict: bool, progress: Progress | None,
           full_checks: bool, cache: bool | None) -> BuildResult:
    """build(), inside steady_heap."""
    timer = Timer()
    store = Cache(root) if (cache_enabled() if cache is None else cache) else None
    with timer("read"):
        project, diagnostics = load(root, store)
    settle()  # the project lives through the build
    # A refused output folder is said before the work of rendering, not after.
    target = Path(out_dir) if out_dir else root / "build"
    check_out_dir(target, project_sources(root, project.config))
    memo = store.messages(project) if store else None
    with timer("invariants"):
        provenance = Provenance(literal(project, memo))
    with timer("render"):
        outputs = render(project, timer, progress, memo=memo, templates=store.templates(project) if store else None,
                         invariants=(provenance, f"{target.name}/"))
    result = finish(root, project, diagnostics.items, outputs, out_dir, strict=strict,
                    full_checks=full_checks, timer=timer, memo=memo, provenance=provenance)
    if store:
        with timer("cache"):
            store.flush()
        result.rendered = list(memo.rendered_now)
    return result
