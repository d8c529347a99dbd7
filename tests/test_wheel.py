"""The package as users install it: a wheel in a clean virtualenv starts and builds a project.

Builds the wheel, installs it into a new virtualenv (no system site-packages) with its
dependencies pinned by requirements.lock, and runs `newsletter init` and `newsletter build`
there: the bundled templates and starter must be inside the wheel. Playwright and WeasyPrint
are extras, so `snapshot` must say in one line which extra to install. Takes about a minute
(pip's cache is reused).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.wheel


def run(*args: str | Path, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "NO_COLOR")}
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtualenv with the wheel and its locked base dependencies."""
    work = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", REPO)
    (wheel,) = (work / "dist").glob("newsletter-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "newsletter/default_templates/newsletter.mjml.j2" in names
    assert "newsletter/console/schemas/build.json" in names
    run(sys.executable, "-m", "venv", work / "venv")
    pyvenv = (work / "venv" / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in pyvenv
    bin_dir = work / "venv" / "bin"
    # The lock as a constraint: only newsletter's own (non-extra) dependencies are installed,
    # at exactly the locked versions. (pip checks hashes only for whole requirement files;
    # `make install` installs the lock that way.)
    pins = [line.split(" ")[0] for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines()
            if line[:1].isalnum()]
    assert pins and all("==" in pin for pin in pins)
    constraints = work / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "--constraint", constraints, wheel)
    return bin_dir


def test_init_and_build_work_from_the_wheel(installed: Path, tmp_path: Path):
    newsletter = installed / "newsletter"
    assert run(newsletter, "-h").stdout.startswith("Usage: newsletter")
    run(newsletter, "init", "shop", "--brand", "Larder & Co", "--website", "https://larder.example",
        "--sender", "news@larder.example", cwd=tmp_path)
    built = run(newsletter, "build", "-q", cwd=tmp_path / "shop")
    assert built.stdout == ""
    assert (tmp_path / "shop/build/index.html").is_file()
    assert list((tmp_path / "shop/build/issues").glob("*/*/email.eml"))


def test_extras_are_not_installed_and_snapshot_names_its_extra(installed: Path, tmp_path: Path):
    listed = run(installed / "python", "-m", "pip", "list", "--format", "freeze").stdout.lower()
    assert "playwright" not in listed and "weasyprint" not in listed
    run(installed / "newsletter", "init", "shop", "--brand", "B", "--website", "https://b.example",
        "--sender", "n@b.example", cwd=tmp_path)
    shot = run(installed / "newsletter", "snapshot", cwd=tmp_path / "shop", check=False)
    assert shot.returncode == 1
    assert shot.stdout == ""
    assert shot.stderr.strip().splitlines() == [
        "error: screenshots need Playwright, which is not installed: pip install 'newsletter[snapshot]' "
        "[missing-extra]"]


def test_the_print_channel_names_its_extra(installed: Path, tmp_path: Path):
    run(installed / "newsletter", "init", "shop", "--brand", "B", "--website", "https://b.example",
        "--sender", "n@b.example", cwd=tmp_path)
    shop = tmp_path / "shop"
    audiences = shop / "content/audiences.yml"
    audiences.write_text(audiences.read_text(encoding="utf-8").replace("channels: [email]", "channels: [email, print]"),
                         encoding="utf-8")
    issue = shop / "content/issues/first-issue.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("date:", "channels: [email, print]\ndate:", 1),
                     encoding="utf-8")
    built = run(installed / "newsletter", "build", cwd=shop, check=False)
    assert built.returncode == 1
    assert ("error: the print channel needs WeasyPrint, which is not installed: pip install "
            "'newsletter[print]' (or take print out of the issue's channels) [missing-extra]") in built.stderr
    assert "Traceback" not in built.stderr
    assert not (shop / "build").exists()
