"""Choose, for each issue x audience x channel, which stories go in which section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Audience, Issue, IssueText, Pick, Project, Story


@dataclass
class SectionView:
    title: str
    stories: list[Story]
    when: str | None = None  # shown only to recipients for whom this condition holds


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
        """Where this variant's files go under build/."""
        issue = self.issue
        if issue.kind == "welcome":
            return f"welcome/{issue.pack}/{self.audience.id}/{issue.step}"
        return f"issues/{issue.id}/{self.audience.id}"

    @property
    def stories(self) -> list[Story]:
        return [story for section in self.sections for story in section.stories]


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


def pick(stories: dict[str, Story], rule: Pick, audience: Audience, taken: set[str],
         until: date) -> list[Story]:
    """Stories a rule selects for an audience, newest first, skipping ones already shown.

    Only stories dated on or before the issue count, so an old issue rebuilds the same way
    after newer stories are written.
    """
    found = [s for s in stories.values()
             if s.id not in taken and s.meta.date <= until and suits(s, audience)
             and _matches(s, rule)]
    found.sort(key=lambda s: (-s.meta.date.toordinal(), s.id))
    return found[: rule.newest] if rule.newest else found


def issue_audiences(project: Project, issue: Issue) -> list[Audience]:
    ids = issue.meta.audiences or list(project.audiences)
    return [project.audiences[i] for i in ids if i in project.audiences]


def messages(project: Project) -> list[Issue]:
    """Issues by date, then every welcome pack's steps by day."""
    issues = sorted(project.issues.values(), key=lambda i: (i.meta.date, i.id))
    for pack_id in sorted(project.packs):
        issues += sorted(project.packs[pack_id].steps, key=lambda s: (s.day, s.step))
    return issues


def build_variants(project: Project) -> list[Variant]:
    """Every variant of every issue and pack step, in a stable order."""
    variants = []
    default_locale = project.config.project.default_locale
    for issue in messages(project):
        for audience in issue_audiences(project, issue):
            taken: set[str] = set()
            sections = []
            locale = audience.locale or default_locale
            for index, section in enumerate(issue.meta.sections):
                if section.stories is not None:
                    chosen = [project.stories[i] for i in section.stories
                              if i in project.stories and i not in taken
                              and suits(project.stories[i], audience)]
                else:
                    chosen = pick(project.stories, section.pick, audience, taken, issue.meta.date)
                taken.update(s.id for s in chosen)
                if chosen:
                    sections.append(SectionView(issue.section_title(index, locale), chosen, section.when))
            for channel in issue.meta.channels:
                variants.append(Variant(issue, audience, channel, issue.text_for(audience.id),
                                        sections, locale))
    return variants
