"""README's checks table says what the registry says: every built-in check, its question,
its default severity and its doc, in the registry's order, and nothing else."""

from __future__ import annotations

import re

from newsletter.checks import REGISTRY

ROW = re.compile(r"^\| `([a-z0-9-]+)` \| ([^|]+) \| ([a-z]+) \| (.*?) \| (.*) \|$")


def expected_rows() -> list[tuple[str, str, str, str]]:
    """(id, question, default, doc) per built-in check, sorted as README lists them."""
    order = {1: 1, 2: 2, 3: 3, 4: 4, "checklist": 5}
    checks = sorted(REGISTRY.values(), key=lambda c: (order[c.question], c.id))
    return [(c.id, f"Q{c.question}" if isinstance(c.question, int) else c.question, c.severity,
             c.doc.replace("|", "\\|")) for c in checks if c.run.__module__.startswith("newsletter.")]


def readme_rows(repo) -> list[tuple[str, str, str, str]]:
    text = (repo / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Checks\n", 1)[1].split("\n## ", 1)[0]
    return [m.groups()[:4] for m in map(ROW.match, section.splitlines()) if m]


def test_readme_table_matches_the_registry(repo):
    want, have = expected_rows(), readme_rows(repo)
    missing = "\n".join(f"| `{i}` | {q} | {s} | {d} | ... |" for i, q, s, d in want if (i, q, s, d) not in have)
    assert have == want, "README's checks table differs from the registry; expected rows:\n" + missing


def test_every_row_says_how_to_fix(repo):
    text = (repo / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Checks\n", 1)[1].split("\n## ", 1)[0]
    rows = [m for m in map(ROW.match, section.splitlines()) if m]
    assert rows and all(m.group(5).strip() for m in rows)
