"""What a cached result depends on, as hashes: newsletter's code, the project's files, a message.

Three levels, from what changes least to what changes most:

* the code fingerprint: every file of the installed package (code, templates, catalogs,
  data), the versions of the libraries that shape the output and the system font files
  printed letters are drawn with;
* the project's shared inputs: the settings of newsletter.toml that rendering reads (all
  but `[checks]` and `[smtp]`, which only the checks and sending read), templates/,
  translations/, fonts/, plugin modules (and, with plugins, every module they can import
  from the project folder), customer exports and everything under content/ that is not a
  story, issue or welcome-pack file (audiences, images, customer exports; not samples.yml,
  which only fills in recipients for the preview, send-test and export). A change there
  renders every message again;
* per message: its issue or pack file, and the files of each story it shows.

What the checks found in a message also depends on the whole of newsletter.toml
(`checks()`): tuning a threshold or a severity runs the checks again, renders nothing.

A story read depends on less (code, newsletter.toml, audiences, the images), so editing
a template does not make every story be read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..core.names import CONFIG_FILE, SAMPLES_FILE
from ..render.fonts import DEBIAN_FONTS

PACKAGE = Path(__file__).resolve().parent.parent
#: Libraries whose version changes what a build writes.
LIBRARIES = ("mjml-python", "markdown-it-py", "css-inline", "nh3", "babel", "jinja2", "pydantic",
             "pyyaml", "weasyprint", "markupsafe",
             # what the checks' facts kept between builds depend on (newsletter.cache.facts)
             "py3langid", "snowballstemmer", "PyStemmer", "hanzidentifier", "wordfreq")
#: Project files read per story, issue or welcome pack (keyed per message, not shared).
PER_MESSAGE = ("content/stories/", "content/issues/", "content/welcome/")
SHARED_FOLDERS = ("content", "templates", "translations", "fonts", "assets")
READ_INPUTS = (CONFIG_FILE, "content/audiences.yml")
#: Sections of newsletter.toml that no channel or template reads (the template context takes
#: brand, sender, list, project, utm and survey by name): the checks' and sending's own.
NOT_RENDER_SETTINGS = frozenset({"checks", "smtp"})
#: Read by the preview, send-test and export to fill in recipients, never by a build.
NOT_BUILD_INPUTS = (SAMPLES_FILE,)
_SKIP = {"__pycache__", ".git", ".DS_Store"}


def digest(*parts: bytes | str) -> str:
    """A short hash of several parts (each length-prefixed, so no two splits hash alike)."""
    # Small parts are joined and hashed in one update (the same hash as one update each, in
    # fewer calls); a large one (a customer export) is hashed where it is, not copied.
    hasher = hashlib.blake2b(digest_size=20)
    chunks: list[bytes] = []
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        chunks.append(len(data).to_bytes(8, "little"))
        if len(data) > 65536:
            hasher.update(b"".join(chunks))
            hasher.update(data)
            chunks = []
        else:
            chunks.append(data)
    hasher.update(b"".join(chunks))
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of newsletter's installed files and its libraries' versions (once per process)."""
    parts: list[bytes | str] = [sys.version]
    for name in LIBRARIES:
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "-"]
    for name in _files(str(PACKAGE)):
        parts += [name, (PACKAGE / name).read_bytes()]
    for name in sorted(p for paths in DEBIAN_FONTS.values() for p in paths):  # the letters' fonts
        try:
            info = os.stat(name)
            parts += [name, f"{info.st_size}:{info.st_mtime_ns}"]
        except OSError:
            parts += [name, "-"]
    return digest(*parts)


def _files(folder: str) -> list[str]:
    """The files under `folder` as sorted POSIX paths relative to it (strings: a project has
    thousands of files, and Path objects cost more than hashing them)."""
    out = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in _SKIP]
        prefix = os.path.relpath(base, folder).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        out += [prefix + name for name in names if name not in _SKIP and not name.endswith((".pyc", ".pyo"))]
    return sorted(out)


#: How much older than the moment it was hashed a file's last change must be for its hash to
#: be taken again on its size, times and inode alone. A later write sets its times to at
#: least that moment, less the file system's timestamp granularity (up to 2 s on FAT) and
#: the kernel's coarse clock: within this margin the times could miss a same-size edit.
RACY_NS = 3_000_000_000


def _stat(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns


class ProjectKeys:
    """Hashes of one project's files for one build; each file is read and hashed at most once.

    `known` is what an earlier build saw ({name: (size, mtime, inode, ctime, hash, hashed at)},
    its `seen`): a file whose size, times and inode are the same, last changed well before
    it was hashed (RACY_NS, like git's racy-clean rule), is not read again.
    """

    def __init__(self, root: Path, config=None, known: dict | None = None):
        self.root = Path(root)
        self._files: dict[str, str] = {}
        self.known = known or {}
        #: What this build saw of each file it hashed, for the next build's `known`.
        self.seen: dict[str, tuple] = {}
        #: The bytes of the files an earlier build saw and this one found changed and read
        #: (a handful after an edit), for whoever needs them next: not read twice.
        self.changed: dict[str, bytes] = {}
        self.stamp = time.time_ns()  # before any file is read: a file changed later is racy
        self.code = code_fingerprint()
        self.config = config
        self._shared: str | None = None
        self._read: str | None = None
        self._story: str | None = None
        self._sources: dict[str, str] | None = None
        self._stories: dict[tuple[str, ...], str] = {}
        self._story_ids: dict[str, tuple] = {}  # message(): (base story, its hash) by id
        self._all_sources: str | None = None

    def file(self, name: str) -> str:
        """Hash of a project file by its project-relative POSIX path ('-' when absent)."""
        if name not in self._files:
            path = os.path.join(self.root, name)
            try:
                info = os.stat(path)  # before the read: a write after it changes the times
            except OSError:
                info = None
            entry = self.known.get(name)
            if (info is not None and entry is not None and entry[:4] == _stat(info)
                    and stat.S_ISREG(info.st_mode) and max(info.st_mtime_ns, info.st_ctime_ns) < entry[5] - RACY_NS):
                self._files[name] = entry[4]
                self.seen[name] = entry
                return entry[4]
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                self._files[name] = "-"
            else:
                self._files[name] = digest(data)
                if entry is not None:
                    self.changed[name] = data
            if info is not None and stat.S_ISREG(info.st_mode) and self._files[name] != "-":
                self.seen[name] = (*_stat(info), self._files[name], self.stamp)
        return self._files[name]

    def sources(self) -> str:
        """Every story, issue and welcome-pack file of the project, used by a message or not."""
        if self._all_sources is None:
            self._all_sources = digest(*[part for name, content in self.source_files().items()
                                         for part in (name, content)])
        return self._all_sources

    def source_files(self) -> dict[str, str]:
        """The hash of every story, issue and welcome-pack file by name ('-' for a folder
        that is absent), listed once per build."""
        if self._sources is None:
            parts: list[str] = []
            for folder in PER_MESSAGE:
                parts += self._tree(folder.rstrip("/"))
            self._sources = dict(zip(parts[::2], parts[1::2]))
        return self._sources

    def _tree(self, folder: str, skip: tuple[str, ...] = ()) -> list[str]:
        base = os.path.join(self.root, folder)
        if not os.path.isdir(base):
            return [folder, "-"]
        out = []
        for name in _files(base):
            name = f"{folder}/{name}"
            if name in NOT_BUILD_INPUTS:
                continue
            if not name.startswith(skip) or not name.endswith((".md", ".yml", ".yaml")):
                out += [name, self.file(name)]
        return out

    def _importable(self) -> list[str]:
        """Every module a check plugin can import from the project folder (it is on sys.path):
        the .py files at its top and the packages (folders with __init__.py) beside them, so
        an edited helper module the plugin imports counts as much as the plugin."""
        out = []
        for entry in sorted(os.scandir(self.root), key=lambda e: e.name):
            if entry.name in _SKIP:
                continue
            if entry.name.endswith(".py") and entry.is_file():
                out += [entry.name, self.file(entry.name)]
            elif entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                out += self._tree(entry.name)
        return out

    def _assets(self) -> list[str]:
        """Files under content/ other than stories, issues and packs (images, audiences...)."""
        return self._tree("content", PER_MESSAGE)

    def story_context(self) -> str:
        """What reading any story file depends on besides its own bytes and the settings the
        reader hands it (newsletter.cache.memo.StoryMemo): the code, the project's place and
        the files under content/ beside stories, issues and packs (audiences, images). Not
        newsletter.toml: a change of brand or template settings keeps every story read."""
        if self._story is None:
            self._story = digest(self.code, str(self.root.resolve()), *self._assets())
        return self._story

    def read_context(self) -> str:
        """What reading the project depends on besides its story, issue and pack files."""
        if self._read is None:
            self._read = digest(self.story_context(),
                               *[part for name in READ_INPUTS for part in (name, self.file(name))])
        return self._read

    def render_settings(self) -> str:
        """The settings rendering reads: newsletter.toml's, less NOT_RENDER_SETTINGS (the
        whole file's hash when its settings are not known here)."""
        if self.config is None:
            return self.file(CONFIG_FILE)
        settings = self.config.model_dump(mode="json", exclude=set(NOT_RENDER_SETTINGS))
        # In the order written (no sort_keys): two orders give two keys, never one for both.
        return digest("render-settings", json.dumps(settings, ensure_ascii=False))

    def _named(self) -> tuple[list[str], list[str]]:
        """(customer exports, check plugin modules) that newsletter.toml names: from the
        settings when loaded, else from the file's text (the replay of an unchanged build
        decides before any settings model loads); ValueError when the text names them wrongly
        (then the build, reading the settings, says what is wrong)."""
        if self.config is not None:
            return self.config.customers.files, self.config.checks.plugins
        try:
            with open(os.path.join(self.root, CONFIG_FILE), "rb") as handle:
                settings = tomllib.load(handle)
        except FileNotFoundError:
            return [], []
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{CONFIG_FILE}: {exc}") from None
        named = []
        for table, key in (("customers", "files"), ("checks", "plugins")):
            section = settings.get(table, {})
            value = section.get(key, []) if isinstance(section, dict) else None
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ValueError(f"{CONFIG_FILE}: {table}.{key} is not a list of names")
            named.append(value)
        return named[0], named[1]

    def checks(self) -> str:
        """What the checks of a message depend on besides the message: every setting."""
        return digest("checks", self.file(CONFIG_FILE))

    def shared(self) -> str:
        """What rendering any message depends on besides its own sources."""
        if self._shared is None:
            parts = [self.story_context(), self.render_settings(),
                     *[part for name in READ_INPUTS if name != CONFIG_FILE for part in (name, self.file(name))],
                     os.environ.get("SOURCE_DATE_EPOCH", "")]
            for folder in SHARED_FOLDERS[1:]:
                parts += self._tree(folder)
            exports, plugins = self._named()  # customer exports and check plugins
            for name in exports:
                parts += [name, self.file(name)]
            for module in plugins:
                top = module.split(".")[0]
                parts += self._tree(top) if (self.root / top).is_dir() else [top, self.file(f"{top}.py")]
            if plugins:
                parts += self._importable()
            self._shared = digest(*parts)
        return self._shared

    def story(self, story) -> str:
        """A story with every version of it (the base file and each <id>.<locale>.md)."""
        base = getattr(story, "versions", None)
        names = (story.path, *sorted(v.path for v in (base or {}).values()))
        if names not in self._stories:  # a story goes out in many messages: hashed once per build
            self._stories[names] = digest(*[part for name in names for part in (name, self.file(name))])
        return self._stories[names]

    def message(self, variant, base_story) -> str:
        """A variant's key: shared inputs, its issue or pack file and its stories' files.

        `base_story(id)` gives the base story of an id, whose versions are all hashed.
        """
        parts = [self.shared(), variant.key, variant.channel, variant.locale, variant.issue.path,
                 self.file(variant.issue.path), variant.issue.kind, variant.issue.step]
        for section in variant.sections:
            parts += ["section", str(section.title), str(section.when)]
            for story in section.stories:
                base = base_story(story.id)
                known = self._story_ids.get(story.id)
                if known is None or known[0] is not base:  # hashed once per story, not per message
                    known = self._story_ids[story.id] = (base, self.story(base))
                parts += [story.id, story.path, known[1]]
        return digest(*parts)
