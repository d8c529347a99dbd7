"""The channels a message can go out on, as the facts every stage needs.

Readers validate channel names against `SPECS`, planning uses `folder` and `companion`; the
renderers live in `newsletter.channels` and register under these names. A new channel
declares its spec here (or from a plugin, with `declare`) and registers a renderer there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..core.diagnostics import Diagnostics, Location


@dataclass(frozen=True)
class ChannelSpec:
    """What a channel is, independent of how it renders."""

    name: str
    description: str
    #: Its files go under build/<folder>/ instead of beside the email.
    folder: str = ""
    #: Built for every audience of an issue that lists it, preferred or not (web: the page
    #: "view in browser" opens).
    companion: bool = False


SPECS: dict[str, ChannelSpec] = {}


def declare(spec: ChannelSpec) -> ChannelSpec:
    """Make a channel name known to the readers and the planner."""
    SPECS[spec.name] = spec
    return spec


def is_companion(name: str) -> bool:
    """Whether every audience of an issue that lists this channel gets it."""
    spec = SPECS.get(name)
    return bool(spec and spec.companion)


for _spec in (
    ChannelSpec("email", "HTML and plain-text email with an .eml file"),
    ChannelSpec("sms", "one short text message"),
    ChannelSpec("print", "a one-sheet letter as PDF, A4 and US Letter"),
    ChannelSpec("web", "a public page per issue and audience, plus the archive", folder="web",
                companion=True),
):
    declare(_spec)


def report_unknown(names: Iterable[str], where: Callable[[int], Location],
                   diagnostics: Diagnostics) -> None:
    """Report each channel name no renderer declared, at `where(position)` in its list."""
    for position, name in enumerate(names):
        if name not in SPECS:
            diagnostics.error(f"unknown channel '{name}' (known: {', '.join(SPECS)})",
                              where(position), "unknown-channel")
