"""The preview's pages as HTML strings: index, message view, audience grid and source view.

Pages are Jinja2 templates in newsletter/preview/templates/ (autoescaped). They carry no
inline script, so the server can forbid inline scripts with its Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..checks import QUESTIONS
from .catalog import SCHEMES, Catalog, Entry, Group
from .state import View

HERE = Path(__file__).parent
WIDTHS = {"desktop": 800, "mobile": 375}
GRID_WIDTHS = {"mobile": 375, "desktop": 600}
#: Project files the source view may show: config, content and templates, as text.
SOURCE_ROOTS = ("content/", "templates/")
SOURCE_FILES = ("newsletter.toml",)
SOURCE_SUFFIXES = (".md", ".yml", ".yaml", ".toml", ".j2", ".mjml", ".html", ".txt", ".css")

_ENV = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)


def badge_label(question: str) -> str:
    return f"Q{question}" if question.isdigit() else "List"


def question_title(question: str) -> str:
    key = int(question) if question.isdigit() else question
    return QUESTIONS.get(key, question)


def is_source_path(name: str) -> bool:
    """A project-relative path the source view is allowed to show (lexically)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        return False
    return (name in SOURCE_FILES or name.startswith(SOURCE_ROOTS)) and path.suffix in SOURCE_SUFFIXES


def source_href(root: Path, file: str | None, line: int | None = None) -> str | None:
    """Link to a source file (at a line) when it is a project file the preview may show."""
    if not file or not is_source_path(file) or not (root / file).is_file():
        return None
    return f"/source/{quote(file)}" + (f"#L{line}" if line else "")


def where(file: str | None, line: int | None, column: int | None = None) -> str:
    text = file or ""
    if file and line:
        text += f":{line}"
        if column:
            text += f":{column}"
    return text


def query(**params: str | None) -> str:
    """`?a=1&b=2` of the given non-empty parameters."""
    kept = {k: v for k, v in params.items() if v}
    return "?" + urlencode(kept) if kept else ""


def message_href(entry: Entry, **params: str | None) -> str:
    return f"/message/{quote(entry.key)}" + query(**params)


def _render(template: str, view: View, **context) -> str:
    catalog = view.catalog
    brand = catalog.result.project.config.brand.name if catalog else "newsletter"
    errors = [{"where": str(d.location) if d.location else "", "message": d.message,
               "href": source_href(view.root, d.location.file, d.location.line) if d.location else None}
              for d in view.errors]
    return _ENV.get_template(template).render(view=view, brand=brand, errors=errors, **context)


_ENV.globals.update(badge_label=badge_label, question_title=question_title,
                    message_href=message_href, query=query, quote=quote)


def index_page(view: View) -> str:
    """Every issue and pack step with its audiences and channels, verdicts, subject and size."""
    return _render("index.html.j2", view, kinds=view.catalog.kinds() if view.catalog else [])


def _findings(view: View, entry: Entry) -> list[dict]:
    """The entry's findings by question, problems first, each with a link to its source."""
    verdicts = entry.verdicts
    out = []
    for question, verdict in verdicts.items():
        results = [r for r in entry.report.results if str(r.check.question) == question]
        results.sort(key=lambda r: ({"error": 0, "warning": 1}.get(r.severity, 2), r.finding.passed))
        items = []
        for result in results:
            f = result.finding
            loc = f.location
            items.append({"check": result.check.id, "severity": result.severity, "passed": f.passed,
                          "message": f.message, "suggestion": f.suggestion,
                          "where": where(loc.file, loc.line, loc.column) if loc else "",
                          "href": source_href(view.root, loc.file, loc.line) if loc else None})
        out.append({"question": question, "verdict": verdict, "results": items})
    return out


def message_page(view: View, entry: Entry, sample_id: str | None, width: str, scheme: str) -> str:
    """One message as a recipient sees it, with its text, source, headers and findings."""
    catalog: Catalog = view.catalog
    width = width if width in WIDTHS else "desktop"
    scheme = scheme if scheme in SCHEMES else "light"
    sample = catalog.sample(entry, sample_id)
    shown = catalog.personalise(entry, sample)
    sample_param = sample.id if sample else "none"
    return _render(
        "message.html.j2", view, entry=entry, group=catalog.groups[entry.group],
        siblings=catalog.siblings(entry), samples=catalog.samples_for(entry), sample=sample,
        sample_param=sample_param, shown=shown, width=width, frame_width=WIDTHS[width],
        scheme=scheme, schemes=SCHEMES, widths=WIDTHS, findings=_findings(view, entry) if entry.report else [],
        frame_src=f"/render/{quote(entry.key)}" + query(sample=sample_param, scheme=scheme),
        eml=entry.eml_headers(), files=[(f"{entry.output.directory}/{name}", len(data))
                                        for name, data in sorted(entry.output.files.items())])


def grid_page(view: View, group: Group, width: str, samples: str) -> str:
    """One issue's (or step's) variants for every audience side by side."""
    catalog: Catalog = view.catalog
    width = width if width in GRID_WIDTHS else "mobile"
    samples = samples if samples in ("default", "none") else "default"
    columns = []
    for entry in group.entries:
        sample = catalog.default_sample(entry) if samples == "default" else None
        shown = catalog.personalise(entry, sample)
        param = sample.id if sample else "none"
        columns.append({"entry": entry, "sample": sample, "shown": shown,
                        "src": f"/render/{quote(entry.key)}" + query(sample=param),
                        "href": message_href(entry, sample=param, width="mobile" if width == "mobile" else None)})
    # Which stories each audience gets, in the order they first appear.
    stories: dict[str, dict] = {}
    for column in columns:
        for section in column["entry"].output.variant.sections:
            for story in section.stories:
                row = stories.setdefault(story.id, {"story": story, "cells": {}})
                row["cells"][column["entry"].key] = section.title
    return _render("grid.html.j2", view, group=group, columns=columns, width=width,
                   frame_width=GRID_WIDTHS[width], samples=samples, stories=list(stories.values()))


def source_page(view: View, name: str, text: str) -> str:
    """A project file with numbered lines; #L<n> highlights a line."""
    return _render("source.html.j2", view, name=name, lines=text.splitlines())


def not_found_page(view: View, what: str) -> str:
    return _render("notfound.html.j2", view, what=what)
