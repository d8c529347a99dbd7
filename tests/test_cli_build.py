import os
import shutil
import subprocess
import sys

from click.testing import CliRunner

from newsletter.cache import CACHE_DIR
from newsletter.cli import main

from .conftest import edit
from .test_cache import tree


def test_build_prints_summary_and_where_to_look(minimal):
    result = CliRunner().invoke(main, ["build", "--project", str(minimal)])
    assert result.exit_code == 0, result.output
    assert "2 messages" in result.output
    assert "index.html" in result.output
    assert (minimal / "build/issues/2026-10/book-clubs/email.eml").is_file()


def test_errors_are_one_line_each_without_traceback(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "tier: platinum", "tier: diamond")
    edit(minimal / "content/issues/2026-10.md", "newest: 1", "newest: 0")
    result = CliRunner().invoke(main, ["build", "-p", str(minimal)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("content/issues/2026-10.md:10:35: error: sections[1].pick.newest:")
    assert lines[1].startswith("content/stories/tom-testimonial.md:8:9: error: unknown loyalty tier 'diamond'")
    assert lines[2] == "build failed: 2 problem(s); the previous build was left untouched"


def test_strict_flag(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "summary:", "sumary:")
    ok = CliRunner().invoke(main, ["build", "-p", str(minimal), "-q"])
    assert ok.exit_code == 0 and "warning: unknown key 'sumary'" in ok.output
    strict = CliRunner().invoke(main, ["build", "-p", str(minimal), "--strict"])
    assert strict.exit_code == 1


def test_not_a_project(tmp_path):
    result = CliRunner().invoke(main, ["build", "-p", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("newsletter.toml: error: no newsletter.toml in")


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_no_cache_builds_from_scratch_and_writes_the_same_files(example, tmp_path):
    cached = CliRunner().invoke(main, ["build", "-p", str(example), "-q"])
    assert cached.exit_code == 0, cached.output
    assert (example / CACHE_DIR).is_dir()
    scratch = tmp_path / "scratch"
    shutil.copytree(example, scratch, ignore=shutil.ignore_patterns(CACHE_DIR, "build"))
    fresh = CliRunner().invoke(main, ["build", "-p", str(scratch), "-q", "--no-cache", "--jobs", "1"])
    assert fresh.exit_code == 0, fresh.output
    # Only the customer exports' own imported copy, which is not the build's cache.
    assert sorted(p.name for p in (scratch / CACHE_DIR).iterdir()) == ["customers"]
    assert sorted(p.name for p in (example / CACHE_DIR).iterdir()) != ["customers"]
    assert tree(scratch / "build") == tree(example / "build")


def test_jobs_must_be_a_positive_number(minimal):
    for wrong in ("0", "-2", "two"):
        result = CliRunner().invoke(main, ["build", "-p", str(minimal), "--jobs", wrong])
        assert result.exit_code == 2 and "Invalid value for '--jobs'" in result.output
        assert not (minimal / "build").exists()


def test_jobs_sets_how_many_processes_render_over_the_environment(example):
    # Fresh interpreters (a fork needs a process with one thread); the render workers'
    # own stage, the checks of one message, shows only in the timings of a forked build.
    code = ("import sys; from newsletter.build import build; "
            "print('check-alone' in build(sys.argv[1], jobs=int(sys.argv[2]), cache=False).timings)")
    env = {**os.environ, "NEWSLETTER_JOBS": "1"}
    forked = subprocess.run([sys.executable, "-c", code, str(example), "2"], capture_output=True, text=True,
                            env=env, check=True)
    here = subprocess.run([sys.executable, "-c", code, str(example), "1"], capture_output=True, text=True,
                          env={**os.environ, "NEWSLETTER_JOBS": "2"}, check=True)
    assert (forked.stdout.strip(), here.stdout.strip()) == ("True", "False")
