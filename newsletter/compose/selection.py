"""Choose, for each issue x audience x channel, which stories go in which section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..content.channels import is_companion
from ..content.models import (
    SOCIAL_PROOF_KINDS,
    Audience,
    Issue,
    IssueText,
    Pick,
    Project,
    Story,
)
from ..content.reader_common import VersionedStory
from .paths import channel_directory


@dataclass
class SectionView:
    title: str
    stories: list[Story]
    when: str | None = None  # shown only to recipients for whom this condition holds
    layout: str | None = None  # "teaser" or "full"; None: the issue's layout


@dataclass
class Variant:
    """One message to build: an issue for one audience on one channel."""

    issue: Issue
    audience: Audience
    channel: str
    text: IssueText
    sections: list[SectionView]
    locale: str

    @property
    def key(self) -> str:
        return f"{self.issue.id}/{self.audience.id}/{self.channel}"

    @property
    def directory(self) -> str:
        """Where this variant's files go under build/ (a channel may keep its own folder)."""
        return channel_directory(self.channel, self.issue, self.audience.id)

    @property
    def stories(self) -> list[Story]:
        return [story for section in self.sections for story in section.stories]


def channels_for(issue: Issue, audience: Audience) -> list[str]:
    """The channels an audience gets an issue on: those of the issue's channels it prefers,
    plus companion channels (web: the page "view in browser" opens) for everyone.

    An audience that prefers none of the issue's channels gets all of them, so question 4
    fails loudly instead of the audience silently getting nothing.
    """
    listed = issue.meta.channels
    if not set(listed) & set(audience.channels):
        return list(listed)
    return [c for c in listed if c in audience.channels or is_companion(c)]


def _versions_of(story: Story) -> dict[str, Story]:
    """A story's versions in other locales by tag (none for a version, or a plain Story)."""
    return story.versions if isinstance(story, VersionedStory) else {}


def version_for(story: Story, locale: str) -> Story:
    """The version of a story written for `locale`.

    In order: the version in exactly that locale, then one in the bare language (pt for
    pt-BR), then one in another region of the same language (pt-PT for pt-BR), then the
    base file <id>.md. The base file counts as a version in its own `locale`.
    """
    versions = _versions_of(story)
    candidates = [story] + [versions[tag] for tag in sorted(versions)]
    wanted = locale.lower()
    language = wanted.split("-")[0]
    for fits in (lambda s: s.locale.lower() == wanted, lambda s: s.locale.lower() == language,
                 lambda s: s.locale.lower().split("-")[0] == language):
        for candidate in candidates:
            if fits(candidate):
                return candidate
    return story


def featured(variant: "Variant", top_tiers: list[str]) -> Story | None:
    """The story a short channel (SMS, a printed letter) leads with: a top-tier customer's
    story, else any customer story, else the first story. Stories in conditional sections
    are left out: not every recipient may see them."""
    shown = [s for section in variant.sections if not section.when for s in section.stories]
    proof = [s for s in shown if s.meta.kind in SOCIAL_PROOF_KINDS and s.meta.customer]
    best = [s for s in proof if s.meta.customer.tier in top_tiers]
    for group in (best, proof, shown):
        if group:
            return group[0]
    return None


def suits(story: Story, audience: Audience) -> bool:
    """A story suits an audience it names (or names none) in a stage the audience is in."""
    if not story.suits(audience):
        return False
    stages = story.meta.stages
    return stages is None or bool(set(stages) & set(audience.stages))


def _matches(story: Story, rule: Pick) -> bool:
    meta = story.meta
    if rule.kind and meta.kind not in rule.kind:
        return False
    if rule.tags and not set(rule.tags) & set(meta.tags):
        return False
    if rule.stages and meta.stages is not None and not set(rule.stages) & set(meta.stages):
        return False
    return True


class StoryIndex:
    """The project's stories newest first, and for each audience the ones that suit it.

    Built once per planning run, so choosing stories for V variants costs V times the stories
    a rule looks at, not V times every story of the project.
    """

    def __init__(self, stories: dict[str, Story]):
        self.newest_first = sorted(stories.values(), key=lambda s: (-s.meta.date.toordinal(), s.id))
        self._suiting: dict[str, list[Story]] = {}

    def suiting(self, audience: Audience) -> list[Story]:
        """Stories that suit `audience`, newest first."""
        if audience.id not in self._suiting:
            # suits(), with the audience's stages made a set once, not once per story.
            stages = set(audience.stages)
            self._suiting[audience.id] = [s for s in self.newest_first if s.suits(audience) and (
                s.meta.stages is None or not stages.isdisjoint(s.meta.stages))]
        return self._suiting[audience.id]


def pick(index: StoryIndex, rule: Pick, audience: Audience, taken: set[str], until: date) -> list[Story]:
    """Stories a rule selects for an audience, newest first, skipping ones already shown.

    Only stories dated on or before the issue count, so an old issue rebuilds the same way
    after newer stories are written.
    """
    found = []
    for story in index.suiting(audience):
        if story.id in taken or story.meta.date > until or not _matches(story, rule):
            continue
        found.append(story)
        if rule.newest and len(found) == rule.newest:
            break
    return found


def issue_audiences(project: Project, issue: Issue) -> list[Audience]:
    ids = issue.meta.audiences or list(project.audiences)
    return [project.audiences[i] for i in ids if i in project.audiences]


def messages(project: Project) -> list[Issue]:
    """Issues by date, then every welcome pack's steps by day."""
    issues = sorted(project.issues.values(), key=lambda i: (i.meta.date, i.id))
    for pack_id in sorted(project.packs):
        issues += sorted(project.packs[pack_id].steps, key=lambda s: (s.day, s.step))
    return issues


def plan(project: Project, issue: Issue, audience: Audience, locale: str,
         index: StoryIndex | None = None) -> list[SectionView]:
    """The sections an audience gets, each story in its version for `locale`."""
    stories = index or StoryIndex(project.stories)
    taken: set[str] = set()
    sections = []
    for index, section in enumerate(issue.meta.sections):
        if section.stories is not None:
            chosen = [project.stories[i] for i in section.stories
                      if i in project.stories and i not in taken
                      and suits(project.stories[i], audience)]
        else:
            chosen = pick(stories, section.pick, audience, taken, issue.meta.date)
        taken.update(s.id for s in chosen)
        if chosen:
            sections.append(SectionView(issue.section_title(index, locale),
                                        [version_for(s, locale) for s in chosen], section.when,
                                        section.layout))
    return sections


def variant(project: Project, issue: Issue, audience: Audience, channel: str,
            locale: str | None = None) -> Variant:
    """One message. `locale` defaults to the audience's; a recipient whose own locale is
    known may be given theirs, which sets the fixed words, dates, section titles and story
    versions (the subject and intro stay the audience's, as written in the issue)."""
    locale = locale or audience.locale or project.config.project.default_locale
    return Variant(issue, audience, channel, issue.text_for(audience.id),
                   plan(project, issue, audience, locale), locale)


def build_variants(project: Project) -> list[Variant]:
    """Every variant of every issue and pack step, in a stable order.

    Planned once per project read: the build, its checks (the featured-customer ledger)
    and the preview ask for the same plan. Each caller gets its own list.
    """
    mark = _mark(project)
    planned = getattr(project, "_planned", None)  # getattr: a check may hand in a view of it
    if planned is None or planned[0] != mark:
        planned = (mark, _plan_all(project))
        setattr(project, "_planned", planned)
    return list(planned[1])


def _mark(project: Project) -> tuple:
    return tuple((id(part), len(part)) for part in (project.stories, project.issues, project.packs,
                                                    project.audiences))


#: What of a story's front matter the plan reads (suits, _matches, pick); with its id, file,
#: locale and versions, all that choosing stories looks at. Keep it in step with them.
SELECTED_BY = ("kind", "date", "audiences", "stages", "tags")


def selects_alike(old: Story, new: Story) -> bool:
    """Whether planning treats story `new` exactly as `old`: an edit of its words, not of
    what it is, whom it suits, when it is dated or which versions it has."""
    if (new.id, new.path, new.locale) != (old.id, old.path, old.locale):
        return False
    if any(getattr(new.meta, name) != getattr(old.meta, name) for name in SELECTED_BY):
        return False
    return _versions(old) == _versions(new)


def _versions(story: Story) -> dict[str, tuple[str, str]]:
    return {tag: (version.path, version.locale) for tag, version in _versions_of(story).items()}


def plan_record(project: Project, variants: list[Variant]) -> tuple:
    """The plan of `project` as plain data, for `replan` to give a later read of the same
    issues, packs and audiences whose stories select alike (a story's words edited): each
    variant's place in messages(), audience, channel, locale and sections, each story shown
    by id and file (a base file or one of its versions)."""
    order = {id(issue): n for n, issue in enumerate(messages(project))}
    return tuple((order[id(v.issue)], v.audience.id, v.channel, v.locale,
                  tuple((s.title, s.when, s.layout, tuple((story.id, story.path) for story in s.stories))
                        for s in v.sections))
                 for v in variants)


def replan(project: Project, record: tuple) -> bool:
    """Give `project` the plan `record` describes (see plan_record), with its own issue,
    audience and story objects, so build_variants does not plan it again; False (nothing
    given) when the record names something the project does not have."""
    issues = messages(project)
    planned: dict[tuple, list[SectionView]] = {}
    variants = []
    try:
        for index, audience_id, channel, locale, sections in record:
            issue, audience = issues[index], project.audiences[audience_id]
            shown = planned.get((index, audience_id, locale))
            if shown is None:  # every channel of an audience carries the same sections
                shown = planned[index, audience_id, locale] = [
                    SectionView(title, [_story_file(project, story_id, path) for story_id, path in stories],
                                when, layout)
                    for title, when, layout, stories in sections]
            variants.append(Variant(issue, audience, channel, issue.text_for(audience_id), shown, locale))
    except (IndexError, KeyError):
        return False
    setattr(project, "_planned", (_mark(project), variants))
    return True


def _story_file(project: Project, story_id: str, path: str) -> Story:
    """The story `story_id` in the version read from `path` (KeyError: it has none)."""
    story = project.stories[story_id]
    if story.path == path:
        return story
    for version in _versions_of(story).values():
        if version.path == path:
            return version
    raise KeyError(path)


def _plan_all(project: Project) -> list[Variant]:
    variants = []
    default_locale = project.config.project.default_locale
    index = StoryIndex(project.stories)
    for issue in messages(project):
        for audience in issue_audiences(project, issue):
            locale = audience.locale or default_locale
            # Planned once: every channel carries the same stories.
            sections = plan(project, issue, audience, locale, index)
            for channel in channels_for(issue, audience):
                variants.append(Variant(issue, audience, channel, issue.text_for(audience.id),
                                        sections, locale))
    return variants
