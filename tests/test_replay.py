"""A `newsletter build` with nothing changed prints what the last one printed, without building;
any change to what it came from builds again. Each run is a fresh process, as a user's is."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsletter.cache import CACHE_DIR

from .conftest import edit

# Runs the CLI, then writes whether the builder and the settings model (pydantic) were
# loaded: a build printed again loads neither.
RUN = ("import json, os, sys\n"
       "from newsletter.cli import main\n"
       "try:\n"
       "    main(sys.argv[1:], prog_name='newsletter')\n"
       "finally:\n"
       "    with open(os.environ['REPLAY_TEST_MARK'], 'w') as mark:\n"
       "        json.dump(['newsletter.build' in sys.modules, 'pydantic' in sys.modules], mark)\n")


def build(project: Path, *args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, bool]:
    """(the finished process, whether it built) of `newsletter build` on `project`."""
    mark = project.parent / "built.json"
    done = subprocess.run([sys.executable, "-c", RUN, "build", "--project", str(project), *args],
                          capture_output=True, text=True,
                          env={**os.environ, "REPLAY_TEST_MARK": str(mark), **(env or {})})
    built, models = json.loads(mark.read_text())
    assert built or not models, "a build printed again loaded the settings model"
    return done, built


def same(a: subprocess.CompletedProcess, b: subprocess.CompletedProcess) -> bool:
    return (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_a_build_with_nothing_changed_prints_the_same_without_building(minimal):
    first, built = build(minimal)
    assert first.returncode == 0 and built, first.stderr
    assert "2 messages" in first.stdout
    again, built = build(minimal)
    assert not built
    assert same(first, again)
    # The output folder is the one the first build wrote: nothing was touched.
    assert (minimal / "build/issues/2026-10/book-clubs/email.eml").is_file()


def test_any_change_to_what_it_came_from_builds_again(minimal):
    build(minimal)
    assert not build(minimal)[1]

    story = minimal / "content/stories/mei-spotlight.md"
    with story.open("a", encoding="utf-8") as handle:
        handle.write("\nA sentence added by the test.\n")
    done, built = build(minimal)
    assert built and done.returncode == 0
    assert not build(minimal)[1]

    # The output folder changed by hand: built again, and the file is back.
    text = minimal / "build/issues/2026-10/book-clubs/email.txt"
    text.unlink()
    assert build(minimal)[1] and text.is_file()
    assert not build(minimal)[1]

    with (minimal / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[checks]\nsubject_max_length = 59\n")
    assert build(minimal)[1]
    assert not build(minimal)[1]

    # How the output is shown is part of what was printed.
    assert build(minimal, env={"NO_COLOR": "1"})[1]
    assert build(minimal, "--strict")[1]
    assert build(minimal, "--format", "json")[1]
    done, built = build(minimal, "--format", "json")
    assert not built and json.loads(done.stdout)["ok"] is True


def test_a_changed_customer_export_named_in_the_settings_builds_again(basic):
    # What newsletter.toml names (here an export outside content/) is read from its text:
    # the replay decides before any settings model loads.
    (basic / "crm").mkdir()
    (basic / "content/customers.csv").rename(basic / "crm/export.csv")
    edit(basic / "newsletter.toml", "[customers]\n", '[customers]\nfiles = ["crm/export.csv"]\n')
    build(basic)
    assert not build(basic)[1]
    edit(basic / "crm/export.csv", "2019-01-01,20,500,5,10,", "2019-01-01,20,500,5,6,")
    assert build(basic)[1]
    assert not build(basic)[1]


def test_settings_naming_exports_wrongly_build_and_say_so(basic):
    build(basic)
    edit(basic / "newsletter.toml", "[customers]\n", '[customers]\nfiles = "crm/export.csv"\n')
    done, built = build(basic)
    assert built and done.returncode != 0 and "newsletter.toml" in done.stderr


def test_failing_checks_are_printed_again_with_their_exit_code(minimal):
    # Every subject of the fixture is longer than ten characters: the subject check fails.
    with (minimal / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[checks]\nsubject_max_length = 10\nseverity = { subject = \"error\" }\n")
    first, built = build(minimal)
    assert built and first.returncode == 1, first.stderr
    assert "checks failed" in first.stderr
    again, built = build(minimal)
    assert not built and same(first, again)


def test_bad_input_and_builds_from_scratch_are_never_printed_again(minimal):
    edit(minimal / "content/stories/mei-spotlight.md", "tier: gold", "tier: diamond")
    first, built = build(minimal)
    assert first.returncode == 1 and "build failed" in first.stderr
    assert build(minimal)[1]  # nothing was kept: built (and failed) again

    edit(minimal / "content/stories/mei-spotlight.md", "tier: diamond", "tier: gold")
    assert build(minimal, "--no-cache")[1]
    assert build(minimal, "--no-cache")[1]
    assert build(minimal, env={"NEWSLETTER_CACHE": "0"})[1]
    with (minimal / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[checks]\nspam = \"off\"\n")
    assert build(minimal, "--full-checks")[1]
    assert build(minimal, "--full-checks")[1]
    build(minimal)
    assert build(minimal, "-v")[1]  # the verbose report is always made afresh
    assert not build(minimal)[1]


def test_the_kept_output_lives_in_the_build_cache(minimal):
    build(minimal)
    assert list((minimal / CACHE_DIR / "replay").rglob("*"))


def test_a_link_to_a_built_folder_is_refused_as_always(minimal):
    # The link's target holds exactly the last build, but the link is what the command names.
    build(minimal, "--out", str(minimal / "made"))
    (minimal / "link").symlink_to("made")
    done, built = build(minimal, "--out", str(minimal / "link"))
    assert done.returncode == 2 and built and "symbolic link" in done.stderr


def test_on_a_terminal_the_progress_bar_is_not_printed_again(minimal):
    """Run on a pseudo-terminal: the second run prints the summary and report as the first
    left them, without building and without the first run's progress bar."""
    import pty

    def on_terminal() -> tuple[str, bool]:
        leader, follower = pty.openpty()
        mark = minimal.parent / "built.json"
        env = {**os.environ, "REPLAY_TEST_MARK": str(mark), "COLUMNS": "120", "LINES": "40"}
        env.pop("NO_COLOR", None)
        process = subprocess.Popen([sys.executable, "-c", RUN, "build", "--project", str(minimal)],
                                   stdout=follower, stderr=follower, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
        os.close(leader)
        built, models = json.loads(mark.read_text())
        assert built or not models, "a build printed again loaded the settings model"
        return b"".join(chunks).decode("utf-8", "replace"), built

    first, built = on_terminal()
    assert built and "2 messages" in first and "building" in first  # the bar, while it built
    second, built = on_terminal()
    assert not built and "2 messages" in second
    assert "building" not in second  # the bar's label
    third, built = on_terminal()
    assert not built and third == second


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders without read permission")
def test_an_output_folder_that_cannot_be_read_gives_no_traceback(minimal):
    build(minimal)
    hidden = minimal / "build/issues"
    hidden.chmod(0)
    try:
        done, built = build(minimal)
    finally:
        hidden.chmod(0o755)
    assert built and "Traceback" not in done.stderr
