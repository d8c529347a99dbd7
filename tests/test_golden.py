"""Golden files for the example project's output. Regenerate after an intended change with:

    make golden
"""

import os
from pathlib import Path

import pytest

from newsletter.build import build

GOLDEN = Path(__file__).resolve().parent / "golden" / "example"
UPDATE = os.environ.get("NEWSLETTER_UPDATE_GOLDEN") == "1"
# The .eml wraps the same HTML and text in quoted-printable, and manifest.json holds the
# sha256 of every file; so the text parts, the JSON/CSV files and the issues' HTML are kept
# as readable golden files, and every other file is still pinned through the manifest.
COMPARED = (".txt", ".json", ".csv")


def compared(name: str) -> bool:
    return name.endswith(COMPARED) or (name.startswith("issues/") and name.endswith(".html"))


def test_example_output_matches_golden_files(example, tmp_path):
    result = build(example, tmp_path / "build")
    produced = {name: data for name, data in result.files.items() if compared(name)}
    if UPDATE:
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, data in produced.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        pytest.skip("golden files regenerated")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(produced) == sorted(expected), "outputs added or removed: run `make golden` if intended"
    changed = [name for name in produced if produced[name] != expected[name]]
    assert changed == [], f"outputs changed: {changed}; run `make golden` if intended"
