"""Rebuild on save: watch the project's sources and re-render only the variants a change touches.

The last good Project and Outputs stay in memory. After a change the whole project is read
again (reading validates every file and is cheap), then a variant is rendered again only when

  * a file it is made from changed (its issue or pack file, one of its stories), or
  * its sections now hold other stories (a new, deleted or re-dated story changes picks), or
  * it is new, or
  * something every variant depends on changed (newsletter.toml, templates/, audiences,
    images, anything unrecognised): then all of them are.

Every other variant keeps its rendered files. Checks, the manifest and the index are redone
for all variants and the build is written with newsletter.output.writer, as `newsletter build` does.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import watchfiles

from ..build import BuildResult, Output, Timer, finish, load, render
from ..compose.selection import Variant, build_variants
from ..content.samples import SAMPLES_FILE, Sample, load_samples
from ..core.diagnostics import Diagnostics
from ..customers.samples_from_data import samples_from_project

CONFIG = "newsletter.toml"
SOURCE_DIRS = ("content", "templates")
STORIES = "content/stories/"
ISSUES = "content/issues/"


@dataclass
class Rebuild:
    """One successful (re)build: the result, the samples and what had to be rendered."""

    result: BuildResult
    samples: list[Sample]
    rendered: list[str]
    seconds: float


def _signature(variant: Variant) -> list[tuple]:
    return [(s.title, getattr(s, "when", None), [story.id for story in s.stories])
            for s in variant.sections]


def _sources(variant: Variant) -> set[str]:
    return {variant.issue.path, *(story.path for story in variant.stories)}


def render_only(project, variants: list[Variant], timer: Timer) -> dict[str, Output]:
    """Render the given variants only, keyed by variant."""
    return {output.variant.key: output for output in render(project, timer, variants=variants)}


class Rebuilder:
    """Keeps the last good build and turns a set of changed paths into a new one."""

    def __init__(self, root: Path, out_dir: Path | None = None):
        self.root = Path(root)
        self.out_dir = Path(out_dir) if out_dir else self.root / "build"
        self.last: BuildResult | None = None
        self.pending: set[str] = set()  # changes since the last good build

    def _everything(self, project, changed: set[str]) -> bool:
        if self.last is None:
            return True
        known = {v.issue.path for v in build_variants(self.last.project)}
        known |= {v.issue.path for v in build_variants(project)}
        for path in changed:
            if path == SAMPLES_FILE or path in known:
                continue
            if path.startswith((STORIES, ISSUES)):
                continue
            return True
        return False

    def rebuild(self, changed: set[str] | None = None) -> Rebuild:
        """Build again after `changed` (project-relative POSIX paths; None: everything).

        Raises BuildError on bad input; the last good build is kept and the changes are
        remembered, so the next successful rebuild includes them.
        """
        start = time.perf_counter()
        if changed is None:
            self.last = None
        self.pending |= changed or set()
        timer = Timer()
        with timer("read"):
            project, diagnostics = load(self.root)
            sample_diagnostics = Diagnostics()
            samples = load_samples(self.root, sample_diagnostics)
            # Customers from the export, anonymised as configured, show real situations.
            samples += samples_from_project(project, diagnostics=sample_diagnostics)
            sample_diagnostics.raise_if_errors()
        variants = build_variants(project)
        everything = self._everything(project, self.pending)
        previous = {o.variant.key: o for o in self.last.outputs} if self.last else {}
        todo = []
        for variant in variants:
            old = previous.get(variant.key)
            if (everything or old is None or _sources(variant) & self.pending
                    or _sources(old.variant) & self.pending
                    or _signature(variant) != _signature(old.variant)):
                todo.append(variant)
        with timer("render"):
            fresh = render_only(project, todo, timer)
        outputs = []
        for variant in variants:
            if variant.key in fresh:
                outputs.append(fresh[variant.key])
            else:
                # Same sources and same stories: the old files are what rendering would give.
                outputs.append(replace(previous[variant.key], variant=variant))
        result = finish(self.root, project, diagnostics.items + sample_diagnostics.items, outputs,
                        self.out_dir, timer=timer)
        self.last, self.pending = result, set()
        return Rebuild(result, samples, [v.key for v in todo], time.perf_counter() - start)


class Watcher:
    """Watches newsletter.toml, content/ and templates/ and calls `on_change(paths)`.

    Two watchfiles streams: the project folder itself, not recursively (newsletter.toml, and
    content/ or templates/ appearing), and content/ plus templates/ recursively. Watching
    the whole folder recursively would also watch build/, .git and virtualenvs.
    """

    def __init__(self, root: Path, on_change: Callable[[set[str]], None]):
        self.root = Path(root).resolve()
        self.on_change = on_change
        self.changes: queue.Queue[set[str]] = queue.Queue()
        self.stop_event = threading.Event()
        self._restart = threading.Event()
        self._top_ready = threading.Event()
        self._sources_ready = threading.Event()
        self._threads: list[threading.Thread] = []

    def _relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path

    def _top(self, change, path: str) -> bool:
        return Path(path).name in (CONFIG, *SOURCE_DIRS)

    def _stream(self, paths: list[Path], recursive: bool, stop: threading.Event, top: bool,
                ready: threading.Event) -> None:
        # yield_on_timeout: the first (empty) batch tells that the OS watches are in place.
        kwargs = dict(debounce=300, step=30, stop_event=stop, rust_timeout=100,
                      yield_on_timeout=True, raise_interrupt=False, recursive=recursive)
        if top:
            kwargs["watch_filter"] = self._top
        for batch in watchfiles.watch(*paths, **kwargs):
            ready.set()
            if not batch:
                continue
            names = {self._relative(path) for _, path in batch}
            if top and names & set(SOURCE_DIRS):
                self._restart.set()  # content/ or templates/ came or went: watch them anew
            self.changes.put(names)

    def _run_sources(self) -> None:
        while not self.stop_event.is_set():
            self._restart.clear()
            dirs = [self.root / name for name in SOURCE_DIRS if (self.root / name).is_dir()]
            stop = threading.Event()
            thread = None
            if dirs:
                thread = threading.Thread(target=self._stream,
                                          args=(dirs, True, stop, False, self._sources_ready),
                                          daemon=True, name="preview-watch-sources")
                thread.start()
            else:
                self._sources_ready.set()
            while not (self.stop_event.is_set() or self._restart.is_set()):
                self.stop_event.wait(0.1)
            stop.set()
            if thread:
                thread.join()

    def _run_builds(self) -> None:
        while not self.stop_event.is_set():
            try:
                names = self.changes.get(timeout=0.2)
            except queue.Empty:
                continue
            while True:  # one rebuild for everything saved at once
                try:
                    names |= self.changes.get(timeout=0.02)
                except queue.Empty:
                    break
            self.on_change(names)

    def start(self, timeout: float = 10.0) -> "Watcher":
        """Start watching; returns once the OS is watching, so no later save is missed."""
        targets = [(self._stream, ([self.root], False, self.stop_event, True, self._top_ready)),
                   (self._run_sources, ()), (self._run_builds, ())]
        for target, args in targets:
            thread = threading.Thread(target=target, args=args, daemon=True,
                                      name=f"preview-{target.__name__.strip('_')}")
            thread.start()
            self._threads.append(thread)
        self._top_ready.wait(timeout)
        self._sources_ready.wait(timeout)
        return self

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self._threads:
            thread.join(timeout=5)
