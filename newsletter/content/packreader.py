"""Read welcome packs (content/welcome/<pack>.yml): each step becomes an issue-shaped message."""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Diagnostics, Location, relative
from ..core.validation import validate
from .issuereader import make_issue, value_location
from .models import IssueMeta, Pack, PackMeta
from .reader_common import read_yaml, slug_ok

PACKS_DIR = "content/welcome"


def read_packs(root: Path, diagnostics: Diagnostics, audiences, stories, present) -> dict[str, Pack]:
    packs = {}
    for path in sorted((root / PACKS_DIR).glob("*.yml")):
        pack = read_pack(root, path, diagnostics, audiences, stories, present)
        if pack:
            packs[pack.id] = pack
    for pack in packs.values():  # a version ends when the pack that replaces it goes live
        named = pack.meta.replaces
        if named and (named not in packs or named == pack.id):
            line, col = pack.smap.locate(("replaces",))
            diagnostics.error(f"replaces: no other welcome pack '{named}' (known: {', '.join(sorted(packs))})",
                              Location(pack.path, line, col), "unknown-pack")
    return packs


def read_pack(root: Path, path: Path, diagnostics: Diagnostics, audiences, stories, present) -> Pack | None:
    """Validate a pack and turn each step into an Issue dated like the pack."""
    name = relative(path, root)
    if not slug_ok(path, name, diagnostics):
        return None
    parsed = read_yaml(root, path, diagnostics)
    if parsed is None:
        return None
    data, smap, text = parsed
    meta = validate(PackMeta, data, smap, name, diagnostics)
    if meta is None:
        return None
    steps = []
    seen: set[str] = set()
    for index, step in enumerate(meta.steps):
        line, col = smap.locate(("steps", index, "id"))
        if step.id in seen:
            diagnostics.error(f"duplicate step id '{step.id}'", Location(name, line, col), "duplicate")
            continue
        seen.add(step.id)
        issue_meta = IssueMeta(title=step.title, subject=step.subject, preheader=step.preheader,
                               date=meta.date, audiences=meta.audiences,
                               channels=step.channels or meta.channels,
                               sections=step.sections, overrides=step.overrides)
        lines = text.splitlines()
        intro_line, intro_col = smap.locate(("steps", index, "intro"))
        intro_at = value_location(Location(name, intro_line, intro_col), lines)
        issue = make_issue(f"{path.stem}/{step.id}", name, issue_meta, smap, ("steps", index), step.intro,
                           intro_at, audiences, stories, present, diagnostics, lines)
        issue.kind, issue.pack, issue.step, issue.day = "welcome", path.stem, step.id, step.day
        steps.append(issue)
    return Pack(id=path.stem, path=name, meta=meta, steps=steps, smap=smap)
