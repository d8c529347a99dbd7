"""`--format json`: one JSON document per command, named by a versioned schema.

Every document starts with `"schema": "newsletter/<command>/<version>"`. Within a version,
fields are only ever added; renaming or removing one, or changing its type, bumps the
version. The JSON Schema of each is shipped in `newsletter/console/schemas/<command>.json`
(the README's "Machine-readable output" describes them).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

#: The current version of each command's document.
VERSIONS = {"build": 1, "check": 1, "export": 1, "customers": 1, "suggest": 1, "results": 1}


def schema_name(command: str) -> str:
    """The `schema` value of a command's document, e.g. newsletter/build/1."""
    return f"newsletter/{command}/{VERSIONS[command]}"


def document(command: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` with the schema name first."""
    return {"schema": schema_name(command), **body}


def dumps(command: str, body: dict[str, Any]) -> str:
    """The document as printed: UTF-8 text (not \\u escapes), indented, keys in a stable order."""
    return json.dumps(document(command, body), ensure_ascii=False, indent=2)


def json_schema(command: str) -> dict[str, Any]:
    """The shipped JSON Schema that a command's document validates against."""
    text = resources.files(__package__).joinpath("schemas", f"{command}.json").read_text(encoding="utf-8")
    return json.loads(text)
