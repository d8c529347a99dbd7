"""Shared pieces of upload bundles: template names, stable JSON, deterministic zips."""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from pathlib import PurePosixPath
from typing import Any

#: Every provider accepts this: SES allows [A-Za-z0-9_-]{1,64}, Postmark aliases must
#: start with a letter, Mailgun lower-cases names. One name everywhere keeps uploads traceable.
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
NAME_PREFIX = "newsletter"
#: The earliest time a zip entry can carry (the format counts from 1980).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def template_name(issue: str, audience: str) -> str:
    """`newsletter-<issue>-<audience>`, at most 64 characters (long ones keep a hash)."""
    raw = f"{NAME_PREFIX}-{issue}-{audience}"
    name = re.sub(r"[^a-z0-9_-]+", "-", raw.lower()).strip("-")
    if len(name) > 64:
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]
        name = f"{name[:55].rstrip('-_')}-{digest}"
    return name


def dumps(data: Any) -> bytes:
    """JSON as providers' APIs take it: UTF-8, sorted keys, trailing newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def text(value: str) -> bytes:
    return value.encode("utf-8")


def safe_entry(name: str) -> str:
    """Refuse zip entry names that could escape the folder they are extracted into."""
    path = PurePosixPath(name)
    if (not name or "\\" in name or name.startswith("/") or path.is_absolute()
            or ".." in path.parts or re.match(r"^[A-Za-z]:", name)):
        raise ValueError(f"unsafe zip entry name: {name!r}")
    return path.as_posix()


def zip_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH as a zip timestamp (UTC), never before 1980; 1980-01-01 if unset."""
    if epoch is None:
        return ZIP_EPOCH
    return max(ZIP_EPOCH, tuple(time.gmtime(epoch)[:6]))  # type: ignore[return-value]


def make_zip(files: dict[str, bytes], epoch: int | None = None) -> bytes:
    """A zip built in memory that is byte-identical for the same input.

    Entries are sorted, timestamped with `zip_time(epoch)`, marked as Unix files with
    0644 permissions and deflated; nothing from the machine (time, owner) gets in.
    """
    stamp = zip_time(epoch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(safe_entry(name), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr carries permissions
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def yes_no(data: dict[str, object]) -> dict[str, object]:
    """Merge data for providers whose fields are text: true -> "yes", false/empty left out."""
    out: dict[str, object] = {}
    for key, value in data.items():
        if value is True:
            out[key] = "yes"
        elif value not in (None, False, ""):
            out[key] = value
    return out
