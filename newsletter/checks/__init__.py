"""Stage 5, checks: small registered units that judge each built message.

A check has an id, the question it answers (1-4, or "checklist" for the pre-send list),
a default severity and a one-line doc. It yields Findings; severities can be changed per
project in newsletter.toml (`[checks.severity]`), and a project can register its own check
from a module named in `[checks] plugins` without touching this package.

May import newsletter.core, content, compose, render and customers.
"""

from __future__ import annotations

# The built-in checks register themselves on import.
from . import (  # noqa: E402,F401
    channel,
    channel_limits,
    contrast,
    education,
    labels,
    ledger,
    pack,
    parity,
    personal,
    presend_content,
    presend_links,
    presend_render,
    proof,
    survey,
)
from .registry import (  # noqa: F401
    QUESTIONS,
    REGISTRY,
    SEVERITIES,
    Check,
    Finding,
    Settings,
    check,
    load_plugins,
)
