"""Golden files for the example project's output. Regenerate after an intended change with:

    make golden
"""

import os
from pathlib import Path

import pytest

from newsletter.build import build

GOLDEN = Path(__file__).resolve().parent / "golden" / "example"
UPDATE = os.environ.get("NEWSLETTER_UPDATE_GOLDEN") == "1"
# The .eml wraps the same HTML and text in quoted-printable; comparing those two is enough.
COMPARED = (".html", ".txt", ".json")


def test_example_output_matches_golden_files(example, tmp_path):
    result = build(example, tmp_path / "build")
    produced = {name: data for name, data in result.files.items() if name.endswith(COMPARED)}
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
