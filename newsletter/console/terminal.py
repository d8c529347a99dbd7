"""Where a command's output goes: stdout and stderr consoles that behave well in pipes.

- On a terminal, rich tables and colours. Anywhere else (a pipe, a file, CI), tables are
  printed as tab-separated text, never clamped to 80 columns, and long lines are not wrapped.
- `NO_COLOR` (any non-empty value, https://no-color.org) turns off every escape code:
  colour, bold, italic, dim and links, even on a terminal.
- Progress bars and spinners go to stderr, and only when stderr is a terminal and the
  command is not quiet, so pipes and `--format json` stay clean.
"""

from __future__ import annotations

import io
import os
from contextlib import contextmanager, nullcontext
from typing import Any, Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text


def no_color() -> bool:
    """True when the user asked for no colour (NO_COLOR set and not empty)."""
    return bool(os.environ.get("NO_COLOR"))


class Screen(Console):
    """A rich Console that writes tables as tab-separated text when not on a terminal."""

    def __init__(self, *, stderr: bool = False, **kwargs: Any):
        if no_color():
            # rich's own NO_COLOR support drops colours but keeps bold and italic; no colour
            # system at all means no escape codes of any kind.
            kwargs["color_system"] = None
        super().__init__(stderr=stderr, highlight=False, **kwargs)
        if not self.is_terminal:
            self.soft_wrap = True  # a file gets whole lines; wrapping is the reader's business

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if self.is_terminal or not any(isinstance(o, Table) for o in objects):
            super().print(*objects, **kwargs)
            return
        for item in objects:
            if isinstance(item, Table):
                # Written as is: rich would expand the tabs into spaces.
                self.file.write("".join(line + "\n" for line in table_lines(self, item)))
            else:
                super().print(item, **kwargs)


def _plain(console: Console, cell: Any) -> str:
    """A table cell's text without markup, on one line."""
    if isinstance(cell, Text):
        text = cell.plain
    elif isinstance(cell, str):
        text = Text.from_markup(cell).plain
    else:
        scratch = Console(file=io.StringIO(), color_system=None, width=10_000, soft_wrap=True)
        scratch.print(cell)
        text = scratch.file.getvalue()
    return " ".join(text.replace("\t", " ").split())


def table_lines(console: Console, table: Table) -> list[str]:
    """The title (if any), then a header row, then one tab-separated line per row."""
    lines = []
    if table.title:
        lines.append(_plain(console, table.title))
    columns = table.columns
    if table.show_header:
        lines.append("\t".join(_plain(console, c.header) for c in columns))
    cells = [list(c.cells) for c in columns]
    for row in range(table.row_count):
        lines.append("\t".join(_plain(console, column[row]) if row < len(column) else ""
                               for column in cells))
    return lines


class Terminal:
    """The two consoles of a command and its verbosity: below 0 quiet, 0 normal, above 0 verbose."""

    def __init__(self, verbosity: int = 0, *, out: Console | None = None, err: Console | None = None):
        self.verbosity = verbosity
        self.out = out or Screen()
        self.err = err or Screen(stderr=True)

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    @property
    def verbose(self) -> bool:
        return self.verbosity > 0

    @property
    def report(self) -> Console:
        """Where a human-readable report goes: stdout, or stderr when quiet (stdout stays empty)."""
        return self.err if self.quiet else self.out

    def shows_progress(self) -> bool:
        return self.err.is_terminal and not self.quiet

    @contextmanager
    def progress(self, label: str) -> Iterator[Callable[[int, int, str], None]]:
        """A bar on stderr; yields `update(done, total, what)`. Invisible off a terminal."""
        with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("{task.description}"), console=self.err,
                      transient=True, disable=not self.shows_progress()) as bar:
            task = bar.add_task("", total=None)

            def update(done: int, total: int, what: str = "") -> None:
                bar.update(task, completed=done, total=total, description=what)

            yield update

    def status(self, message: str):
        """A spinner on stderr for work without steps to count. Invisible off a terminal."""
        return self.err.status(message) if self.shows_progress() else nullcontext()
