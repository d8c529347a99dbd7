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
Messages left to render go to a fork-based process pool when there are enough of them
(newsletter.pool, which also keeps the collector off what lives through a build).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .cache import ProjectKeys, Store
from .cache.facts import Facts
from .cache.keys import digest
from .cache.store import cache_enabled
from .cache.memo import MessageMemo, ProjectMemo, StoryMemo
from .cache.templates import TemplateCodeCache
from .channels import REGISTRY
from .checks.run import CheckReport, prepare, run_checks
from .compose.selection import Variant, build_variants
from .content.config import load_config
from .content.models import Project
from .content.reader import load_project, read_changed_stories, read_project
from .core.diagnostics import BuildError, Diagnostic, Diagnostics
from .core.memo import reading_from, take_fresh
from .core.timing import Timer
from .output.indexpage import render_index
from .output.invariants import InvariantError, Provenance, literal_text, violations
from .output.manifest import dumps, file_entry, manifest
from .output.outdir import check as check_out_dir
from .output.outdir import project_sources
from .output.schedule import schedules
from .output.uptodate import Digests, files_digest, folder_state, held, reusable, unchanged
from .output.writer import Spare, Spares, source_date_epoch, write_tree
from .pool import provenance_mark, render_many, settle, steady_heap, workers
from .render.env import Output, RenderEnv
from .render.templating import Templates
from .render.views import StyledHtml

Progress = Callable[[int, int, str], None]


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
        #: Results of functions of text alone from earlier builds (read within `reading_from`).
        self.facts = Facts(self.store)

    def flush(self) -> None:
        """Write what this build put in the cache, with what it saw of the project's files and
        what the text memos worked out (newsletter.core.memo)."""
        if self.keys.seen != self._known:
            self.store.put("stat", self._seen_key, self.keys.seen)
        self.facts.keep(take_fresh())
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


def load(root: Path, cache: Cache | None = None, readers: int = 1) -> tuple[Project, Diagnostics]:
    """Stage 1, read: the project, validated; BuildError if anything is wrong. `readers`
    processes may read the story files (newsletter.content.reader.read_project)."""
    if cache is None:
        return load_project(root, readers)
    diagnostics = Diagnostics()
    stories = cache.stories()
    project = cache.project().read(diagnostics, lambda found: read_project(root, found, stories, readers),
                                   lambda base, names, found: read_changed_stories(base, names, found, stories))
    diagnostics.raise_if_errors()
    return project, diagnostics


def render(project: Project, timer: Timer, progress: Progress | None = None,
           variants: list[Variant] | None = None, memo: MessageMemo | None = None,
           templates: Templates | None = None, check: bool = True,
           invariants: tuple[Provenance, str] | None = None, jobs: int | None = None) -> list[Output]:
    """Stages 2-3, plan and render: every variant (or the given ones) on its channel.

    With `memo`, a variant whose inputs are unchanged since it was rendered is taken from the
    cache; the others are rendered (in parallel when there are many) and kept there.
    `templates` lets a long-running caller (the preview) keep its compiled templates.
    With `check`, render workers also run the checks that look at one message alone
    (Output.checked), and with `invariants` (provenance, prefix) they check its files
    (Output.clean), so those stages are spread over every core too. `jobs` is how many
    processes may render (default: newsletter.pool.workers()).
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
    for index, rendered, checked, clean in render_many(env, variants, todo, project if check else None,
                                                       invariants, jobs):
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
           provenance: Provenance | None = None, spares: Spares | None = None,
           jobs: int | None = None) -> BuildResult:
    """Stages 4-6, check, assemble and write rendered outputs (shared with the preview's rebuilds).

    `provenance` is what the project writes literally, when the caller worked it out already.
    `spares` (with a memo) keeps the output each write replaces, to update it into the next
    one (newsletter.output.writer.Spare): for a long-running caller, the preview.
    `jobs` threads write the files (default: newsletter.pool.workers()).
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
        threads = workers(jobs)
        if memo is None or digests is None:
            write_tree(out_dir, files, epoch, sources=sources, threads=threads)
        else:
            # A folder that already holds exactly these files, untouched since, stays as it is;
            # otherwise the files it holds with the same bytes are linked, not written again.
            tree = files_digest(files, epoch, digests)
            where = digest("out", OUTDIR_RECORD, str(out_dir.resolve()))
            record = memo.store.get("outdir", where)
            state = folder_state(out_dir)
            if not (unchanged(out_dir, tree, record, state) and check_out_dir(out_dir, sources)):
                write_tree(out_dir, files, epoch, sources=sources, reuse=reusable(record, state, digests, epoch),
                           digests=digests, spares=spares, threads=threads)
                if spares is not None and spares.taken is not None:  # the output just replaced
                    spares.spare = Spare(spares.taken, held(record, state), record[3] if record else None)
                memo.store.put("outdir", where, (tree, folder_state(out_dir), digests, epoch))
    return BuildResult(project, outputs, files, list(diagnostics), report, timer.totals, out_dir)


def build(root: Path, out_dir: Path | None = None, *, strict: bool = False,
          progress: Progress | None = None, full_checks: bool = False,
          cache: bool | None = None, jobs: int | None = None) -> BuildResult:
    """Read, render, check and write a project.

    Bad input raises BuildError and leaves build/ alone; an output folder newsletter may
    not replace (see newsletter.output.outdir) raises OutputRefused before anything is rendered.
    Check findings do not stop the build (the marketer needs to see the message to fix
    it); they go to report.json and the manifest, and the caller decides the exit code.
    `cache` (default: on unless NEWSLETTER_CACHE=0) reuses `.newsletter-cache/`; the files
    written are the same with or without it. `jobs` is how many processes render (default:
    NEWSLETTER_JOBS, else every CPU this process may use); the files are the same for any.
    """
    with steady_heap():
        return _build(Path(root), out_dir, strict=strict, progress=progress, full_checks=full_checks,
                      cache=cache, jobs=jobs)


def _build(root: Path, out_dir: Path | None, *, strict: bool, progress: Progress | None,
           full_checks: bool, cache: bool | None, jobs: int | None) -> BuildResult:
    """build(), inside steady_heap."""
    timer = Timer()
    store = Cache(root) if (cache_enabled() if cache is None else cache) else None
    with reading_from(store.facts if store else None):
        return _build_with(root, out_dir, store, timer, strict=strict, progress=progress,
                           full_checks=full_checks, jobs=jobs)


def _build_with(root: Path, out_dir: Path | None, store: Cache | None, timer: Timer, *, strict: bool,
                progress: Progress | None, full_checks: bool, jobs: int | None) -> BuildResult:
    """_build(), with the cache `store` (or None) and its facts readable."""
    target = Path(out_dir) if out_dir else root / "build"
    if store:
        # The output folder is checked against the settings before the read, so the cache
        # entries the read makes (each story) are written as they are made, not all held
        # to the end (38 MB on 5000 stories); a refused folder still leaves the project as it was.
        settings = load_config(root, Diagnostics())
        if settings is not None:
            check_out_dir(target, project_sources(root, settings))
            store.store.write_through()
    with timer("read"):
        project, diagnostics = load(root, store, workers(jobs))
    settle()  # the project lives through the build
    # A refused output folder is said before the work of rendering, not after.
    check_out_dir(target, project_sources(root, project.config))
    if store and not store.store.direct:  # the settings did not load before the read
        store.store.write_through()  # the output folder is one we may write: so is the cache
    memo = store.messages(project) if store else None
    with timer("invariants"):
        provenance = Provenance(literal(project, memo))
    with timer("render"):
        outputs = render(project, timer, progress, memo=memo, templates=store.templates(project) if store else None,
                         invariants=(provenance, f"{target.name}/"), jobs=jobs)
    result = finish(root, project, diagnostics.items, outputs, out_dir, strict=strict,
                    full_checks=full_checks, timer=timer, memo=memo, provenance=provenance, jobs=jobs)
    if store:
        with timer("cache"):
            store.flush()
        result.rendered = list(memo.rendered_now)
    return result
