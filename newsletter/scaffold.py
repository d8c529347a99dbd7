"""`newsletter init`: a new project that builds and passes every check on day one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from babel.dates import format_skeleton
from jinja2 import Environment, StrictUndefined

from .core.diagnostics import BuildError, Diagnostic, Location, Severity
from .core.fields import _email, _https_url, _locale
from .core.i18n import babel_locale

STARTER = Path(__file__).parent / "starter"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fail(message: str, code: str) -> BuildError:
    return BuildError([Diagnostic(Severity.ERROR, message, Location("newsletter init"), code)])


def init_project(target: Path, *, brand: str, website: str, sender: str, locale: str = "en",
                 today: date | None = None) -> list[Path]:
    """Write the starter project into `target` (which must not hold a project yet)."""
    target = Path(target)
    try:
        website = _https_url(website.rstrip("/"))
        _email(sender)
        _locale(locale)
    except ValueError as exc:
        raise _fail(str(exc), "invalid") from None
    if (target / "newsletter.toml").exists():
        raise _fail(f"{target / 'newsletter.toml'} already exists: not overwriting a project", "exists")
    today = today or date.today()
    host = urlsplit(website).hostname or "example.org"
    values = {
        "brand": brand.replace('"', "'"), "website": website, "sender": sender, "locale": locale,
        "language": locale.split("-")[0].lower(),
        "list_id": f"news.{host.removeprefix('www.')}", "today": today.isoformat(),
        "since": date(today.year - 3, 1, 15).isoformat(), "since_year": today.year - 3,
        "consent_expires": date(today.year + 1, today.month, min(today.day, 28)).isoformat(),
        "month_title": _capital(format_skeleton("yMMMM", today, locale=babel_locale(locale))),
    }
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    written = []
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file()):
        relative = source.relative_to(STARTER)
        path = target / relative
        if path.exists():
            raise _fail(f"{path} already exists: not overwriting it", "exists")
        text = env.from_string(source.read_text(encoding="utf-8")).render(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
