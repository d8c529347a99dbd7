"""Which folders we may replace: the policy the writer applies before it touches an output folder.

`build`, `export` and `snapshot` replace their output folder as a whole, so a wrong `--out`
would delete whatever was there. A folder is replaced only when newsletter made it: it holds
our marker file (`.newsletter-output`), or the `manifest.json` an earlier version wrote.
Everything else is refused with one line, before anything is written: the project folder,
the sources the project reads (and any folder holding or inside one), symbolic links,
files, and non-empty folders of someone else's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from ..core.names import CONFIG_FILE

if TYPE_CHECKING:  # a type only: what names the output folder loads no settings model
    from ..content.config import Config

#: The file that says "newsletter made this folder and replaces it as a whole".
MARKER = ".newsletter-output"
MARKER_TEXT = (b"This folder was written by newsletter (build, export or snapshot).\n"
               b"The next run replaces it as a whole: keep no files of your own here.\n")
#: What earlier versions wrote into every output folder, and how they signed it.
LEGACY_MANIFEST = "manifest.json"
LEGACY_GENERATOR = "newsletter"

#: The build cache's folder in a project (newsletter.cache): never an output folder.
CACHE_DIR = ".newsletter-cache"
#: Folders and files of a project that newsletter reads, besides those named in newsletter.toml.
SOURCE_NAMES = (CONFIG_FILE, "content", "templates", "translations", "assets", CACHE_DIR)


class OutputRefused(BuildError):
    """An output folder newsletter must not replace; the CLI prints the one line and exits 2."""

    def __init__(self, path: str, message: str):
        super().__init__([Diagnostic(Severity.ERROR, message, Location(path), "unsafe-out")])


@dataclass(frozen=True)
class Sources:
    """The project folder and what it reads, each with the name shown to the user."""

    root: Path
    paths: tuple[tuple[str, Path], ...]


def project_sources(root: Path, config: Config | None = None) -> Sources:
    """Everything of the project at `root` an output folder must keep clear of."""
    root = Path(root).resolve()
    names = list(SOURCE_NAMES)
    if config is not None:
        names += config.customers.files
        for module in config.checks.plugins:  # `a.b` is a.py or the package folder a/
            top = module.split(".")[0]
            names += [top, f"{top}.py"]
    paths = tuple((name, (root / name).resolve()) for name in dict.fromkeys(names))
    return Sources(root, paths)


def is_ours(folder: Path) -> bool:
    """True for a real folder newsletter wrote: our marker, or an earlier version's manifest."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    manifest = folder / LEGACY_MANIFEST
    if not manifest.is_file() or manifest.is_symlink():
        return False
    try:
        generator = json.loads(manifest.read_bytes()).get("generator", "")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(generator, str) and generator.startswith(LEGACY_GENERATOR)


def is_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def check(out_dir: Path, sources: Sources) -> Path:
    """The real path of `out_dir` when newsletter may replace it; OutputRefused otherwise."""
    out_dir = Path(out_dir)
    shown = _shown(out_dir, sources.root)
    if out_dir.is_symlink():
        raise OutputRefused(shown, "the output folder is a symbolic link, and replacing it would empty "
                                   "the folder it points to: give the real folder, or a new one")
    target = out_dir.resolve()
    if target.exists() and not target.is_dir():
        raise OutputRefused(shown, "this is a file, not a folder: choose a new folder for the output "
                                   "(newsletter never replaces a file)")
    if target == sources.root:
        raise OutputRefused(shown, "this is the project folder itself: choose a new folder inside it, "
                                   "such as build")
    if target.parent == target:
        raise OutputRefused(shown, "the output cannot be the root of the file system: choose a new folder")
    for name, path in sources.paths:
        if target == path or target.is_relative_to(path):
            where = "is" if target == path else "lies inside"
            raise OutputRefused(shown, f"the output folder {where} {name}, which the project reads: "
                                       "choose a folder outside the sources, such as build")
        if path.is_relative_to(target):
            raise OutputRefused(shown, f"the output folder holds {name}, which the project reads: "
                                       "choose a folder of its own, such as build")
    if target.is_dir() and not is_empty(target) and not is_ours(target):
        raise OutputRefused(shown, f"this folder is not empty and newsletter did not make it (no {MARKER} "
                                   "inside), so it is not replaced: choose a new or empty folder")
    return target


def _shown(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the project when it is inside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)
