"""Read monthly issues, and check any issue-shaped message (issues and pack steps)."""

from __future__ import annotations

from typing import Any

from ..core import merge
from ..core.diagnostics import Diagnostics, Location, relative
from ..core.validation import validate
from . import channels
from .models import Issue, IssueMeta, IssueText
from .reader_common import front_matter, known, slug_ok


def _parse_tags(text: str, location: Location, diagnostics: Diagnostics) -> str:
    """Parse merge tags; report a bad tag at its own line and column."""
    try:
        return merge.parse(text)
    except merge.MergeSyntaxError as exc:
        before = text[:exc.offset]
        line = location.line + before.count("\n")
        # Later lines of a block scalar share its indentation, which `location.column` carries.
        column = (location.column - 1 + exc.offset - before.rfind("\n")) if "\n" in before \
            else location.column + exc.offset
        diagnostics.error(str(exc), Location(location.file, line, column), "merge-tag")
        return merge.strip_sentinels(text)


def value_location(loc: Location, lines: list[str] | None) -> Location:
    """Where a string's text starts: the next line for block scalars ('|', '>'), after a quote."""
    if not lines or not loc.line or loc.line > len(lines) or not loc.column:
        return loc
    rest = lines[loc.line - 1][loc.column - 1:]
    if rest.startswith(("|", ">")):
        following = lines[loc.line] if loc.line < len(lines) else ""
        indent = len(following) - len(following.lstrip(" "))
        return Location(loc.file, loc.line + 1, indent + 1)
    if rest.startswith(("'", '"')):
        return Location(loc.file, loc.line, loc.column + 1)
    return loc


def _issue_text(title, subject, preheader, intro, locs, diagnostics) -> IssueText:
    subject_t = _parse_tags(subject, locs["subject"], diagnostics)
    preheader_t = _parse_tags(preheader, locs["preheader"], diagnostics)
    intro_t = _parse_tags(intro, locs["intro"], diagnostics)
    return IssueText(title=title, subject=" ".join(subject_t.split()),
                     preheader=" ".join(preheader_t.split()),
                     intro_markdown=intro_t)


def read_issue(root, path, diagnostics, audiences, stories, present) -> Issue | None:
    """Read one monthly issue file (front matter + Markdown intro)."""
    name = relative(path, root)
    if not slug_ok(path, name, diagnostics):
        return None
    parsed = front_matter(root, path, diagnostics)
    if parsed is None:
        return None
    data, smap, body, body_line = parsed
    meta = validate(IssueMeta, data, smap, name, diagnostics)
    if meta is None:
        return None
    return make_issue(path.stem, name, meta, smap, (), body, Location(name, body_line, 1),
                      audiences, stories, present, diagnostics,
                      (root / name).read_text(encoding="utf-8").splitlines())


def make_issue(issue_id, name, meta, smap, prefix, body, body_loc, audiences, stories, present,
               diagnostics, lines: list[str] | None = None) -> Issue:
    """Cross-check an issue's (or pack step's) references and parse its merge tags.

    `prefix` is where the issue's keys sit in the file, so locations point at the right line.
    """

    def at(*keys: Any) -> Location:
        line, col = smap.locate(prefix + keys)
        return Location(name, line, col)

    def text_at(*keys: Any) -> Location:
        return value_location(at(*keys), lines)

    for index, audience in enumerate(meta.audiences or []):
        if audience not in audiences:
            diagnostics.error(f"unknown audience '{audience}'{known(audiences)}",
                              at("audiences", index), "unknown-audience")
    channels.report_unknown(meta.channels, lambda index: at("channels", index), diagnostics)
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
            line, col = smap.key(prefix + ("overrides", audience))
            diagnostics.error(f"override for audience '{audience}' that this issue does not go to",
                              Location(name, line, col), "unknown-audience")
    default = _issue_text(meta.title, meta.subject, meta.preheader, body,
                          {"subject": text_at("subject"), "preheader": text_at("preheader"), "intro": body_loc},
                          diagnostics)
    overrides = {}
    for audience, override in meta.overrides.items():
        def o_at(key: str, audience=audience) -> Location:
            line, col = smap.locate(prefix + ("overrides", audience, key))
            return value_location(Location(name, line, col), lines)

        # Only the overridden fields are parsed again, so a bad tag is reported once.
        overrides[audience] = IssueText(
            title=override.title or meta.title,
            subject=(" ".join(_parse_tags(override.subject, o_at("subject"), diagnostics).split())
                     if override.subject else default.subject),
            preheader=(" ".join(_parse_tags(override.preheader, o_at("preheader"), diagnostics).split())
                       if override.preheader is not None else default.preheader),
            intro_markdown=default.intro_markdown)
        if override.intro is not None:
            intro = _parse_tags(override.intro, o_at("intro"), diagnostics)
            overrides[audience].intro_markdown = intro
    return Issue(id=issue_id, path=name, meta=meta, default=default, overrides=overrides, smap=smap,
                 body_line=body_loc.line, prefix=prefix)
