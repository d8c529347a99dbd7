"""Whole builds: determinism, atomicity, manifest."""

import hashlib
import json
import os
import subprocess
import sys

import pytest

from newsletter.build import build
from newsletter.core.diagnostics import BuildError

from .conftest import edit


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(example, tmp_path):
    build(example, tmp_path / "one")
    build(example, tmp_path / "two")
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys() and len(one) > 20
    assert one == two


def test_failed_build_leaves_previous_output_untouched(minimal):
    build(minimal)
    before = tree(minimal / "build")
    # The story reads fine but the template breaks half way through rendering.
    (minimal / "templates/blocks").mkdir(parents=True)
    (minimal / "templates/blocks/guide.mjml.j2").write_text("{{ story.no_such_field }}", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build(minimal)
    assert str(info.value).startswith("templates/blocks/guide.mjml.j2:1: error: template error:")
    assert tree(minimal / "build") == before
    assert sorted(p.name for p in minimal.iterdir() if p.name.startswith(".build")) == []


def test_a_message_that_fails_in_a_render_worker_is_one_located_error(example):
    """The pool path: a template that breaks for one later message only (the first message of
    each channel renders before the fork) fails the build with the template's line, no
    traceback, and the previous build stays."""
    newsletter = [sys.executable, "-c", "from newsletter.cli import main; main()"]
    env = {**os.environ, "NEWSLETTER_JOBS": "2"}
    first = subprocess.run([*newsletter, "build", "-p", str(example)], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    before = tree(example / "build")
    footer = example / "templates/partials/footer.mjml.j2"
    footer.write_text('{% if message.id == "2026-11" and audience.id == "cafe-owners" %}'
                      "{{ audience.no_such_field }}{% endif %}" + footer.read_text(encoding="utf-8"),
                      encoding="utf-8")
    done = subprocess.run([*newsletter, "build", "-p", str(example)], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(
        "templates/partials/footer.mjml.j2:1: error: template error:"), done.stderr
    assert tree(example / "build") == before


def test_invalid_content_leaves_previous_output_untouched(minimal):
    build(minimal)
    before = tree(minimal / "build")
    edit(minimal / "content/stories/tom-testimonial.md", "tier: platinum", "tier: [")
    with pytest.raises(BuildError):
        build(minimal)
    assert tree(minimal / "build") == before


def test_manifest_lists_every_output_with_hashes(minimal):
    result = build(minimal)
    manifest = json.loads((minimal / "build/manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == 2
    entry = next(o for o in manifest["outputs"] if o["audience"] == "book-clubs")
    assert entry["issue"] == "2026-10" and entry["channel"] == "email" and entry["locale"] == "zh-CN"
    assert entry["subject"] == "朋友，读书会的秘密"
    assert entry["stories"] == ["mei-spotlight", "club-questions-guide"]
    for item in entry["files"]:
        data = (minimal / "build" / item["path"]).read_bytes()
        assert item["bytes"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
    assert [a["path"] for a in manifest["assets"]] == ["assets/images/mei.png"]
    assert result.out_dir == minimal / "build"


def test_each_audience_gets_only_stories_that_suit_it(minimal):
    result = build(minimal)
    by_audience = {o.variant.audience.id: [s.id for s in o.variant.stories] for o in result.outputs}
    assert by_audience == {"new-readers": ["tom-testimonial", "reading-habit-guide"],
                           "book-clubs": ["mei-spotlight", "club-questions-guide"]}


def test_strict_fails_on_warnings(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "summary:", "sumary:")
    build(minimal)  # a warning only
    with pytest.raises(BuildError) as info:
        build(minimal, strict=True)
    assert "unknown key 'sumary'" in str(info.value)


def test_source_date_epoch_recorded(minimal, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build(minimal)
    manifest = json.loads((minimal / "build/manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_date_epoch"] == 1767225600


_WORKERS_AGREE = """
import sys
from pathlib import Path
from newsletter.build import load, render
from newsletter.checks.run import check_alone
from newsletter.core.timing import Timer
from newsletter.output.invariants import Provenance, literal_text, violations

root = Path(sys.argv[1])
project, _ = load(root)
provenance = Provenance(literal_text(root))
outputs = render(project, Timer(), invariants=(provenance, "build/"))
assert len(outputs) >= 8 and all(o.checked is not None and o.clean is not None for o in outputs)
own = {}
for output in outputs:
    expected = check_alone(project, output, own)
    assert output.checked and set(output.checked) <= set(expected), output.variant.key
    assert ({k: [f.message for f in v] for k, v in output.checked.items()}
            == {k: [f.message for f in v] for k, v in expected.items() if k in output.checked})
    mine = {f"{output.directory}/{name}": data for name, data in output.files.items()}
    assert output.clean[0] == "build/" and set(output.clean[2]) == set(mine)
    assert output.clean[2] == {name: violations({name: data}, provenance, "build/") for name, data in mine.items()}
    assert sum((output.clean[2][name] for name in sorted(mine)), []) == violations(mine, provenance, "build/")
print("agreed", len(outputs))
"""


def test_render_workers_check_each_message_as_the_main_process_would(example):
    """Findings and invariant results made in the render workers equal those made here.

    In a fresh process: the pool is used only where no other thread runs (a test server's
    thread left by another test would make this one render serially).
    """
    done = subprocess.run([sys.executable, "-c", _WORKERS_AGREE, str(example)], capture_output=True,
                          text=True, env={**os.environ, "NEWSLETTER_JOBS": "2"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("agreed ")
