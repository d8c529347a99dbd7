"""Read a project folder into the content model, collecting every problem at once."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from . import channels, merge
from .config import Config, Loyalty, load_config
from .diagnostics import Diagnostics, Location, relative
from .markdown import to_html
from .models import (CUSTOMER_KINDS, Audience, Issue, IssueMeta, IssueText, Project, Story,
                     StoryMeta)
from .sourcemap import SourceError, SourceMap, load_yaml, split_front_matter
from .validation import validate

AUDIENCES_FILE = "content/audiences.yml"
STORIES_DIR = "content/stories"
ISSUES_DIR = "content/issues"


def read_project(root: Path, diagnostics: Diagnostics) -> Project:
    """Read config, audiences, stories and issues; cross-check every reference."""
    config = load_config(root, diagnostics)
    loyalty = config.loyalty if config else Loyalty()
    default_locale = config.project.default_locale if config else "en"
    audiences, audience_lines = _read_audiences(root, diagnostics)
    assets: dict[str, bytes] = {}
    stories = {}
    for path in sorted((root / STORIES_DIR).glob("**/*.md")):
        story = _read_story(root, path, diagnostics, audiences, loyalty, default_locale,
                            config, assets)
        if story:
            stories[story.id] = story
    # Stories whose file exists but failed to read are reported once, not again as unknown.
    present = {path.stem for path in (root / STORIES_DIR).glob("**/*.md")}
    issues = {}
    for path in sorted((root / ISSUES_DIR).glob("*.md")):
        issue = _read_issue(root, path, diagnostics, audiences, stories, present)
        if issue:
            issues[issue.id] = issue
    if not issues and not diagnostics.errors:
        diagnostics.warning(f"no issues found in {ISSUES_DIR}/", Location(ISSUES_DIR), "no-issues")
    return Project(root, config, audiences, audience_lines, stories, issues, assets)


def _read_text(root: Path, path: Path, diagnostics: Diagnostics) -> str | None:
    name = relative(path, root)
    try:
        return merge.strip_sentinels(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not UTF-8 text (byte {exc.start}: {exc.reason}); save the file as UTF-8",
                          Location(name), "encoding")
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror}", Location(name), "io")
    return None


def _read_audiences(root: Path, diagnostics: Diagnostics):
    path = root / AUDIENCES_FILE
    if not path.is_file():
        diagnostics.error("no audiences file: describe your customer archetypes here",
                          Location(AUDIENCES_FILE), "no-audiences")
        return {}, {}
    text = _read_text(root, path, diagnostics)
    if text is None:
        return {}, {}
    try:
        data, smap = load_yaml(text)
    except SourceError as exc:
        diagnostics.error(exc.message, Location(AUDIENCES_FILE, exc.line, exc.column), "syntax")
        return {}, {}
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
        for position, name in enumerate(audience.channels):
            if name not in channels.REGISTRY:
                cl, cc = smap.locate((index, "channels", position))
                diagnostics.error(f"unknown channel '{name}' (known: {', '.join(channels.REGISTRY)})",
                                  Location(AUDIENCES_FILE, cl, cc), "unknown-channel")
        audiences[audience.id] = audience
        lines[audience.id] = (line, col)
    return audiences, lines


def _front_matter(root: Path, path: Path, diagnostics: Diagnostics):
    """(data, smap, body, body_line) of a Markdown file with front matter, or None."""
    name = relative(path, root)
    text = _read_text(root, path, diagnostics)
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


def _slug_ok(path: Path, name: str, diagnostics: Diagnostics) -> bool:
    stem = path.stem
    if stem and stem.replace("-", "").isalnum() and stem.isascii() and stem == stem.lower():
        return True
    diagnostics.error(f"file name '{path.name}' must be lower-case ASCII letters, digits and '-' "
                      "(it becomes the id)", Location(name), "bad-name")
    return False


def _read_story(root, path, diagnostics, audiences, loyalty, default_locale, config, assets):
    name = relative(path, root)
    if not _slug_ok(path, name, diagnostics):
        return None
    parsed = _front_matter(root, path, diagnostics)
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
            diagnostics.error(f"unknown audience '{audience}'{_known(audiences)}",
                              at("audiences", index), "unknown-audience")
    image_url = None
    if meta.image:
        image_url = _image(root, meta.image.src, at("image", "src"), diagnostics, config, assets)
    return Story(id=path.stem, path=name, meta=meta, locale=meta.locale or default_locale,
                 body_markdown=body, body_html=to_html(body), body_line=body_line, smap=smap,
                 image_url=image_url)


def _known(names) -> str:
    return f" (known: {', '.join(sorted(names))})" if names else ""


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
    return f"{base}/{key}"


def _parse_tags(text: str, location: Location, diagnostics: Diagnostics) -> str:
    """Parse merge tags; report a bad tag at its own line and column."""
    try:
        return merge.parse(text)
    except merge.MergeSyntaxError as exc:
        before = text[:exc.offset]
        line = location.line + before.count("\n")
        column = (exc.offset - before.rfind("\n")) if "\n" in before else location.column + exc.offset
        diagnostics.error(str(exc), Location(location.file, line, column), "merge-tag")
        return merge.strip_sentinels(text)


def _issue_text(title, subject, preheader, intro, locs, diagnostics) -> IssueText:
    subject_t = _parse_tags(subject, locs["subject"], diagnostics)
    preheader_t = _parse_tags(preheader, locs["preheader"], diagnostics)
    intro_t = _parse_tags(intro, locs["intro"], diagnostics)
    return IssueText(title=title, subject=" ".join(subject_t.split()),
                     preheader=" ".join(preheader_t.split()),
                     intro_markdown=intro_t, intro_html=to_html(intro_t))


def _read_issue(root, path, diagnostics, audiences, stories, present) -> Issue | None:
    name = relative(path, root)
    if not _slug_ok(path, name, diagnostics):
        return None
    parsed = _front_matter(root, path, diagnostics)
    if parsed is None:
        return None
    data, smap, body, body_line = parsed
    meta = validate(IssueMeta, data, smap, name, diagnostics)
    if meta is None:
        return None

    def at(*keys: Any) -> Location:
        line, col = smap.locate(keys)
        return Location(name, line, col)

    for index, audience in enumerate(meta.audiences or []):
        if audience not in audiences:
            diagnostics.error(f"unknown audience '{audience}'{_known(audiences)}",
                              at("audiences", index), "unknown-audience")
    for index, channel in enumerate(meta.channels):
        if channel not in channels.REGISTRY:
            diagnostics.error(f"unknown channel '{channel}' (known: {', '.join(channels.REGISTRY)})",
                              at("channels", index), "unknown-channel")
    for s_index, section in enumerate(meta.sections):
        if (section.stories is None) == (section.pick is None):
            diagnostics.error("a section needs either 'stories:' (ids) or 'pick:' (a rule), not both",
                              at("sections", s_index), "bad-section")
        for index, story_id in enumerate(section.stories or []):
            if story_id not in stories and story_id not in present:
                diagnostics.error(f"unknown story '{story_id}': no content/stories/{story_id}.md",
                                  at("sections", s_index, "stories", index), "unknown-story")
    for audience in meta.overrides:
        if audience not in audiences or (meta.audiences and audience not in meta.audiences):
            line, col = smap.key(("overrides", audience))
            diagnostics.error(f"override for audience '{audience}' that this issue does not go to",
                              Location(name, line, col), "unknown-audience")
    body_loc = Location(name, body_line, 1)
    default = _issue_text(meta.title, meta.subject, meta.preheader, body,
                          {"subject": at("subject"), "preheader": at("preheader"), "intro": body_loc},
                          diagnostics)
    overrides = {}
    for audience, override in meta.overrides.items():
        def o_at(key: str, audience=audience) -> Location:
            line, col = smap.locate(("overrides", audience, key))
            return Location(name, line, col)

        # Only the overridden fields are parsed again, so a bad tag is reported once.
        intro_loc = o_at("intro")
        overrides[audience] = IssueText(
            title=override.title or meta.title,
            subject=(" ".join(_parse_tags(override.subject, o_at("subject"), diagnostics).split())
                     if override.subject else default.subject),
            preheader=(" ".join(_parse_tags(override.preheader, o_at("preheader"), diagnostics).split())
                       if override.preheader is not None else default.preheader),
            intro_markdown=default.intro_markdown, intro_html=default.intro_html)
        if override.intro is not None:
            # Block scalars ('|') start on the line after the key.
            intro = _parse_tags(override.intro, Location(name, intro_loc.line + 1, 1), diagnostics)
            overrides[audience].intro_markdown = intro
            overrides[audience].intro_html = to_html(intro)
    return Issue(id=path.stem, path=name, meta=meta, default=default, overrides=overrides, smap=smap,
                 body_line=body_line)
