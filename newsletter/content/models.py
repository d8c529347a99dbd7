"""The content model: audiences, stories and monthly issues as the marketer writes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from ..core.fields import LinkUrl, LocaleTag, NonEmpty, Slug, Stage, Tag
from ..core.merge import CONDITIONS
from ..core.sourcemap import SourceMap
from ..core.validation import Model
from .markdown import to_html

Kind = Literal["spotlight", "testimonial", "case-study", "guide", "news", "promo", "reminder", "survey"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
#: Kinds that show what the best customers do (question 1).
SOCIAL_PROOF_KINDS = ("spotlight", "testimonial", "case-study")
#: Kinds that must name the customer they feature.
CUSTOMER_KINDS = SOCIAL_PROOF_KINDS


class Audience(Model):
    """A customer archetype that gets its own variant of every issue."""

    id: Slug
    name: NonEmpty
    description: str = ""
    channels: list[Slug] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    locale: LocaleTag | None = None
    interests: list[Tag] = []
    tone: str = ""


class Customer(Model):
    name: NonEmpty
    names: dict[LocaleTag, NonEmpty] = Field(default={}, description="the display name per locale")
    company: str | None = None
    tier: NonEmpty
    since: date | None = None


class Image(Model):
    src: NonEmpty
    alt: str
    width: int | None = Field(default=None, ge=1, le=1200)


class Quote(Model):
    text: NonEmpty
    author: str | None = None


class Metric(Model):
    label: NonEmpty
    value: NonEmpty


class Case(Model):
    problem: NonEmpty
    action: NonEmpty
    result: NonEmpty


class Cta(Model):
    label: NonEmpty
    url: LinkUrl


class Survey(Model):
    """A short survey inside a message (`kind: survey`): why we ask, and what.

    The first question is answered in the message with one click on 0-10 (the NPS
    question when none is written); any others are asked on the survey page after it.
    """

    intent: str = ""
    questions: list[NonEmpty] = []


class Consent(Model):
    granted: date
    expires: date | None = None


class StoryMeta(Model):
    """A story's front matter."""

    title: NonEmpty
    kind: Kind
    date: date
    summary: str = ""
    locale: LocaleTag | None = None
    customer: Customer | None = None
    audiences: list[Slug] | None = None
    stages: list[Stage] | None = None
    tags: list[Tag] = []
    image: Image | None = None
    quote: Quote | None = None
    metrics: list[Metric] = []
    case: Case | None = None
    cta: Cta | None = None
    consent: Consent | None = None
    #: The customer was paid, given free product or a discount in connection with the story
    #: (a material connection, FTC 16 CFR 255.5): it must be disclosed beside the story.
    incentivized: bool = False
    #: The disclosure printed beside the story in every channel, in the story's language:
    #: what the customer received ("Bea received a free month of membership for this story.").
    disclosure: NonEmpty | None = None
    survey: Survey | None = None


class Pick(Model):
    """A rule that chooses stories for a section."""

    kind: list[Kind] | None = None
    tags: list[Tag] | None = None
    stages: list[Stage] | None = None
    newest: int | None = Field(default=None, ge=1, le=50)


def _condition(value: str | None) -> str | None:
    if value is None:
        return None
    words = value.split()
    if not (len(words) == 1 or (len(words) == 2 and words[0] == "not")) or words[-1] not in CONDITIONS:
        raise ValueError(f"write a condition such as 'unused_benefits' or 'not onboarding_behind' "
                         f"(known: {', '.join(CONDITIONS)})")
    return " ".join(words)


Condition = Annotated[str, AfterValidator(_condition)]


def _some_title(value: object) -> object:
    """An empty {locale: title} map would leave a section with no title in any language."""
    if isinstance(value, dict) and not value:
        raise ValueError("give the title as text, or in at least one language, e.g. {en: Our readers}")
    return value


class Section(Model):
    """A titled group of stories; the title may be given per locale ({en: ..., pt-BR: ...}).

    `when` shows the section only to recipients for whom a condition holds.
    """

    title: Annotated[NonEmpty | dict[LocaleTag, NonEmpty], BeforeValidator(_some_title)]
    stories: list[Slug] | None = None
    pick: Pick | None = None
    when: Condition | None = None
    layout: Literal["full", "teaser"] | None = None  # teaser: summary + "read the whole story" on the web


class Override(Model):
    """Per-audience replacements, typically a translation of the issue's words."""

    subject: Annotated[NonEmpty, Field(max_length=998)] | None = None
    preheader: str | None = None
    intro: str | None = None
    title: str | None = None


class IssueMeta(Model):
    """A monthly issue's front matter."""

    title: NonEmpty
    subject: Annotated[NonEmpty, Field(max_length=998)]  # a header line's limit
    preheader: str = ""
    date: date
    audiences: list[Slug] | None = None
    channels: list[Slug] = ["email"]
    sections: list[Section] = Field(min_length=1)
    overrides: dict[Slug, Override] = {}
    layout: Literal["full", "teaser"] = "full"  # every section's, unless a section sets its own


class PackStep(Model):
    """One message of a welcome pack, sent `day` days after the customer's start."""

    id: Slug
    day: int = Field(ge=0, le=3650)
    title: NonEmpty
    subject: Annotated[NonEmpty, Field(max_length=998)]  # a header line's limit
    preheader: str = ""
    intro: str = ""
    sections: list[Section] = Field(min_length=1)
    overrides: dict[Slug, Override] = {}
    channels: list[Slug] | None = None  # this step only, e.g. a printed insert with the welcome


#: What starts a pack's clock (day 0) for a customer; see newsletter.output.schedule.TRIGGERS.
Trigger = Literal["start", "promoter", "anniversary", "onboarding-behind"]
TRIGGERS: tuple[str, ...] = Trigger.__args__  # type: ignore[attr-defined]


class PackMeta(Model):
    """A pack: a planned sequence of messages, each sent some days after a trigger.

    The welcome pack counts from the customer's start; lifecycle packs from another moment
    (`trigger`): being found as a promoter to ask for a story, the anniversary of `since`,
    falling behind on onboarding.
    """

    title: NonEmpty
    date: date  # when this version of the pack goes live: consent and story picks are judged then
    #: Until when this version stays live (new customers still start it up to this date); a
    #: later pack that `replaces` it ends it on its own date. Consent must cover every step
    #: sent meanwhile: from `date` + day to the end + day.
    review: date | None = None
    replaces: Slug | None = None  # the pack this version takes over from, on its `date`
    trigger: Trigger = "start"
    audiences: list[Slug] | None = None
    channels: list[Slug] = ["email"]
    promo_free_days: int = Field(default=30, ge=0)
    steps: list[PackStep] = Field(min_length=1)


@dataclass
class Story:
    """A story read once per build and shared by every variant that uses it.

    Its HTML is rendered on first use and kept: most stories of a large project are in no
    message, and they should cost no Markdown rendering.
    """

    id: str
    path: str
    meta: StoryMeta
    locale: str
    body_markdown: str
    body_line: int
    smap: SourceMap = field(repr=False, default_factory=SourceMap)
    image_url: str | None = None
    _html: str | None = field(default=None, repr=False, compare=False)

    @property
    def body_html(self) -> str:
        """The body as sanitised HTML (newsletter.content.markdown), rendered once."""
        if self._html is None:
            self._html = to_html(self.body_markdown)
        return self._html

    def suits(self, audience: Audience) -> bool:
        return self.meta.audiences is None or audience.id in self.meta.audiences


@dataclass
class IssueText:
    """Subject, preheader and intro of one issue for one audience, merge tags parsed.

    The intro's HTML is rendered when a message first needs it, like a story's body.
    """

    title: str
    subject: str
    preheader: str
    intro_markdown: str
    _html: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def intro_html(self) -> str:
        """The intro as sanitised HTML, rendered once per intro text."""
        if self._html is None or self._html[0] != self.intro_markdown:
            self._html = (self.intro_markdown, to_html(self.intro_markdown))
        return self._html[1]


@dataclass
class Issue:
    id: str
    path: str
    meta: IssueMeta
    default: IssueText
    overrides: dict[str, IssueText]
    smap: SourceMap = field(repr=False, default_factory=SourceMap)
    body_line: int = 1
    kind: str = "issue"  # or "welcome" for a step of a welcome pack
    pack: str = ""
    step: str = ""
    day: int = 0
    prefix: tuple = ()  # where this issue's keys sit in its file (a pack step: ("steps", n))

    @property
    def directory_name(self) -> str:
        return self.step if self.kind == "welcome" else self.id

    def section_title(self, index: int, locale: str) -> str:
        """A section's title in `locale`: exact tag, then its language, then the first given."""
        title = self.meta.sections[index].title
        if isinstance(title, str):
            return title
        language = locale.split("-")[0]
        for key in (locale, language):
            if key in title:
                return title[key]
        for key, value in title.items():
            if key.split("-")[0] == language:
                return value
        return next(iter(title.values()))

    def text_for(self, audience_id: str) -> IssueText:
        return self.overrides.get(audience_id, self.default)


@dataclass
class Pack:
    id: str
    path: str
    meta: PackMeta
    steps: list[Issue]  # each step is built and checked like an issue
    smap: SourceMap = field(repr=False, default_factory=SourceMap)


@dataclass
class Project:
    """Everything read from a project folder, validated and cross-referenced."""

    root: object
    config: object
    audiences: dict[str, Audience]
    audience_lines: dict[str, tuple[int, int]]
    stories: dict[str, Story]
    issues: dict[str, Issue]
    assets: dict[str, bytes] = field(default_factory=dict)
    packs: dict[str, Pack] = field(default_factory=dict)
