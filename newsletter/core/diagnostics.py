"""Findings with a source location, and the error that carries them to the CLI."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = self.file
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the user's project, printable as a single line."""

    severity: Severity
    message: str
    location: Location | None = None
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        tag = f" [{self.code}]" if self.code else ""
        return f"{where}{self.severity.value}: {self.message}{tag}"

    def to_dict(self) -> dict:
        return {
            "severity": self.severity.value,
            "message": self.message,
            "code": self.code,
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
        }


@dataclass
class Diagnostics:
    """Collects every finding of a stage so all of them are reported at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, location: Location | None = None, code: str = "") -> None:
        self.items.append(Diagnostic(Severity.ERROR, message, location, code))

    def warning(self, message: str, location: Location | None = None, code: str = "") -> None:
        self.items.append(Diagnostic(Severity.WARNING, message, location, code))

    def extend(self, other: "Diagnostics | list[Diagnostic]") -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def raise_if_errors(self) -> None:
        """Stop on errors, showing the warnings too: an unknown-key hint often explains an error."""
        if self.errors:
            raise BuildError(self.errors + self.warnings)


class BuildError(Exception):
    """Raised with every error found; the CLI prints one line per diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def relative(path: Path, root: Path) -> str:
    """Path shown to the user: relative to the project when possible."""
    real, base = _resolved(os.fspath(path)), _resolved_folder(os.path.abspath(root))
    if real == base:
        return "."
    if real.startswith(base.rstrip(os.sep) + os.sep):
        return Path(real[len(base.rstrip(os.sep)) + 1:]).as_posix()
    return str(path)


def _resolved(path: str) -> str:
    # A project has thousands of files in a few folders: resolve each folder once, and the
    # file itself only when it is a symbolic link (rare), instead of a full resolve per call.
    absolute = os.path.abspath(path)
    folder, name = os.path.split(absolute)
    if not name or os.path.islink(absolute):
        return os.path.realpath(absolute)
    return os.path.join(_resolved_folder(folder), name)


@lru_cache(maxsize=1024)
def _resolved_folder(folder: str) -> str:
    """The real path of an absolute folder path (abspath first, so a chdir cannot confuse it)."""
    return os.path.realpath(folder)
