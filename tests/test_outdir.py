"""Which output folders build, export and snapshot may replace: every refusal changes nothing."""

import hashlib
import json
import os
import shutil
from contextlib import chdir
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.build import load
from newsletter.cli import main
from newsletter.output.outdir import MARKER, MARKER_TEXT, OutputRefused, check, is_ours, project_sources

ESP_PROJECT = Path(__file__).parent / "fixtures" / "esp-project"


def fingerprint(folder: Path) -> str:
    """sha256 over every entry under `folder`: paths, kinds, bytes and link targets."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            if path.is_symlink():
                digest.update(b"link:" + os.readlink(path).encode())
            elif path.is_file():
                digest.update(b"file:" + path.read_bytes())
            else:
                digest.update(b"dir")
    return digest.hexdigest()


def refused(args: list[str], project: Path, watched: Path) -> str:
    """Run a command in `project` that must be refused; its one line, once nothing changed."""
    before = fingerprint(watched)
    with chdir(project):  # --out is relative to where the marketer runs the command
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "[unsafe-out]" in lines[0] and "Traceback" not in result.output
    assert fingerprint(watched) == before
    return lines[0]


@pytest.mark.parametrize("out, start", [
    ("content", "content: error: the output folder is content, which the project reads"),
    (".", ".: error: this is the project folder itself"),
    ("templates", "templates: error: the output folder is templates, which the project reads"),
    ("content/build", "content/build: error: the output folder lies inside content"),
    ("..", "..: error: the output folder holds newsletter.toml"),
    ("newsletter.toml", "newsletter.toml: error: this is a file, not a folder"),
])
def test_build_refuses_the_project_and_its_sources(minimal, out, start):
    (minimal / "templates").mkdir()  # empty, so only the policy protects it
    line = refused(["build", "--out", out], minimal, minimal.parent)
    assert line.startswith(start)
    assert not (minimal / "build").exists()


def test_build_refuses_the_project_folder_given_by_absolute_path(minimal):
    line = refused(["build", "--out", str(minimal)], minimal, minimal.parent)
    assert "this is the project folder itself" in line


def test_refuses_a_symlink_without_emptying_its_target(minimal):
    (minimal / "kept").mkdir()
    (minimal / "kept/notes.txt").write_text("mine", encoding="utf-8")
    (minimal / "build").symlink_to("kept")
    line = refused(["build"], minimal, minimal.parent)
    assert line.startswith("build: error: the output folder is a symbolic link")
    # Even a link to a folder newsletter made: the link would be replaced, its target emptied.
    CliRunner().invoke(main, ["build", "--project", str(minimal), "--out", str(minimal / "made")])
    assert is_ours(minimal / "made")
    (minimal / "link").symlink_to("made")
    refused(["build", "--out", "link"], minimal, minimal.parent)


def test_refuses_a_file(minimal):
    (minimal / "build").write_text("a file called build", encoding="utf-8")
    line = refused(["build"], minimal, minimal.parent)
    assert line.startswith("build: error: this is a file, not a folder")


def test_refuses_a_foreign_folder_and_accepts_an_empty_one(minimal):
    (minimal / "build").mkdir()
    (minimal / "build/photo.jpg").write_bytes(b"\xff\xd8 not ours")
    line = refused(["build"], minimal, minimal.parent)
    assert line.startswith("build: error: this folder is not empty and newsletter did not make it")
    (minimal / "build/photo.jpg").unlink()
    result = CliRunner().invoke(main, ["build", "-q", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    assert (minimal / "build" / MARKER).read_bytes() == MARKER_TEXT


def test_refuses_a_folder_whose_manifest_another_tool_wrote(minimal):
    (minimal / "build").mkdir()
    (minimal / "build/manifest.json").write_text('{"generator": "webpack"}', encoding="utf-8")
    refused(["build"], minimal, minimal.parent)


def test_a_folder_an_earlier_version_wrote_is_replaced(minimal):
    old = minimal / "build"
    (old / "issues/2025-01").mkdir(parents=True)
    (old / "issues/2025-01/email.html").write_text("<p>old</p>", encoding="utf-8")
    (old / "manifest.json").write_text(json.dumps({"generator": "newsletter 0.4.0", "outputs": []}),
                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-q", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    assert not (old / "issues/2025-01").exists()
    assert json.loads((old / "manifest.json").read_text())["generator"].startswith("newsletter ")
    assert (old / MARKER).is_file()
    assert sorted(p.name for p in minimal.iterdir() if p.name.startswith(".build")) == []


def test_customer_data_and_check_plugins_are_sources(minimal):
    with (minimal / "newsletter.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[checks]\nplugins = ["house_rules"]\n\n[customers]\nfiles = ["crm/export.csv"]\n')
    sources = project_sources(minimal, load(minimal)[0].config)
    for out in ("crm", "crm/export.csv", "house_rules", "house_rules.py"):
        with pytest.raises(OutputRefused) as info:
            check(minimal / out, sources)
        assert len(info.value.diagnostics) == 1
    assert check(minimal / "build", sources) == (minimal / "build").resolve()


def test_export_refuses_content_even_with_force(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ESP_PROJECT, project)
    line = refused(["export", "--esp", "ses", "--out", "content", "--force"], project, tmp_path)
    assert line.startswith("content: error: the output folder is content, which the project reads")
    assert not (project / "export").exists()


def test_snapshot_refuses_before_starting_chromium(minimal):
    line = refused(["snapshot", "--out", "templates", "--chromium", "/nonexistent/chromium"],
                   minimal, minimal.parent)
    assert line.startswith("templates: error: the output folder is templates")
