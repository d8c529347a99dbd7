"""The channel registry: the renderer for each channel name, and what a renderer returns."""


from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class Rendered:
    """One channel's output for one variant: files by name plus facts for the manifest."""

    files: dict[str, bytes]
    subject: str = ""
    preheader: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """A channel's renderer. Optional: `assemble(project, outputs) -> {path: bytes}` for files
    made once per build from all of this channel's outputs (the web archive's index and feed)."""

    name: str

    def render(self, variant: Any, env: Any) -> Rendered:
        """Render one variant (issue x audience) for this channel."""


REGISTRY: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    REGISTRY[channel.name] = channel
    return channel
