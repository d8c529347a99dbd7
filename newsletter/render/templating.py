"""Jinja2 templates (project's own first, then the defaults) with errors as file:line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)

from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from ..core.i18n import translations


def default_templates_dir() -> Path:
    """Bundled templates: inside the installed package, or the repository's templates/."""
    package = Path(__file__).parent.parent
    installed = package / "default_templates"
    return installed if installed.is_dir() else package.parent / "templates"


class Templates:
    """The template environment of one project."""

    def __init__(self, root: Path, compiled: BytecodeCache | None = None, auto_reload: bool = False):
        """`compiled` keeps compiled templates between processes (newsletter.cache).

        `auto_reload` re-checks each template file's modification time on every use, for a
        caller that keeps these templates across edits (the preview). A build reads its
        templates once, so it leaves that off: the check cost a stat per include per message.
        """
        self.root = root
        search = []
        own = root / "templates"
        if own.is_dir():
            search.append(FileSystemLoader(str(own)))
        search.append(FileSystemLoader(str(default_templates_dir())))
        self.env = Environment(
            loader=ChoiceLoader(search), undefined=StrictUndefined,
            autoescape=select_autoescape(["j2", "mjml", "html"], default=True),
            extensions=["jinja2.ext.i18n"], keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True, bytecode_cache=compiled,
            auto_reload=auto_reload)

    def render(self, names: list[str], context: dict[str, Any], locale: str) -> str:
        """Render the first existing template of `names` in `locale`; BuildError on failure."""
        self.env.install_gettext_translations(translations(locale, self.root), newstyle=True)
        try:
            template = self.env.select_template(names)
            return template.render(context)
        except TemplateSyntaxError as exc:
            raise BuildError([Diagnostic(Severity.ERROR, f"template syntax: {exc.message}",
                                         Location(self._name(exc.filename), exc.lineno or 0),
                                         "template")]) from None
        except TemplateNotFound as exc:
            raise BuildError([Diagnostic(Severity.ERROR, f"template not found: {exc.name}",
                                         Location("templates/"), "template")]) from None
        except (UndefinedError, TemplateError, TypeError, ValueError) as exc:
            filename, line = self._template_frame(exc)
            raise BuildError([Diagnostic(Severity.ERROR, f"template error: {exc}",
                                         Location(filename, line), "template")]) from None

    def _name(self, filename: str | None) -> str:
        if not filename:
            return "templates/"
        path = Path(filename)
        for base, label in ((self.root / "templates", "templates"),
                            (default_templates_dir(), "<default templates>")):
            try:
                return f"{label}/{path.resolve().relative_to(base.resolve()).as_posix()}"
            except ValueError:
                continue
        return filename

    def _template_frame(self, exc: BaseException) -> tuple[str, int]:
        """The innermost template file and line in the traceback (Jinja rewrites frames)."""
        found = ("templates/", 0)
        tb = exc.__traceback__ or sys.exc_info()[2]
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2"):
                found = (self._name(filename), tb.tb_lineno)
            tb = tb.tb_next
        return found
