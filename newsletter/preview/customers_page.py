"""The preview's customers page: read the project, then the customer report as HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..content.reader import load_project
from ..core.diagnostics import BuildError
from ..customers.page import render_page, render_problems_page


def render_customers_page(root: Path, today: date | None = None) -> str:
    """The customer report as a standalone HTML page (inline SVG charts, no scripts).

    A broken project or missing data gives a page that says so.
    """
    try:
        project, _ = load_project(Path(root))
    except BuildError as exc:
        return render_problems_page(exc.diagnostics)
    return render_page(project, today or date.today())
