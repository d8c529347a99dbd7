"""Read a project folder into the content model, collecting every problem at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from ..core.diagnostics import Diagnostics, Location, relative
from ..core.validation import validate
from ..core.workers import can_fork, map_in_order
from . import channels
from .config import Loyalty, load_config
from .issuereader import read_issue
from .models import CUSTOMER_KINDS, Audience, Project, Story, StoryMeta
from .packreader import read_packs
from .reader_common import VersionedStory, front_matter, known, read_yaml, story_name

AUDIENCES_FILE = "content/audiences.yml"
STORIES_DIR = "content/stories"
ISSUES_DIR = "content/issues"


def load_project(root: Path, readers: int = 1) -> tuple[Project, Diagnostics]:
    """The project, validated, and its warnings; BuildError if anything is wrong. For the
    commands that read the project without building it (customers, suggest, results): they
    need not import the whole pipeline, which newsletter.build does. `readers`: see read_project."""
    diagnostics = Diagnostics()
    project = read_project(root, diagnostics, readers=readers)
    diagnostics.raise_if_errors()
    return project, diagnostics


def read_project(root: Path, diagnostics: Diagnostics, memo=None, readers: int = 1) -> Project:
    """Read config, audiences, stories and issues; cross-check every reference.

    `memo` (newsletter.cache.StoryMemo) hands back a story file read before with the same
    bytes and the same settings, with the findings it had, instead of reading it again.
    `readers` processes may read the story files (see _read_stories); the project and its
    findings are the same, in the same order, for any number.
    """
    config = load_config(root, diagnostics)
    loyalty = config.loyalty if config else Loyalty()
    default_locale = config.project.default_locale if config else "en"
    audiences, audience_lines = _read_audiences(root, diagnostics)
    assets: dict[str, bytes] = {}
    stories: dict[str, VersionedStory] = {}
    versions = []
    seen: dict[str, str] = {}
    story_files = sorted((root / STORIES_DIR).glob("**/*.md"))
    # In file order: what was found before reading a file (its name), then its read's index.
    steps: list[Diagnostics | int] = []
    to_read: list[tuple[Path, str, str]] = []
    for path in story_files:
        name = relative(path, root)
        before = Diagnostics()
        steps.append(before)
        named = story_name(path, name, before)
        if named is None:
            continue
        if named[1] is not None:
            versions.append((path, *named))  # read once every base file is known
            continue
        if named[0] in seen:
            # Folders are for the writer's order only: ids must stay unique across them.
            before.error(f"duplicate story id '{named[0]}': {seen[named[0]]} has the same file name",
                         Location(name), "duplicate")
            continue
        seen[named[0]] = name
        steps.append(len(to_read))
        to_read.append((path, name, named[0]))

    def read_one(entry: tuple[Path, str, str]) -> tuple[VersionedStory | None, list, dict[str, bytes]]:
        path, name, story_id = entry
        found, images = Diagnostics(), {}
        story = _read_story(root, path, found, audiences, loyalty, default_locale, config, images, story_id,
                            memo=memo, name=name)
        return story, found.items, images

    read = _read_stories(read_one, to_read, readers, memo)
    for step in steps:
        if isinstance(step, Diagnostics):
            diagnostics.extend(step)
            continue
        story, found, images = read[step]
        diagnostics.extend(found)
        assets.update(images)
        if story:
            stories[story.id] = story
    for path, story_id, tag in versions:
        if story_id in stories:
            _read_version(root, path, story_id, tag, stories[story_id], diagnostics, audiences, loyalty,
                          config, assets, memo)
        elif not any((root / STORIES_DIR).glob(f"**/{story_id}.md")):
            diagnostics.error(f"a version of story '{story_id}' but there is no {STORIES_DIR}/{story_id}.md: "
                              "write the base file first (the one issues name)",
                              Location(relative(path, root)), "no-base-story")
        # else the base file failed to read and was reported: its versions wait for it.
    # Stories whose file exists but failed to read are reported once, not again as unknown.
    present = {path.stem.split(".")[0] for path in story_files}
    issues = {}
    for path in sorted((root / ISSUES_DIR).glob("*.md")):
        issue = read_issue(root, path, diagnostics, audiences, stories, present)
        if issue:
            issues[issue.id] = issue
    packs = read_packs(root, diagnostics, audiences, stories, present)
    if not audiences and any(d.location and d.location.file == AUDIENCES_FILE for d in diagnostics.errors):
        # The audiences file itself is broken: every "unknown audience" would only repeat that.
        diagnostics.items = [d for d in diagnostics.items if d.code != "unknown-audience"]
    if not issues and not packs and not diagnostics.errors:
        diagnostics.warning(f"no issues found in {ISSUES_DIR}/", Location(ISSUES_DIR), "no-issues")
    return Project(root, config, audiences, audience_lines, stories, issues, assets, packs)


#: Fewer story files than this are read in this process: forking readers costs more than it saves.
PARALLEL_READ_FROM = 200


def _read_stories(read_one, to_read: list, readers: int, memo) -> list:
    """read_one(entry) for each story file to read, in order: shared among forked readers
    when there are many files, several `readers` and no other thread (a fork copies only the
    calling one), as long as what a reader keeps in `memo` outlives its process (the build
    cache writes each entry when it is put). The readers hand back the stories, their
    findings and their images; the rest of the read (versions, issues, packs) is done here."""
    if (readers < 2 or len(to_read) < PARALLEL_READ_FROM or not can_fork()
            or (memo is not None and not memo.kept_across_processes)):
        return [read_one(entry) for entry in to_read]
    return map_in_order(read_one, to_read, readers)


def read_changed_stories(project: Project, names: list[str], previous: list, memo=None) -> Project | None:
    """`project` (read before, with the findings `previous`) with the base story files `names`
    read again, or None when only a whole read gives what read_project would.

    The rest of a read depends on a story only through its id being present (issues and
    packs name stories by id) and, for its versions, its facts (FACTS). So a story file read
    again without findings, from a read that had none for it, with the same id, image and
    facts where it has versions, changes nothing else. Anything else (a version file, a new
    or failing file, another image) asks for a whole read.
    """
    config = project.config
    by_path = {story.path: story for story in project.stories.values()}
    stories = dict(project.stories)
    for name in names:
        old = by_path.get(name)
        if old is None or any(d.location and d.location.file == name for d in previous):
            return None
        found, images = Diagnostics(), {}
        story = _read_story(project.root, Path(project.root) / name, found, project.audiences, config.loyalty,
                            config.project.default_locale, config, images, old.id, memo=memo, name=name)
        if (found.items or story is None or story.id != old.id or story.locale != old.locale
                or story.image_url != old.image_url
                or any(project.assets.get(asset) != data for asset, data in images.items())):
            return None
        if old.versions:
            if any(getattr(story.meta, fact) != getattr(old.meta, fact) for fact in FACTS):
                return None
            story.versions = dict(old.versions)
        stories[story.id] = story
    return replace(project, stories=stories)


def _read_audiences(root: Path, diagnostics: Diagnostics):
    path = root / AUDIENCES_FILE
    if not path.is_file():
        diagnostics.error("no audiences file: describe your customer archetypes here",
                          Location(AUDIENCES_FILE), "no-audiences")
        return {}, {}
    parsed = read_yaml(root, path, diagnostics)
    if parsed is None:
        return {}, {}
    data, smap, _ = parsed
    if not isinstance(data, list) or not data:
        diagnostics.error("expected a list of audiences (each starting with '- id: ...')",
                          Location(AUDIENCES_FILE, 1, 1), "invalid")
        return {}, {}
    audiences: dict[str, Audience] = {}
    lines: dict[str, tuple[int, int]] = {}
    for index, item in enumerate(data):
        audience = validate(Audience, item, smap, AUDIENCES_FILE, diagnostics, prefix=(index,))
        if audience is None:
            continue
        line, col = smap.locate((index, "id"))
        if audience.id in audiences:
            diagnostics.error(f"duplicate audience id '{audience.id}'",
                              Location(AUDIENCES_FILE, line, col), "duplicate")
            continue
        channels.report_unknown(
            audience.channels,
            lambda position, index=index: Location(AUDIENCES_FILE,
                                                   *smap.locate((index, "channels", position))),
            diagnostics)
        audiences[audience.id] = audience
        lines[audience.id] = (line, col)
    return audiences, lines


def _read_story(root, path, diagnostics, audiences, loyalty, default_locale, config, assets,
                story_id, version_of: str | None = None, memo=None, name: str | None = None):
    """One story file; `version_of` is the locale tag of a version (<id>.<tag>.md).

    `name` is the file's project-relative path when the caller has it already.
    """
    name = name or relative(path, root)
    if memo is not None:
        # Every setting a story's read depends on (the memo keys it by these, not by the whole
        # newsletter.toml): its default locale, the loyalty tiers and the URL images are served from.
        settings = (default_locale, tuple(loyalty.tiers), config.project.base_url if config else "")
        return memo.read(path, name, (story_id, version_of, *settings), diagnostics, assets,
                         lambda found, images: _read_story(root, path, found, audiences, loyalty,
                                                           default_locale, config, images, story_id,
                                                           version_of, name=name))
    parsed = front_matter(root, path, diagnostics, name)
    if parsed is None:
        return None
    data, smap, body, body_line = parsed
    meta = validate(StoryMeta, data, smap, name, diagnostics)
    if meta is None:
        return None

    def at(*keys: Any) -> Location:
        line, col = smap.locate(keys)
        return Location(name, line, col)

    if meta.kind in CUSTOMER_KINDS and meta.customer is None:
        diagnostics.error(f"a {meta.kind} must name the customer it features (add 'customer:')",
                          at("kind"), "missing-customer")
    if meta.kind == "testimonial" and meta.quote is None:
        diagnostics.error("a testimonial needs a 'quote:' with the customer's words",
                          at("kind"), "missing-quote")
    if meta.kind == "case-study" and meta.case is None:
        diagnostics.error("a case study needs 'case:' with problem, action and result",
                          at("kind"), "missing-case")
    if meta.customer and meta.customer.tier not in loyalty.tiers:
        diagnostics.error(f"unknown loyalty tier '{meta.customer.tier}' (known: {', '.join(loyalty.tiers)})",
                          at("customer", "tier"), "unknown-tier")
    for index, audience in enumerate(meta.audiences or []):
        if audience not in audiences:
            diagnostics.error(f"unknown audience '{audience}'{known(audiences)}",
                              at("audiences", index), "unknown-audience")
    image_url = None
    if meta.image:
        image_url = _image(root, meta.image.src, at("image", "src"), diagnostics, config, assets)
    if version_of and meta.locale and meta.locale.lower() != version_of.lower():
        diagnostics.error(f"locale '{meta.locale}' contradicts the file name ({path.name}); "
                          f"a version's locale is the one in its name", at("locale"), "locale-mismatch")
    kind = Story if version_of else VersionedStory
    return kind(id=story_id, path=name, meta=meta, locale=version_of or meta.locale or default_locale,
                body_markdown=body, body_line=body_line, smap=smap,
                image_url=image_url)


#: What a story says about the world, which every version must say alike; versions
#: translate the words (title, summary, quote, case, metrics labels, cta, image alt, body).
FACTS = ("kind", "date", "customer", "consent", "audiences", "stages", "tags")


def _read_version(root, path, story_id, tag, base, diagnostics, audiences, loyalty, config, assets,
                  memo=None):
    """Read <id>.<tag>.md and attach it to its base story; facts must match the base."""
    name = relative(path, root)
    if any(t.lower() == tag.lower() for t in base.versions) or base.locale.lower() == tag.lower():
        diagnostics.error(f"story '{story_id}' already has a version in {tag} "
                          f"({base.versions.get(tag, base).path})", Location(name), "duplicate")
        return
    version = _read_story(root, path, diagnostics, audiences, loyalty, base.locale, config, assets,
                          story_id, version_of=tag, memo=memo, name=name)
    if version is None:
        return
    for fact in FACTS:
        mine, theirs = getattr(version.meta, fact), getattr(base.meta, fact)
        if mine != theirs:
            where = (fact,)
            if hasattr(mine, "model_dump") and hasattr(theirs, "model_dump"):
                a, b = mine.model_dump(), theirs.model_dump()
                where += tuple(k for k in a if a[k] != b[k])[:1]  # point at e.g. customer.tier
            line, col = version.smap.locate(where)
            diagnostics.error(f"'{'.'.join(where)}' differs from {base.path}: versions translate a story, its "
                              f"facts stay the same in every language (copy '{fact}' from the base file)",
                              Location(name, line, col), "version-mismatch")
            return
    base.versions[tag] = version


def _image(root, src, location, diagnostics, config, assets) -> str | None:
    """The URL an image is served from; a local file is checked and copied to assets/."""
    if src.startswith("https://"):
        return src
    if "://" in src or src.startswith(("data:", "//")):
        diagnostics.error(f"image src must be an https:// URL or a file under content/ (got {src!r})",
                          location, "bad-image")
        return None
    rel = PurePosixPath(src)
    content = (root / "content").resolve()
    target = (content / rel).resolve()
    if rel.is_absolute() or not target.is_relative_to(content):
        diagnostics.error(f"image path {src!r} must stay inside content/", location, "bad-image")
        return None
    if not target.is_file():
        diagnostics.error(f"image not found: content/{rel}", location, "missing-image")
        return None
    key = f"assets/{target.relative_to(content).as_posix()}"
    assets[key] = target.read_bytes()
    base = config.project.base_url.rstrip("/") if config else ""
    return f"{base}/{quote(key)}"  # a file name may hold spaces or non-ASCII letters


