"""Helpers every content reader shares: reading UTF-8, front matter, ids from file names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..core import merge
from ..core.diagnostics import Diagnostics, Location, relative
from ..core.sourcemap import SourceError, load_yaml, split_front_matter
from .models import Story
from ..core.textcheck import byte_location, characters_ok

# content/stories/<id>.<locale>.md: a version of story <id> in another language.
_VERSION_NAME = re.compile(r"^(?P<id>[^.]+)\.(?P<locale>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$")


@dataclass
class VersionedStory(Story):
    """A story read from its base file <id>.md, with its versions in other locales
    (<id>.<locale>.md) by locale tag. Issues and picks name the base id only."""

    versions: dict[str, Story] = field(default_factory=dict)


def read_text(root: Path, path: Path, diagnostics: Diagnostics, name: str | None = None) -> str | None:
    """The UTF-8 text of a source file, or None once every reason it cannot be read is reported."""
    name = name or relative(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not UTF-8 text ({exc.reason}); save the file as UTF-8",
                          byte_location(name, exc), "encoding")
        return None
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror}", Location(name), "io")
        return None
    if not characters_ok(name, text, diagnostics):
        return None
    return merge.strip_sentinels(text)


def read_export(path: Path, name: str, diagnostics: Diagnostics) -> str | None:
    """The text of a file another program exported (customer data, provider results): UTF-8,
    with or without the byte-order mark spreadsheet programs write; None once reported."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not UTF-8 text ({exc.reason}); export it again as UTF-8 "
                          "(in a spreadsheet: CSV UTF-8)", byte_location(name, exc), "encoding")
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror}", Location(name), "io")
    return None


def front_matter(root: Path, path: Path, diagnostics: Diagnostics, name: str | None = None):
    """(data, smap, body, body_line) of a Markdown file with front matter, or None (`name`:
    its project-relative path, when the caller has it)."""
    name = name or relative(path, root)
    text = read_text(root, path, diagnostics, name)
    if text is None:
        return None
    try:
        front, body, body_line = split_front_matter(text)
        data, smap = load_yaml(front, line_offset=1)
    except SourceError as exc:
        diagnostics.error(exc.message, Location(name, exc.line, exc.column), "syntax")
        return None
    if not isinstance(data, dict):
        diagnostics.error("front matter must be a mapping of keys to values",
                          Location(name, 2, 1), "invalid")
        return None
    return data, smap, body, body_line


def read_yaml(root: Path, path: Path, diagnostics: Diagnostics):
    """(data, smap, text) of a YAML file, or None after reporting why it cannot be read."""
    text = read_text(root, path, diagnostics)
    if text is None:
        return None
    try:
        data, smap = load_yaml(text)
    except SourceError as exc:
        diagnostics.error(exc.message, Location(relative(path, root), exc.line, exc.column), "syntax")
        return None
    return data, smap, text


def slug_ok(path: Path, name: str, diagnostics: Diagnostics) -> bool:
    stem = path.stem
    if stem and stem.replace("-", "").isalnum() and stem.isascii() and stem == stem.lower():
        return True
    diagnostics.error(f"file name '{path.name}' must be lower-case ASCII letters, digits and '-' "
                      "(it becomes the id)", Location(name), "bad-name")
    return False


def story_name(path: Path, name: str, diagnostics: Diagnostics) -> tuple[str, str | None] | None:
    """(id, locale) of a story file: (id, None) for <id>.md, (id, tag) for <id>.<tag>.md."""
    match = _VERSION_NAME.match(path.stem)
    if not match:
        return (path.stem, None) if slug_ok(path, name, diagnostics) else None
    story_id, tag = match.group("id"), match.group("locale")
    if not slug_ok(path.with_name(f"{story_id}.md"), name, diagnostics):
        return None
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        diagnostics.error(f"'{tag}' in '{path.name}' is not a locale: name a story's version "
                          f"<id>.<locale>.md, e.g. {story_id}.pt-BR.md", Location(name), "bad-name")
        return None
    return story_id, tag


def known(names) -> str:
    return f" (known: {', '.join(sorted(names))})" if names else ""
