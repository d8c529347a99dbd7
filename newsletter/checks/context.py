"""What a check sees: one built message with its sources, and helpers to point at lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html import unescape
from typing import Any

from ..content.models import Story
from ..core import merge
from ..core.diagnostics import Location

_HREF = re.compile(r'<a\b[^>]*?href="([^"]*)"', re.I)
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r'<div style="display:none;[^"]*">.*?</div>', re.S)
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class CheckContext:
    project: Any  # models.Project
    output: Any  # newsletter.render.env.Output
    shared: dict = field(default_factory=dict)  # per-run memo for checks that look across variants
    #: Per-run memo of results derived only from inputs that are part of every message's own
    #: cache key (a story's files, newsletter.toml, translations/): what each story says
    #: (newsletter.checks.text.facts), the brand palette's contrast. Using it is not a look
    #: across messages (newsletter.checks.reuse), unlike `shared`.
    own_memo: dict = field(default_factory=dict)
    #: The project folder, for reading files that are part of every message's key
    #: (newsletter.toml, translations/); `project.root` counts as a look across messages.
    root: Any = None

    def __post_init__(self) -> None:
        if self.root is None:
            self.root = self.project.root

    @property
    def config(self):
        return self.project.config

    @property
    def settings(self):
        return self.project.config.checks

    @property
    def variant(self):
        return self.output.variant

    @property
    def issue(self):
        return self.output.variant.issue

    @property
    def audience(self):
        return self.output.variant.audience

    @property
    def stories(self) -> list[Story]:
        return self.output.variant.stories

    @cached_property
    def html(self) -> str:
        """The HTML with every conditional branch shown, so nothing hides from the checks."""
        tokens = self.output.extra.get("html_tokens")
        return merge.show_all(tokens) if tokens else self.output.files.get("email.html", b"").decode("utf-8")

    @cached_property
    def text(self) -> str:
        tokens = self.output.extra.get("text_tokens")
        if tokens:
            return merge.show_all(tokens, escape=lambda value: value)
        return self.output.files.get("email.txt", b"").decode("utf-8")

    @property
    def mjml(self) -> str:
        return self.output.extra.get("mjml", "")

    @cached_property
    def links(self) -> list[str]:
        """Every href in the HTML, unescaped, in order."""
        return [unescape(h) for h in _HREF.findall(self.html)]

    @cached_property
    def visible_text(self) -> str:
        """The HTML's readable text: no head, hidden preheader, comments or tags."""
        body = self.html.split("<body", 1)[-1]
        body = _HIDDEN.sub(" ", _COMMENT.sub(" ", _STYLE.sub(" ", body)), count=1)
        return " ".join(unescape(_TAGS.sub(" ", body)).split())

    def forget(self) -> None:
        """Drop the views computed from the message (HTML, text, links) once it is checked."""
        for name in ("html", "text", "links", "visible_text"):
            self.__dict__.pop(name, None)

    # -- locations ---------------------------------------------------------
    def story_at(self, story: Story, *keys: Any) -> Location:
        line, col = story.smap.locate(keys)
        return Location(story.path, line, col)

    def issue_at(self, *keys: Any) -> Location:
        line, col = self.issue.smap.locate(self.issue.prefix + keys)
        return Location(self.issue.path, line, col)

    def text_at(self, name: str) -> Location:
        """Where this audience's subject / preheader / intro is written (override or issue)."""
        override = self.issue.meta.overrides.get(self.audience.id)
        if override is not None and getattr(override, name) is not None:
            return self.issue_at("overrides", self.audience.id, name)
        if name == "intro":
            return Location(self.issue.path, self.issue.body_line, 1)
        return self.issue_at(name)

    def audience_at(self) -> Location:
        line, col = self.project.audience_lines.get(self.audience.id, (0, 0))
        return Location("content/audiences.yml", line, col)
