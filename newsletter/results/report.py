"""Results per issue x audience x story: delivered, unique opens, unique clicks, click rate,
social-proof stories against the rest, and benefit redemption when customer exports are there.

Every rate keeps the counts it is made of, so a marketer can see that "50%" is 1 of 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compose.selection import plan
from ..content.models import SOCIAL_PROOF_KINDS
from ..core.diagnostics import Diagnostics, Location
from .events import attribute
from .files import IssueResults, find_results
from .redemption import Redemption, measure_redemption
from .survey import SurveyAnswers, survey_answers

UNTAGGED = "(untagged)"
#: Link places the build tags that are not stories (see newsletter/render/views.py, textpart.py).
PLACES = {"header": "logo and website link", "intro": "links in the intro",
          "web-version": "web version link", UNTAGGED: "links without our UTM tags"}


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(part: int, whole: int) -> str:
    """'12.5% (3/24)'; 'n/a (3/0)' when there is nothing to divide by."""
    value = rate(part, whole)
    shown = "n/a" if value is None else f"{100 * value:.1f}%"
    return f"{shown} ({part}/{whole})"


@dataclass
class StoryResult:
    """Clicks on one story's links (or on one non-story place) in one audience's message."""

    content: str
    title: str
    kind: str | None  # None for links that are not a story
    customer: str | None
    clickers: set[str] = field(default_factory=set)

    @property
    def social_proof(self) -> bool:
        return self.kind in SOCIAL_PROOF_KINDS


@dataclass
class MessageResult:
    """One issue for one audience, as the provider's export saw it."""

    issue: str
    audience: str
    audience_name: str
    new_customers: bool  # the audience is in an early lifecycle stage ([checks] early_stages)
    providers: set[str] = field(default_factory=set)
    delivered: set[str] = field(default_factory=set)
    opened: set[str] = field(default_factory=set)
    human_opened: set[str] = field(default_factory=set)  # an open the provider says was not a machine
    flags_machine_opens: bool = False  # the provider said, for some open, whether a machine made it
    clickers: set[str] = field(default_factory=set)
    stories: dict[str, StoryResult] = field(default_factory=dict)

    @property
    def machine_only(self) -> int:
        """Openers whose every open the provider flagged as machine-made (Apple MPP, proxies)."""
        return len(self.opened - self.human_opened) if self.flags_machine_opens else 0

    @property
    def opens_note(self) -> str:
        if not self.flags_machine_opens:
            return "unreliable: machine opens not flagged by the provider"
        if self.machine_only:
            return f"unreliable: {self.machine_only} machine-only (Apple MPP, proxies)"
        return "no machine opens flagged"

    def proof_clickers(self, social: bool) -> set[str]:
        """Recipients who clicked a social-proof story (or, with False, any other story)."""
        found: set[str] = set()
        for story in self.stories.values():
            if story.kind is not None and story.social_proof == social:
                found |= story.clickers
        return found

    def story_count(self, social: bool) -> int:
        return sum(1 for s in self.stories.values() if s.kind is not None and s.social_proof == social)

    def to_dict(self) -> dict:
        delivered = len(self.delivered)
        proof, rest = self.proof_clickers(True), self.proof_clickers(False)
        return {
            "issue": self.issue, "audience": self.audience, "audience_name": self.audience_name,
            "new_customers": self.new_customers, "providers": sorted(self.providers),
            "delivered": delivered, "unique_opens": len(self.opened),
            "machine_only_opens": self.machine_only if self.flags_machine_opens else None,
            "opens_reliable": self.flags_machine_opens and not self.machine_only,
            "opens_note": self.opens_note,
            "unique_clicks": len(self.clickers), "click_rate": rate(len(self.clickers), delivered),
            "social_proof": {"stories": self.story_count(True), "unique_clicks": len(proof),
                             "click_rate": rate(len(proof), delivered)},
            "other_stories": {"stories": self.story_count(False), "unique_clicks": len(rest),
                              "click_rate": rate(len(rest), delivered)},
            "stories": [{"id": s.content, "title": s.title, "kind": s.kind, "customer": s.customer,
                         "social_proof": s.social_proof, "unique_clicks": len(s.clickers),
                         "click_rate": rate(len(s.clickers), delivered)}
                        for s in self.ordered_stories()],
        }

    def ordered_stories(self) -> list[StoryResult]:
        """Stories by unique clicks, most first, then by id: a stable order for every output."""
        return sorted(self.stories.values(), key=lambda s: (-len(s.clickers), s.kind is None, s.content))


@dataclass
class IssueReport:
    issue: str
    title: str
    messages: list[MessageResult]
    files: list[str]
    redemption: Redemption | None
    survey: SurveyAnswers

    def to_dict(self) -> dict:
        return {"issue": self.issue, "title": self.title, "files": self.files,
                "messages": [m.to_dict() for m in self.messages],
                "redemption": self.redemption.to_dict() if self.redemption else None,
                "survey": self.survey.to_dict()}


def _story_result(project, content: str) -> StoryResult:
    story = project.stories.get(content)
    if story is None:
        return StoryResult(content, PLACES.get(content, content), None, None)
    customer = story.meta.customer.name if story.meta.customer else None
    return StoryResult(content, story.meta.title, story.meta.kind, customer)


def build_issue_report(project, results: IssueResults, diagnostics: Diagnostics) -> IssueReport:
    """Attribute every event of one issue's exports; clicks go where their UTM tags say."""
    prefix = project.config.utm.campaign_prefix
    early = set(project.config.checks.early_stages)
    messages: dict[tuple[str, str], MessageResult] = {}

    def message(issue: str, audience: str) -> MessageResult:
        if (issue, audience) not in messages:
            meta = project.audiences[audience]
            result = MessageResult(issue, audience, meta.name, bool(early & set(meta.stages)))
            # Every story the audience got is listed, the ones nobody clicked too.
            locale = meta.locale or project.config.project.default_locale
            for section in plan(project, project.issues[issue], meta, locale):
                for story in section.stories:
                    result.stories.setdefault(story.id, _story_result(project, story.id))
            messages[issue, audience] = result
        return messages[issue, audience]

    clicks = []
    for file in results.files:
        own = message(file.issue, file.audience)
        own.providers.add(file.provider)
        if not any(e.kind == "delivered" for e in file.events):
            diagnostics.warning("no delivery events: rates for this audience cannot be computed "
                                "(include delivered events in the export)", Location(file.path),
                                "results-no-deliveries")
        for event in file.events:
            if event.kind == "delivered":
                own.delivered.add(event.recipient)
            elif event.kind == "open":
                own.opened.add(event.recipient)
                if event.machine is not None:
                    own.flags_machine_opens = True
                if event.machine is False:
                    own.human_opened.add(event.recipient)
            else:
                clicks.append((own, event))
    for own, event in clicks:
        where = attribute(event.url, prefix)
        target, content = own, UNTAGGED
        if where is not None:
            if where.issue not in project.issues or where.audience not in project.audiences:
                diagnostics.warning(f"click on a link tagged for issue '{where.issue}', audience "
                                    f"'{where.audience}', which this project does not have; not counted",
                                    event.location, "results-unknown-link")
                continue
            target, content = message(where.issue, where.audience), where.content or UNTAGGED
        target.clickers.add(event.recipient)
        if content not in target.stories:
            target.stories[content] = _story_result(project, content)
        target.stories[content].clickers.add(event.recipient)
    issue = project.issues.get(results.issue)
    ordered = sorted(messages.values(), key=lambda m: (m.issue != results.issue, m.issue, m.audience))
    redemption = measure_redemption(project, results, {k: m.delivered for k, m in messages.items()},
                                    diagnostics)
    survey = survey_answers(project, [(m.audience, e) for m, e in clicks], diagnostics)
    return IssueReport(results.issue, issue.meta.title if issue else results.issue, ordered,
                       [f.path for f in results.files], redemption, survey)


def build_reports(project, diagnostics: Diagnostics, issue: str | None = None) -> list[IssueReport]:
    """A report for every issue with results under content/results/ (or only `issue`)."""
    from_files = find_results(Path(project.root), set(project.issues), set(project.audiences), diagnostics)
    ids = [issue] if issue else sorted(from_files, key=lambda i: (project.issues[i].meta.date, i))
    return [build_issue_report(project, from_files[i], diagnostics) for i in ids if i in from_files]
