"""Which check findings are a function of one message alone, so a rebuild may reuse them.

A check sees its message through a CheckContext; it may also look across the build (the
shared memo, other issues, customer data on disk). While a check runs, the context given
to it notes any look beyond the message: at the shared memo, or at the project other than
its config and audiences. A run that looked at nothing else depends only on the message's
own inputs (whose hash keys the cache, see newsletter.cache), so its findings can be kept;
one that did look is run again on every build, so checks across messages see everything.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Iterator

#: What of the project a check may read and stay per-message: these are part of every
#: message's key (newsletter.toml and content/audiences.yml).
OWN = frozenset({"config", "audiences", "audience_lines"})


class Looks:
    """Whether the check running now has looked beyond its message."""

    def __init__(self) -> None:
        self.beyond = False


class SharedView(MutableMapping):
    """The shared memo; any use of it marks the running check as looking across messages."""

    def __init__(self, shared: dict, looks: Looks):
        self._shared, self._looks = shared, looks

    def __getitem__(self, key: Any) -> Any:
        self._looks.beyond = True
        return self._shared[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._looks.beyond = True
        self._shared[key] = value

    def __delitem__(self, key: Any) -> None:
        self._looks.beyond = True
        del self._shared[key]

    def __contains__(self, key: object) -> bool:
        self._looks.beyond = True
        return key in self._shared

    def __iter__(self) -> Iterator:
        self._looks.beyond = True
        return iter(self._shared)

    def __len__(self) -> int:
        self._looks.beyond = True
        return len(self._shared)


class ProjectView:
    """The project as a check sees it; reading anything but OWN marks a look across messages."""

    def __init__(self, project: Any, looks: Looks):
        object.__setattr__(self, "_project", project)
        object.__setattr__(self, "_looks", looks)

    def __getattr__(self, name: str) -> Any:
        if name not in OWN:
            self._looks.beyond = True
        return getattr(self._project, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._looks.beyond = True
        setattr(self._project, name, value)
