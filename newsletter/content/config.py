"""The project configuration (`newsletter.toml`): typed, validated up front."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from ..core.contrast import PAIRS, problems
from ..core.diagnostics import BuildError, Diagnostic, Diagnostics, Location, Severity
from ..core.fields import Email, HeaderName, HeaderText, HexColor, HttpsUrl, LocaleTag, NonEmpty, Stage
from ..core.names import CONFIG_FILE
from ..core.sourcemap import SourceError, load_toml
from ..core.textcheck import byte_location, characters_ok
from ..core.validation import Model, validate
from .customer_settings import CustomerSettings
from .survey_settings import SurveySettings


class Colors(Model):
    primary: HexColor = "#1f4e79"
    accent: HexColor = "#a5691f"
    background: HexColor = "#f4f4f4"
    surface: HexColor = "#ffffff"
    text: HexColor = "#222222"
    muted: HexColor = "#666666"


class Brand(Model):
    name: HeaderName  # the List-Id and To headers name the list after it
    website: HttpsUrl
    logo: HttpsUrl | None = None
    logo_dark: HttpsUrl | None = Field(default=None, description="the logo for dark backgrounds (dark mode)")
    logo_alt: str | None = None
    logo_width: int = Field(default=160, ge=16, le=600)
    colors: Colors = Colors()
    font: str = "Helvetica, Arial, sans-serif"


class Sender(Model):
    name: HeaderName
    email: Email
    reply_to: Email | None = None


class MailingList(Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}$",
                    description="List-Id, a domain-like name such as news.example.com")
    name: HeaderText | None = None
    unsubscribe_url: HttpsUrl
    postal_address: NonEmpty


class Project(Model):
    base_url: HttpsUrl
    default_locale: LocaleTag = "en"


class Utm(Model):
    enabled: bool = True
    source: str = "newsletter"
    medium: str = "email"
    campaign_prefix: str = ""


class Loyalty(Model):
    tiers: list[NonEmpty] = ["bronze", "silver", "gold", "platinum"]
    top_tiers: list[NonEmpty] = ["gold", "platinum"]


class Smtp(Model):
    """Where `newsletter send-test` sends. The password only ever comes from the environment."""

    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str = "NEWSLETTER_SMTP_PASSWORD"
    timeout: float = Field(default=20.0, gt=0, le=300)


SeverityName = Literal["error", "warning", "info", "off"]


class Checks(Model):
    """Editorial and pre-send check settings; severities per check id, like MkDocs' validation."""

    severity: dict[str, SeverityName] = {}
    plugins: list[str] = Field(default=[], description="modules in the project folder that register checks")
    promo_max_share: float = Field(default=0.3, ge=0, le=1)
    early_stages: list[Stage] = ["reach", "acquisition", "onboarding"]
    subject_max_length: int = Field(default=60, ge=10)
    preheader_min_length: int = Field(default=40, ge=0)
    preheader_max_length: int = Field(default=130, ge=10)
    html_warn_kb: float = Field(default=90, gt=0)
    html_max_kb: float = Field(default=102, gt=0)
    spam_warn_score: float = 2.0
    spam_max_score: float = 5.0
    spam: Literal["auto", "on", "off"] = "auto"
    sms_max_segments: int = Field(default=2, ge=1, description="SMS parts before sms-segments warns")


class Config(Model):
    project: Project
    brand: Brand
    sender: Sender
    list: MailingList
    utm: Utm = Utm()
    loyalty: Loyalty = Loyalty()
    smtp: Smtp = Smtp()
    checks: Checks = Checks()
    customers: CustomerSettings = CustomerSettings()
    survey: SurveySettings = SurveySettings()


def load_config(root: Path, diagnostics: Diagnostics) -> Config | None:
    """Read and validate `newsletter.toml` in `root`, collecting every problem."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise BuildError([_missing(root)])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not UTF-8 text ({exc.reason}); save the file as UTF-8", byte_location(CONFIG_FILE, exc),
                          "encoding")
        return None
    if not characters_ok(CONFIG_FILE, text, diagnostics):
        return None
    try:
        data, smap = load_toml(text)
    except SourceError as exc:
        diagnostics.error(exc.message, Location(CONFIG_FILE, exc.line, exc.column), "syntax")
        return None
    config = validate(Config, data, smap, CONFIG_FILE, diagnostics)
    if config:
        for tier in config.loyalty.top_tiers:
            if tier not in config.loyalty.tiers:
                line, col = smap.locate(("loyalty", "top_tiers"))
                diagnostics.error(f"loyalty.top_tiers: '{tier}' is not one of loyalty.tiers",
                                  Location(CONFIG_FILE, line, col), "invalid")
        # Unreadable colours are caught here, before anything is built (the check reports them too).
        for problem in problems(config.brand.colors.model_dump(), PAIRS):
            line, col = smap.locate(("brand", "colors", problem.pair.adjust))
            hint = f'; nearest passing shade: {problem.pair.adjust} = "{problem.suggestion}"' if problem.suggestion else ""
            diagnostics.warning(f"brand.colors.{problem.pair.adjust}: {problem.message}{hint}",
                                Location(CONFIG_FILE, line, col), "contrast")
    return config


def _missing(root: Path) -> Diagnostic:
    return Diagnostic(Severity.ERROR, f"no {CONFIG_FILE} in {root}: is this a newsletter project?",
                      Location(CONFIG_FILE), "no-project")
