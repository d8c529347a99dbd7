"""Shared fixtures: small example projects copied to a temporary folder, and the repo root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsletter.render import fonts

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project (English and Chinese audiences)."""
    target = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    """A writable copy of the customers-basic fixture (a small customer export, hand-worked values)."""
    target = tmp_path / "customers-basic"
    shutil.copytree(FIXTURES / "customers-basic", target)
    return target


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the bundled example project (the repository root)."""
    target = tmp_path / "example"
    target.mkdir()
    shutil.copy(REPO / "newsletter.toml", target)
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "templates", target / "templates")
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a fixture file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's), driven by Playwright, seeing only our fonts
    (as `newsletter snapshot` runs it), so screenshots do not depend on the machine's fonts."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is not installed: run `make test`"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                              env=fonts.environ(fonts.setup()))
        yield instance
        instance.close()


def _fixture_files() -> set[str]:
    return {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def fixtures_stay_untouched():
    """No test may write into tests/fixtures (a cache left there changes later tests' copies):
    tests work on copies (the `minimal`, `basic`... fixtures)."""
    before = _fixture_files()
    yield
    added = sorted(_fixture_files() - before)
    assert not added, f"tests wrote into tests/fixtures: {added[:5]}"
