"""Email service provider dialects: a provider's merge syntax and the bundle it imports.

Each provider is one small module in this package that builds a dialect object and
calls `register()` when imported; `discover()` imports every module here, so adding a
provider means adding a file, nothing else. A dialect gets a `Message` (one built email
with merge tokens still in it, see `newsletter.core.merge`) and returns the files of its
upload bundle. `export` runs the pipeline and writes the bundles.

May import every stage and newsletter.build; nothing but the commands imports it.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Protocol

#: Where a piece of text ends up; each needs its own escaping.
CONTEXTS = ("html", "text", "subject")


@dataclass(frozen=True)
class Message:
    """One built email (an issue for one audience), parts still tokenised."""

    key: str                 # "<issue>/<audience>": the message's folder in the export
    issue: str
    audience: str
    locale: str
    name: str                # template name for every provider, see bundle.template_name
    title: str               # human-readable name, e.g. "November 2026 · Regulars"
    subject: str
    html: str
    text: str
    sender_name: str
    sender_email: str
    reply_to: str | None = None
    sample: dict[str, object] = field(default_factory=dict)  # neutral merge data


class ExportError(ValueError):
    """A message the provider would refuse (too large, name too long); one line, no traceback."""


class Dialect(Protocol):
    name: str    # the --esp value, lower case
    label: str   # how the provider spells itself

    def translate(self, text: str, context: str) -> str:
        """Rewrite tokenised `text` for `context` (one of CONTEXTS) in this provider's syntax."""

    def bundle(self, message: Message) -> dict[str, bytes]:
        """The upload bundle of one message: relative POSIX paths -> bytes."""


REGISTRY: dict[str, Dialect] = {}


def register(dialect: Dialect) -> Dialect:
    """Make a dialect available to `newsletter export --esp NAME`."""
    REGISTRY[dialect.name] = dialect
    return dialect


def discover() -> dict[str, Dialect]:
    """Import every module of this package (dialect modules register themselves)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def names() -> list[str]:
    return sorted(discover())


def get(name: str) -> Dialect:
    """The dialect called `name` (case-insensitive); KeyError lists the known ones."""
    dialects = discover()
    key = name.strip().lower()
    if key not in dialects:
        raise KeyError(f"unknown ESP '{name}' (known: {', '.join(sorted(dialects))})")
    return dialects[key]
