"""Which customer export files a project has: named in `[customers] files`, else the default.

Apart from the readers so that a build can ask without loading the data engine (DuckDB).
"""

from __future__ import annotations

from pathlib import Path

from ..content.customer_settings import CustomerSettings

DEFAULT_FILE = "content/customers.csv"


def data_files(root: Path, settings: CustomerSettings) -> list[str]:
    """The export files to read: `files`, else content/customers.csv when it exists."""
    if settings.files:
        return list(settings.files)
    return [DEFAULT_FILE] if (root / DEFAULT_FILE).is_file() else []


def has_data(root: Path, settings: CustomerSettings) -> bool:
    return bool(data_files(root, settings))
