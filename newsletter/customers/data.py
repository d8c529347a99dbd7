"""Customer data bound to a project: records read once, profiles computed for a given day."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content.config import CONFIG_FILE
from ..content.customer_settings import CustomerSettings
from ..core.diagnostics import Diagnostics, Location
from ..core.sourcemap import SourceError, SourceMap, load_toml
from .importer import data_files, load_records
from .metrics import Profile, make_profiles
from .records import CustomerRecord


def name_key(name: str) -> str:
    """How a story's customer name is matched to a record: case, accents' forms and spaces ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass
class CustomerData:
    """A project's customer records and the settings and context to compute their metrics."""

    settings: CustomerSettings
    records: list[CustomerRecord]
    files: list[str]
    diagnostics: Diagnostics
    tiers: list[str]  # loyalty tiers, lowest first
    top_tiers: list[str]
    currency: str
    locales: dict[str, str]  # audience id -> locale
    default_locale: str
    _profiles: dict[date, list[Profile]] = field(default_factory=dict, repr=False)

    def profiles(self, today: date) -> list[Profile]:
        """Every customer's metrics as of `today` (tenure, onboarding and so tiers depend on it)."""
        if today not in self._profiles:
            self._profiles[today] = make_profiles(self.records, self.settings, today, self.locales,
                                                  self.default_locale)
        return self._profiles[today]

    def find(self, profiles: list[Profile], name: str, company: str | None = None) -> Profile | None:
        """The profile a story's customer refers to: by name, and by company when names repeat."""
        key = name_key(name)
        matches = [p for p in profiles if name_key(p.name) == key]
        if len(matches) > 1 and company:
            matches = [p for p in matches if name_key(p.record.company or "") == name_key(company)] or matches
        return matches[0] if matches else None

    def rank(self, tier: str | None) -> int:
        """Position on the ladder, higher is better; -1 for no tier."""
        return self.tiers.index(tier) if tier in self.tiers else -1


def _tier_names_ok(root: Path, settings: CustomerSettings, tiers: list[str],
                   diagnostics: Diagnostics) -> None:
    smap = None
    for index, rule in enumerate(settings.tiers):
        if rule.name in tiers:
            continue
        if smap is None:
            try:
                _, smap = load_toml((root / CONFIG_FILE).read_text(encoding="utf-8"))
            except (OSError, SourceError, UnicodeDecodeError):
                smap = SourceMap()  # the config was already reported by the reader
        line, col = smap.locate(("customers", "tiers", index, "name"))
        diagnostics.error(f"customers.tiers[{index}]: '{rule.name}' is not one of loyalty.tiers "
                          f"({', '.join(tiers)})", Location(CONFIG_FILE, line, col), "unknown-tier")


def load_customer_data(project, diagnostics: Diagnostics | None = None) -> CustomerData | None:
    """Read the project's customer exports; None when it has none.

    Problems go to `diagnostics` (a fresh one when not given, kept on the result).
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    config = project.config
    root = Path(project.root)
    settings = config.customers
    files = data_files(root, settings)
    if not files:
        return None
    tiers = list(config.loyalty.tiers)
    _tier_names_ok(root, settings, tiers, diagnostics)
    records = load_records(root, settings, diagnostics, audiences=set(project.audiences), tiers=tiers)
    default_locale = config.project.default_locale
    locales = {a.id: a.locale or default_locale for a in project.audiences.values()}
    return CustomerData(settings, records, files, diagnostics, tiers, list(config.loyalty.top_tiers),
                        settings.currency, locales, default_locale)
