"""Customer exports as records: which files a project has, and every good row of them.

The reading itself is in `reading` (files into DuckDB) and `engine` (rows parsed and
checked as a set); this module is the small entry point for code that wants records.
"""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Diagnostics
from .data import record_from_row
from .engine import Engine
from .reading import DEFAULT_FILE, data_files, has_data
from .records import CustomerRecord
from ..content.customer_settings import CustomerSettings

__all__ = ["DEFAULT_FILE", "data_files", "has_data", "load_records"]


def load_records(root: Path, settings: CustomerSettings, diagnostics: Diagnostics, *,
                 audiences: set[str] | None = None, tiers: list[str] | None = None
                 ) -> list[CustomerRecord]:
    """Every good record of every export file; bad rows are reported and left out."""
    engine = Engine.open(Path(root), settings, audiences=audiences, tiers=tiers)
    if engine is None:
        return []
    diagnostics.extend(engine.diagnostics)
    cursor = engine.con.execute("SELECT * FROM customers ORDER BY _order")
    names = [d[0] for d in cursor.description]
    return [record_from_row(dict(zip(names, row))) for row in cursor.fetchall()]
