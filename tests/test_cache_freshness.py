"""The build cache never serves a stale result: after an edit to any kind of build input, a
build with the cache (and the preview's rebuild) writes exactly what a build from scratch
writes, byte for byte, report.json and manifest.json included.

Each case builds a small fixture project with the cache, edits one input, and compares a
second cached build with a clean one. Every case also checks that its edit changes the
output, so a comparison that could not fail does not pass for one that did.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image

from newsletter.build import build
from newsletter.cache import CACHE_DIR
from newsletter.checks.registry import REGISTRY
from newsletter.preview.watch import Rebuilder

from .conftest import FIXTURES, edit

ISSUE = "content/issues/2026-10.md"
GUIDE = "content/stories/reading-habit-guide.md"  # the guide `pick` finds for new-readers
TOM = "content/stories/tom-testimonial.md"
LITERAL = "two books ({{ first_name }} is how our letters greet him)"

PACK = """\
title: Your first weeks with Lumen
date: 2026-10-01
audiences: [new-readers]
steps:
  - id: welcome
    day: 0
    title: Welcome to Lumen
    subject: "{{ first_name | Reader }}, welcome to Lumen"
    preheader: "Your first book is on its way, and a reading habit that takes twenty minutes a day."
    intro: |
      Hi {{ first_name | there }},

      Welcome to Lumen. Below is how Tom started, and a habit you can begin tonight.
    sections:
      - title: "How readers start"
        stories: [tom-testimonial, reading-habit-guide]
"""

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Language: zh_CN\\n"

msgid "Customer spotlight"
msgstr "{label}"
"""

SEPTEMBER = """\
---
title: September 2026
subject: "{{{{ first_name | Reader }}}}, a September reading list"
preheader: A short list for the first cool evenings, and one reader's way to finish every book.
date: 2026-09-05
audiences: [new-readers]
sections:
  - title: From our readers
    stories: [{story}]
---
Hi {{{{ first_name | there }}}},

Here is what our readers finished in September.
"""

PLUGIN = """\
from newsletter.checks import Finding, check

from {helper} import WORD


@check("house-{name}", "checklist", "warning", "Subjects mention the house word.")
def house_word(ctx):
    yield Finding(f"the house word is {{WORD}}", None, "say it in the subject")
"""


@pytest.fixture
def multichannel(tmp_path: Path) -> Path:
    """A writable copy of the multichannel fixture (every channel and script, story versions)."""
    target = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", target)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))
            if p.is_file()}


def differing(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    """Names of the files that are missing, extra or different."""
    return sorted(name for name in got.keys() | want.keys() if got.get(name) != want.get(name))


def same_as_clean(project: Path, tmp_path: Path, label: str):
    """Build with the cache into build/ and from scratch elsewhere; every file must be equal."""
    cached = build(project, cache=True)
    clean = build(project, tmp_path / f"clean-{label}", cache=False)
    got = tree(project / "build")
    assert differing(got, tree(clean.out_dir)) == [], f"stale after {label}"
    return cached, got


def report(files: dict[str, bytes], key: str) -> list[tuple[str, str]]:
    """(check, message) of every finding of one message in a build's report.json."""
    for variant in json.loads(files["report.json"])["variants"]:
        if f"{variant['issue']}/{variant['audience']}/{variant['channel']}" == key:
            return [(f["check"], f["message"]) for f in variant["findings"]]
    raise AssertionError(f"no {key} in report.json")


# -- edits: (fixture, setup before the first build, the edit) --------------------------

def _write(project: Path, name: str, text: str) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _repaint(project: Path) -> None:
    """Another picture under the same name (a real PNG, so every channel can draw it)."""
    Image.new("RGB", (4, 3), (200, 30, 40)).save(project / "content/images/mei.png", format="PNG")


def _rename_guide(project: Path) -> None:
    (project / GUIDE).rename(project / "content/stories/daily-reading-guide.md")


def _move_export(project: Path) -> None:
    """The customer export outside content/, named in `[customers] files`."""
    (project / "crm").mkdir()
    (project / "content/customers.csv").rename(project / "crm/export.csv")
    edit(project / "newsletter.toml", "[customers]\n", '[customers]\nfiles = ["crm/export.csv"]\n')


def _tom_scores_lower(name: str) -> Callable[[Path], None]:
    # Tom's NPS below 7 makes him silver by the data; his story says platinum (q1-tier-from-data).
    return lambda project: edit(project / name, "2019-01-01,20,500,5,10,", "2019-01-01,20,500,5,6,")


def _nothing(project: Path) -> None:
    return None


EDITS = {
    "issue file": ("minimal", _nothing, lambda p: edit(p / ISSUE, "Tom's first month", "Tom's second month")),
    "new welcome-pack file": ("minimal", _nothing, lambda p: _write(p, "content/welcome/first-weeks.yml", PACK)),
    "welcome-pack file": ("minimal", lambda p: _write(p, "content/welcome/first-weeks.yml", PACK),
                          lambda p: edit(p / "content/welcome/first-weeks.yml", "Tom started", "Tom began")),
    "audiences.yml": ("minimal", _nothing,
                      lambda p: edit(p / "content/audiences.yml", "interests: [reading-habits]", "interests: [clubs]")),
    "new translations file": ("minimal", _nothing,
                              lambda p: _write(p, "translations/zh-CN.po", PO.format(label="读者聚焦"))),
    "translations file": ("minimal", lambda p: _write(p, "translations/zh-CN.po", PO.format(label="读者聚焦")),
                          lambda p: edit(p / "translations/zh-CN.po", "读者聚焦", "书友聚焦")),
    "story deleted": ("minimal", _nothing, lambda p: (p / GUIDE).unlink()),
    # The invariants let a tag through that content writes literally; that set is cached.
    "story writing a tag literally": ("minimal", _nothing, lambda p: edit(p / TOM, "two books", LITERAL)),
    "story renamed": ("minimal", _nothing, _rename_guide),
    "customer export": ("basic", _nothing, _tom_scores_lower("content/customers.csv")),
    "customer export named in [customers] files": ("basic", _move_export, _tom_scores_lower("crm/export.csv")),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_cached_build_equals_a_clean_build_after_an_edit(kind, request, tmp_path):
    fixture, setup, change = EDITS[kind]
    project = request.getfixturevalue(fixture)
    setup(project)
    _, before = same_as_clean(project, tmp_path, "first build")
    change(project)
    _, after = same_as_clean(project, tmp_path, kind)
    assert differing(before, after), f"the {kind} edit changed no output: the case proves nothing"


def test_images_and_story_versions_on_every_channel(multichannel, tmp_path):
    """One build sequence over the fixture with every channel (the printed letter embeds the
    featured customer's picture) and story versions (<id>.<locale>.md)."""
    _, previous = same_as_clean(multichannel, tmp_path, "first build")
    for kind, change in [
            ("image under content/", _repaint),
            ("story version file", lambda p: edit(p / "content/stories/tom-testimonial.pt-BR.md", "Tom", "O Tom")),
            ("story version deleted", lambda p: (p / "content/stories/reading-habit-guide.pt.md").unlink())]:
        change(multichannel)
        _, files = same_as_clean(multichannel, tmp_path, kind)
        assert differing(previous, files), f"the {kind} edit changed no output: the case proves nothing"
        previous = files


def test_files_changed_by_hand_in_build_are_written_again(minimal, tmp_path):
    same_as_clean(minimal, tmp_path, "first build")
    index = minimal / "build/index.html"
    info = index.stat()
    data = index.read_bytes()
    index.write_bytes(data.replace(b"<", b"[", 1))  # same size, same time: only the ctime tells
    os.utime(index, ns=(info.st_atime_ns, info.st_mtime_ns))
    same_as_clean(minimal, tmp_path, "index.html edited by hand")
    (minimal / "build/manifest.json").unlink()
    same_as_clean(minimal, tmp_path, "manifest.json deleted by hand")


def test_customer_data_changes_the_report(basic, tmp_path):
    same_as_clean(basic, tmp_path, "first build")
    key = "2026-10/new-readers/email"
    _tom_scores_lower("content/customers.csv")(basic)
    _, files = same_as_clean(basic, tmp_path, "customer export")
    assert [m for c, m in report(files, key) if c == "q1-tier-from-data" and "makes them silver" in m]


def test_a_customer_featured_in_another_issue_changes_only_the_report(minimal, tmp_path):
    _write(minimal, "content/issues/2026-09.md", SEPTEMBER.format(story="reading-habit-guide"))
    _, before = same_as_clean(minimal, tmp_path, "first build")
    october = "2026-10/new-readers/email"
    assert not [m for c, m in report(before, october) if c == "q1-featured-recently"]

    # Tom now appears in September too: October's message is the same, its report is not.
    edit(minimal / "content/issues/2026-09.md", "stories: [reading-habit-guide]", "stories: [tom-testimonial]")
    cached, after = same_as_clean(minimal, tmp_path, "customer featured in September")
    assert [m for c, m in report(after, october) if c == "q1-featured-recently"] == [
        "tom-testimonial: Tom Baker was also featured in the previous issue, 2026-09 "
        "(tom-testimonial for new-readers)"]
    assert not [key for key in cached.rendered if key.startswith("2026-10/")]
    october_files = [name for name in differing(before, after) if name.startswith("issues/2026-10/")]
    assert october_files == []


def test_samples_yml_is_no_build_input(minimal, tmp_path):
    first, before = same_as_clean(minimal, tmp_path, "first build")
    _write(minimal, "content/samples.yml",
           "- id: tom\n  email: tom@example.com\n  first_name: Tom\n  audience: new-readers\n")
    again, after = same_as_clean(minimal, tmp_path, "samples.yml written")
    assert after == before and again.rendered == []
    edit(minimal / "content/samples.yml", "first_name: Tom", "first_name: Thomas")
    third, later = same_as_clean(minimal, tmp_path, "samples.yml edited")
    assert later == before and third.rendered == []


def test_source_date_epoch_changes_are_seen(minimal, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _, unset = same_as_clean(minimal, tmp_path, "no SOURCE_DATE_EPOCH")
    for epoch in ("1790000000", "1790086400"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        _, files = same_as_clean(minimal, tmp_path, f"SOURCE_DATE_EPOCH={epoch}")
        assert json.loads(files["manifest.json"])["source_date_epoch"] == int(epoch)
        # The files' times are part of the output too.
        assert set(mtimes(minimal / "build").values()) == {int(epoch) * 10**9}
        assert mtimes(minimal / "build") == mtimes(tmp_path / f"clean-SOURCE_DATE_EPOCH={epoch}")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    _, files = same_as_clean(minimal, tmp_path, "SOURCE_DATE_EPOCH unset again")
    assert files == unset


# -- check plugins: each build in its own process, as `newsletter build` runs -----------

BUILD = "import sys; from newsletter.build import build; build(sys.argv[1], sys.argv[2], cache=sys.argv[3] == '1')"


def build_in_new_process(project: Path, out: Path, cache: bool) -> dict[str, bytes]:
    """A build in a fresh interpreter: a plugin edited since is imported as it is now."""
    done = subprocess.run([sys.executable, "-c", BUILD, str(project), str(out), "1" if cache else "0"],
                          capture_output=True, text=True, env={**os.environ, "NEWSLETTER_JOBS": "1"})
    assert done.returncode == 0, done.stderr
    return tree(out)


def add_plugin(project: Path, layout: str, name: str) -> tuple[Path, str]:
    """A check plugin laid out as a module, a package or a module with a helper module;
    returns the file that holds the house word, and the module newsletter.toml names."""
    if layout == "module":
        _write(project, f"{name}.py", PLUGIN.format(helper=f"{name}_words", name=name).replace(
            f"from {name}_words import WORD", 'WORD = "lantern"'))
        word, module = project / f"{name}.py", name
    elif layout == "package":
        _write(project, f"{name}/__init__.py", "")
        _write(project, f"{name}/words.py", 'WORD = "lantern"\n')
        _write(project, f"{name}/subject.py", PLUGIN.format(helper=f"{name}.words", name=name))
        word, module = project / name / "words.py", f"{name}.subject"
    else:  # a module importing a sibling module of the project folder
        _write(project, f"{name}_words.py", 'WORD = "lantern"\n')
        _write(project, f"{name}.py", PLUGIN.format(helper=f"{name}_words", name=name))
        word, module = project / f"{name}_words.py", name
    with (project / "newsletter.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[checks]\nplugins = ["{module}"]\n')
    return word, module


@pytest.mark.parametrize("layout", ["module", "package", "helper module"])
def test_an_edited_check_plugin_is_run_again(layout, minimal, tmp_path):
    name = f"house_{layout.replace(' ', '_')}"
    word, _ = add_plugin(minimal, layout, name)
    before = build_in_new_process(minimal, minimal / "build", cache=True)
    assert ("house-" + name, "the house word is lantern") in report(before, "2026-10/new-readers/email")
    edit(word, '"lantern"', '"beacon"')
    after = build_in_new_process(minimal, minimal / "build", cache=True)
    clean = build_in_new_process(minimal, tmp_path / "clean", cache=False)
    assert differing(after, clean) == [], f"stale after a {layout} plugin edit"
    assert ("house-" + name, "the house word is beacon") in report(after, "2026-10/new-readers/email")


# -- the preview's rebuilds -------------------------------------------------------------

def _own_templates(project: Path) -> None:
    """The project gets templates/ of its own (the example's), with a line added."""
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", project / "templates")
    edit(project / "templates/newsletter.mjml.j2", "</mj-body>",
         "<mj-section><mj-column><mj-text>Added</mj-text></mj-column></mj-section></mj-body>")


PREVIEW_EDITS = [
    ("story", lambda p: edit(p / "content/stories/tom-testimonial.md", "two books", "three books"),
     "content/stories/tom-testimonial.md"),
    ("issue", lambda p: edit(p / ISSUE, "Tom's first month", "Tom's second month"), ISSUE),
    ("story writing a tag literally", lambda p: edit(p / TOM, "three books", LITERAL), TOM),
    ("audiences", lambda p: edit(p / "content/audiences.yml", "interests: [reading-habits]", "interests: [clubs]"),
     "content/audiences.yml"),
    ("new translations", lambda p: _write(p, "translations/zh-CN.po", PO.format(label="读者聚焦")),
     "translations/zh-CN.po"),
    ("translations", lambda p: edit(p / "translations/zh-CN.po", "读者聚焦", "书友聚焦"), "translations/zh-CN.po"),
    ("image", _repaint, "content/images/mei.png"),
    ("welcome pack", lambda p: _write(p, "content/welcome/first-weeks.yml", PACK.replace(", reading-habit-guide", "")),
     "content/welcome/first-weeks.yml"),
    ("story renamed", _rename_guide, GUIDE),
    ("customer featured in another issue",
     lambda p: _write(p, "content/issues/2026-09.md", SEPTEMBER.format(story="tom-testimonial")),
     "content/issues/2026-09.md"),
    ("own templates", _own_templates, "templates"),
    ("template", lambda p: edit(p / "templates/newsletter.mjml.j2", "Added", "Edited"),
     "templates/newsletter.mjml.j2"),
    ("newsletter.toml", lambda p: edit(p / "newsletter.toml", 'name = "Lumen Books"', 'name = "Lumen Readers"'),
     "newsletter.toml"),
]


def test_preview_rebuilds_equal_clean_builds_after_every_edit(minimal, tmp_path):
    rebuilder = Rebuilder(minimal)
    previous = None
    for label, change, path in [("first build", _nothing, None)] + PREVIEW_EDITS:
        change(minimal)
        done = rebuilder.rebuild({path} if path else None)
        got = tree(minimal / "build")
        clean = build(minimal, tmp_path / f"clean-{label}", cache=False)
        assert differing(got, tree(clean.out_dir)) == [], f"preview stale after the {label} edit"
        assert previous is None or differing(previous, got), f"the {label} edit changed no output"
        previous = got
    assert done.rendered  # the last edit (newsletter.toml) renders every message again


def _in_place(path: Path, old: bytes, new: bytes) -> None:
    """Change a file's bytes in place, size and modification time kept: only the ctime tells."""
    info = path.stat()
    data = path.read_bytes()
    assert old in data and len(old) == len(new)
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_preview_rebuilds_from_its_spare_folder_equal_clean_builds(minimal, tmp_path):
    """The preview updates the output before last into the next one (newsletter.output.writer.Spare):
    files changed meanwhile in it, or in build/, are written again, never kept."""
    rebuilder = Rebuilder(minimal)
    rebuilder.rebuild(None)
    story = minimal / TOM
    for round, harm in enumerate(["nothing", "spare", "build", "spare manifest", "nothing"]):
        spare = rebuilder.spares.spare.path
        assert spare.parent == minimal and spare.name.startswith(".build.new-")
        if harm == "spare":
            _in_place(spare / "index.html", b"<", b"[")
        elif harm == "build":
            _in_place(minimal / "build/index.html", b"<", b"[")
        elif harm == "spare manifest":
            _in_place(spare / "manifest.json", b"{", b"[")
        edit(story, "two books" if round == 0 else f"{round + 1} books", f"{round + 2} books")
        rebuilder.rebuild({TOM})
        clean = build(minimal, tmp_path / f"clean-{round}", cache=False)
        assert differing(tree(minimal / "build"), tree(clean.out_dir)) == [], f"stale after harm to the {harm}"
    rebuilder.close()
    assert [p.name for p in minimal.iterdir() if p.name.startswith(".build.")] == []


PREVIEW_PLUGIN = "house_preview_plugin"


@pytest.fixture
def own_registry():
    """The check the preview test's plugin registers in this process is gone after it."""
    checks = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(checks)
    for name in [name for name in sys.modules if name.split(".")[0] == PREVIEW_PLUGIN]:
        del sys.modules[name]


def test_a_plugin_edited_while_the_preview_runs(minimal, tmp_path, own_registry):
    """A plugin edited during the preview: the preview's next rebuild runs the new code, and
    the results it keeps do not leak old findings into a later `newsletter build`."""
    name = PREVIEW_PLUGIN
    word, _ = add_plugin(minimal, "package", name)
    rebuilder = Rebuilder(minimal)
    rebuilder.rebuild(None)
    edit(word, '"lantern"', '"beacon"')
    rebuilder.rebuild({word.relative_to(minimal).as_posix()})
    preview = tree(minimal / "build")
    assert ("house-" + name, "the house word is beacon") in report(preview, "2026-10/new-readers/email")
    cached = build_in_new_process(minimal, minimal / "build", cache=True)
    clean = build_in_new_process(minimal, tmp_path / "clean", cache=False)
    assert differing(cached, clean) == [] and differing(preview, clean) == []

    # The check renamed in the plugin: the old one does not linger in the preview's process.
    edit(minimal / name / "subject.py", f'"house-{name}"', f'"house-renamed-{name}"')
    rebuilder.rebuild({f"{name}/subject.py"})
    checks = {check for check, _ in report(tree(minimal / "build"), "2026-10/new-readers/email")}
    assert f"house-renamed-{name}" in checks and f"house-{name}" not in checks


def test_the_cache_folder_is_keyed_not_timed(minimal, tmp_path):
    """An edit that restores earlier bytes finds their results again, and the results are right."""
    story = minimal / "content/stories/tom-testimonial.md"
    original = story.read_bytes()
    _, first = same_as_clean(minimal, tmp_path, "first build")
    edit(story, "two books", "three books")
    _, edited = same_as_clean(minimal, tmp_path, "edited")
    story.write_bytes(original)
    restored, files = same_as_clean(minimal, tmp_path, "restored")
    assert files == first and differing(first, edited)
    assert restored.rendered == []  # found in the store, by the restored bytes
    assert (minimal / CACHE_DIR).is_dir()
