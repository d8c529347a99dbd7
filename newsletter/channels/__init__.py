"""Stage 4, channels: each renders a planned variant into files; new ones register without core changes.

A channel's facts (name, folder, companion) are declared in `newsletter.content.channels`; the
renderer registered here under the same name turns a variant into files. May import core,
content, compose and render; nothing imports this package but the pipeline (newsletter.build and its render
pool, newsletter.pool) and the commands beside it."""

from __future__ import annotations

# The built-in channels register themselves on import.
from . import email_channel, print_channel, sms_channel, web_channel  # noqa: E402,F401
from .registry import REGISTRY, Channel, Rendered, register  # noqa: F401
