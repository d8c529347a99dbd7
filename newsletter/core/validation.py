"""Validate parsed data against pydantic models, reporting every problem with file:line:col.

Unknown keys are warnings with a "did you mean", like MkDocs; everything else is an error.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from .diagnostics import Diagnostics, Location
from .sourcemap import SourceMap

M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    """Base for every user-facing model: unknown keys are reported, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, list, dict, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _model_at(root: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model class that owns the mapping at `path` (list indexes and dict keys skipped)."""
    current: type[BaseModel] | None = root
    for part in path:
        if current is None:
            return None
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            continue  # an index into a list, or a key of a dict of models
        models = _unwrap(field.annotation)
        current = models[0] if models else None
    return current


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _strip(data: Any, path: tuple) -> None:
    """Remove the key at `path` so the data validates without it."""
    target = data
    for part in path[:-1]:
        target = target[part]
    target.pop(path[-1], None)


def validate(model: type[M], data: Any, smap: SourceMap, file: str,
             diagnostics: Diagnostics, prefix: tuple = (), what: str = "") -> M | None:
    """Return the validated model or None, adding every error and unknown-key warning."""
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    real = [e for e in errors if e["type"] != "extra_forbidden"]
    for err in unknown:
        loc = tuple(err["loc"])
        owner = _model_at(model, loc[:-1])
        names = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (
            f"; known keys: {', '.join(names)}" if names else "")
        line, col = smap.key(prefix + loc)
        diagnostics.warning(f"{what}unknown key '{_dotted(loc)}'{hint}",
                            Location(file, line, col), "unknown-key")
    for err in real:
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        line, col = smap.locate(prefix + loc)
        message = err["msg"]
        if err["type"] == "missing":
            message = "is required"
        elif err["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        elif not isinstance(err.get("input"), (dict, list)) and "input" in err:
            message = f"{message} (got {_describe(err['input'])})"
        label = _dotted(loc) or "document"
        diagnostics.error(f"{what}{label}: {message}", Location(file, line, col), "invalid")
    if real:
        return None
    for err in unknown:
        _strip(data, tuple(err["loc"]))
    return model.model_validate(data)


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
