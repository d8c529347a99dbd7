"""The results the build keeps: story reads, rendered messages, per-message findings.

Each memo turns "the inputs of this result" into a key (newsletter.cache.keys) and looks it
up in the store; a miss computes the result as if there were no cache and stores it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from ..compose.selection import build_variants, plan_record, replan, selects_alike
from ..core.diagnostics import Diagnostics
from ..output.invariants import literal_in_file, literal_kind
from ..output.uptodate import Digests
from .keys import ProjectKeys, digest
from .store import Store

ASSETS = "assets/"


class ProjectMemo:
    """A whole project read before from the same files, with the findings of that read.

    Its key is every file the read looks at (newsletter.toml, everything under content/,
    newsletter's code), so nothing is parsed, validated or cross-checked again when nothing
    changed. A read with errors is not kept: the next run reports them afresh.

    When only a few story files changed since the last whole read with the same settings
    (the base), the base is taken with those stories read again (`patch`, see
    newsletter.content.reader.read_changed_stories), and nothing new is stored: one story
    edit costs one story read, not the project's. The preview keeps the base in memory.
    """

    #: Changed story files past which a whole read (and a new base) is cheaper than patching.
    PATCH_LIMIT = 50

    def __init__(self, store: Store, keys: ProjectKeys):
        self.store, self.keys = store, keys

    def read(self, diagnostics: Diagnostics, compute: Callable[[Diagnostics], Any],
             patch: Callable[[Any, list[str], list], Any] | None = None):
        """The project, from the store, patched from the base by `patch(base, changed names,
        base findings)` (None: cannot), or by `compute(diagnostics)`."""
        files = self.keys.source_files()
        key = digest("project", self.keys.read_context(), self.keys.sources())
        base_key = digest("project-base", self.keys.read_context())
        base = self.store.get("project-base", base_key)
        if base is not None and base[0] == key:
            changed: list[str] | None = []
        elif base is not None and patch is not None and base[1].keys() == files.keys():
            changed = [name for name, content in files.items() if base[1][name] != content]
            changed = changed if len(changed) <= self.PATCH_LIMIT else None
        else:
            changed = None
        if changed is not None:
            kept = self._pristine(base[0])
            if kept is not None:
                pristine, found = kept
                project = patch(pristine, changed, found) if changed else replace(pristine, stories=dict(pristine.stories))
                if project is not None:
                    diagnostics.extend(found)
                    self._replan(base[0], pristine, project)
                    return project
        found = Diagnostics()
        project = compute(found)
        diagnostics.extend(found)
        if not found.errors:
            self.store.put("project", key, (project, found.items))
            self.store.put("project-base", base_key, (key, files))
            # The plan, for the reads patched from this one whose stories select alike.
            self.store.put("plan", key, plan_record(project, build_variants(project)))
            if self.store.memory is not None:
                self._pristine(key)  # a copy no build has used yet, for the next patch
        return project

    def _pristine(self, key: str):
        """(project, findings) of a whole read as it was read: from memory (the preview's,
        where only copies of it are handed out), else unpickled afresh (and kept there)."""
        memory = self.store.memory
        if memory is not None and ("pristine", key) in memory:
            self.store.used.add(("pristine", key))
            return memory["pristine", key]
        kept = self.store.get("project", key)
        if kept is not None and memory is not None:
            memory["pristine", key] = kept
            self.store.used.add(("pristine", key))
        return kept

    def _replan(self, key: str, pristine, project) -> None:
        """Give a project patched from the whole read `key` that read's plan, when every story
        it read again selects alike (newsletter.compose.selection.selects_alike): its words
        changed, not what decides which messages show it."""
        before = pristine.stories
        if project.stories.keys() != before.keys():
            return
        for story_id, story in project.stories.items():
            if story is not before[story_id] and not selects_alike(before[story_id], story):
                return
        record = self.store.get("plan", key)
        if isinstance(record, tuple):
            replan(project, record)


class StoryMemo:
    """Story files read before: the Story, its findings and the images it copied to assets/."""

    def __init__(self, store: Store, keys: ProjectKeys):
        self.store, self.keys = store, keys

    @property
    def kept_across_processes(self) -> bool:
        """Whether a story read in a forked reader is kept too: the store writes each entry
        as it is put (Store.write_through), instead of holding it in the reader's memory."""
        return self.store.direct and self.store.memory is None

    def read(self, path: Path, name: str, params: tuple, diagnostics: Diagnostics,
             assets: dict[str, bytes], compute: Callable[[Diagnostics, dict[str, bytes]], Any]):
        """The story at `path` (project-relative `name`, read with `params`: every setting of
        newsletter.toml the reader uses), from the store or by `compute`."""
        root = self.keys.root
        # The file's hash, read once per build and shared with the project's key: a story
        # found in the store is not read again.
        content = self.keys.file(name)
        if content == "-":  # unreadable: the reader says what is wrong with it
            return compute(diagnostics, assets)
        key = digest("story", self.keys.story_context(), name, content, repr(params))
        hit = self.store.get("stories", key)
        if hit is not None:
            story, found, images = hit
            # A base story gets its versions attached after the read: each read gets its own.
            # (None: the file did not read, and `found` says why.)
            if story is not None:
                story = replace(story, versions={}) if hasattr(story, "versions") else replace(story)
            copied = {}
            try:
                for asset in images:  # image bytes are part of the key (story_context): re-read
                    copied[asset] = (root / "content" / asset[len(ASSETS):]).read_bytes()
            except OSError:
                hit = None
            if hit is not None:
                diagnostics.extend(found)
                assets.update(copied)
                return story
        found, images = Diagnostics(), {}
        story = compute(found, images)
        diagnostics.extend(found)
        assets.update(images)
        if all(asset.startswith(ASSETS) for asset in images):
            # Pickled now: a base story's versions are attached to it later in the read.
            self.store.put("stories", key, (story, found.items, sorted(images)))
        return story


class MessageMemo:
    """Rendered messages and the findings of per-message checks, by message key."""

    def __init__(self, store: Store, keys: ProjectKeys, project):
        self.store, self.keys, self.project = store, keys, project
        self._keys: dict[str, str] = {}
        self.rendered_now: list[str] = []  # variant keys rendered in this run (not reused)
        self._file_digests: dict | None = None  # what `digests` found kept

    def key(self, variant) -> str:
        if variant.key not in self._keys:
            self._keys[variant.key] = self.keys.message(variant, self.project.stories.__getitem__)
        return self._keys[variant.key]

    def rendered(self, variant):
        """(subject, preheader, files, extra) of a variant rendered before, or None."""
        return self.store.get("messages", self.key(variant))

    def keep_rendered(self, variant, value) -> None:
        self.rendered_now.append(variant.key)
        self.store.put("messages", self.key(variant), value)

    def _findings_key(self, variant) -> str:
        # The message and every setting: a check's threshold changes what it finds.
        return digest("findings", self.key(variant), self.keys.checks())

    def findings(self, variant) -> dict[str, list]:
        """Per-message check findings by check id (see newsletter.checks.run)."""
        return self.store.get("findings", self._findings_key(variant)) or {}

    def keep_findings(self, variant, findings: dict[str, list]) -> None:
        self.store.put("findings", self._findings_key(variant), findings)

    def report_key(self, variants, expensive: bool) -> str:
        """What a whole check run depends on: every message, every source file, the settings.

        Checks across messages may read any story, issue or pack (a customer featured in
        another issue) and the shared inputs (customer exports, plugins, newsletter.toml).
        """
        return digest("report", self.keys.shared(), self.keys.checks(), self.keys.sources(), repr(expensive),
                      *[part for v in variants for part in (v.key, self.key(v))])

    def report(self, key: str):
        """The findings of a whole check run made before from the same inputs, or None."""
        return self.store.get("reports", key)

    def keep_report(self, key: str, value) -> None:
        self.store.put("reports", key, value)

    def literal_text(self) -> frozenset[str]:
        """What the project's content writes literally (newsletter.output.invariants.literal_text).

        The whole set is kept under the hashes of every story, issue and welcome-pack file
        and newsletter's code; each file's part under that file's hash, so after an edit
        only the changed files are read again (the union is the same set).
        """
        key = digest("literal", self.keys.code, self.keys.sources())
        found = self.store.get("literal", key)
        if isinstance(found, frozenset):
            return found
        root = self.keys.root
        each_key = digest("literal-files", self.keys.code)
        before = self.store.get("literal", each_key) or {}
        now: dict[str, tuple[str, bool, frozenset[str]]] = {}
        union: set[str] = set()
        # The files literal_files would list, as the keys listed and hashed them (a folder,
        # a broken link or an unreadable file hashes as '-').
        for name, sha in self.keys.source_files().items():
            parsed = literal_kind(name)
            if parsed is None or sha == "-":
                continue
            hit = before.get(name)
            if hit is not None and hit[0] == sha and hit[1] == parsed:
                part = hit[2]
            else:
                data = self.keys.changed.get(name)
                if data is None:  # kept under the hash of the bytes read here, should the file change meanwhile
                    with open(os.path.join(root, name), "rb") as handle:
                        data = handle.read()
                    sha = digest(data)
                part = literal_in_file(data, parsed)
            now[name] = (sha, parsed, part)
            union |= part
        found = frozenset(union)
        self.store.put("literal", key, found)
        self.store.put("literal", each_key, now)
        return found

    def digests(self, outputs=()) -> Digests:
        """Output files' SHA-256 for this build, not hashed again where known
        (newsletter.output.uptodate.Digests): in the preview's memory, the last rebuild's for
        the very same bytes; otherwise those kept with `keep_digests` for the files of each
        message in `outputs` taken from the cache (a message's files are a function of its key)."""
        memory = self.store.memory
        if memory is not None:
            before = memory.get(("digests", ""))
            made = Digests(before.now if isinstance(before, Digests) else None)
            memory["digests", ""] = made
            self.store.used.add(("digests", ""))
            return made
        table = self.store.get("file-digests", self._digests_key())
        self._file_digests = table if isinstance(table, dict) else {}
        known: dict[str, tuple[bytes, str]] = {}
        for output in outputs:
            kept = self._file_digests.get(self.key(output.variant))
            if kept is None:
                continue
            for name, data in output.files.items():
                hit = kept.get(name)
                if hit is not None and hit[0] == len(data):
                    known[f"{output.directory}/{name}"] = (data, hit[1])
        return Digests(known)

    def keep_digests(self, outputs, hashes: Digests) -> None:
        """Keep the SHA-256 (and size) of each message's files by message key, for `digests`:
        those `hashes` (its `now`, after `of`) made of the very bytes the message holds."""
        if self.store.memory is not None:
            return  # the preview keeps them in memory
        table = {}
        for output in outputs:
            mine = {}
            for name, data in output.files.items():
                hit = hashes.now.get(f"{output.directory}/{name}")
                if hit is not None and hit[0] is data:  # not a build-wide file in its place
                    mine[name] = (len(data), hit[1])
            table[self.key(output.variant)] = mine
        if table != self._file_digests:
            self.store.put("file-digests", self._digests_key(), table)

    def _digests_key(self) -> str:
        return digest("file-digests", self.keys.code)

    def verdicts(self, provenance: str, prefix: str) -> dict[str, tuple[str, list]]:
        """The invariant findings of the files the last build checked with this provenance
        and output prefix: {file name: (its bytes' SHA-256, findings)}. A finding is a pure
        function of the file's name and bytes, the provenance and newsletter's code."""
        return self.store.get("verdicts", self._verdicts_key(provenance, prefix)) or {}

    def keep_verdicts(self, provenance: str, prefix: str, verdicts: dict[str, tuple[str, list]]) -> None:
        self.store.put("verdicts", self._verdicts_key(provenance, prefix), verdicts)

    def _verdicts_key(self, provenance: str, prefix: str) -> str:
        return digest("verdicts", self.keys.code, provenance, prefix)
