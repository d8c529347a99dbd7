"""How a customer named in a story is matched to a row of the customer data.

Apart from the engine so that the featured-customer ledger, which every build computes,
does not load DuckDB for a project without customer data.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """How a story's customer name is matched to a record: case, accents' forms and spaces ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
