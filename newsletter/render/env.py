"""What a channel renders with (RenderEnv) and what it gives back for a variant (Output)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..compose.selection import Variant
from ..content.config import Config
from ..core.timing import Timer
from .templating import Templates
from .views import StyledHtml


@dataclass
class RenderEnv:
    """What every channel needs to render a variant."""

    config: Config
    templates: Templates
    styled: StyledHtml
    timer: Timer


@dataclass
class Output:
    """A rendered message: its variant, subject, preheader and files."""

    variant: Variant
    subject: str
    preheader: str
    files: dict[str, bytes]
    extra: dict[str, Any]
    #: Findings of the checks that looked at this message alone, made by the render worker
    #: (newsletter.checks.run.check_alone); None when it was rendered here.
    checked: dict[str, list] | None = None
    #: (prefix, provenance mark, invariant findings by file path) of its files, made by the
    #: render worker.
    clean: tuple[str, str, dict[str, list]] | None = None

    @property
    def directory(self) -> str:
        return self.variant.directory

    def paths(self) -> dict[str, bytes]:
        """Its files by their path in the output folder."""
        return {f"{self.directory}/{name}": data for name, data in self.files.items()}
