"""The build cache: content-addressed results in `.newsletter-cache/` inside the project, so a
rebuild redoes only what its inputs changed (a story read, a message rendered and checked),
and results of functions of a text alone (newsletter.core.memo, kept by newsletter.cache.facts)
are not worked out again when every message is rendered again.

Every key is a hash of the inputs that made the result, including newsletter's own code,
its templates and the versions of the libraries that shape the output: an upgrade or an
edit never serves a stale result, and the folder is safe to delete at any time. A cache
that cannot be written (read-only project) is skipped, never an error.

May import newsletter.core, content, compose, render and output.
"""

from __future__ import annotations

from .keys import ProjectKeys, code_fingerprint  # noqa: F401
from .store import CACHE_DIR, Store  # noqa: F401
