"""Messages named on the command line: ISSUE, PACK or PACK/STEP, in check, send-test and snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.build import load
from newsletter.cli import main
from newsletter.compose.addressing import known_names, resolve
from newsletter.content.samples import load_samples
from newsletter.core.diagnostics import BuildError, Diagnostics
from newsletter.sendtest import prepare

STEP = "first-90-days/welcome"


@pytest.fixture
def project(example: Path):
    return load(example)[0]


def test_an_issue_a_pack_and_a_step_resolve(project):
    assert [m.id for m in resolve(project, ["2026-11"])] == ["2026-11"]
    assert [m.id for m in resolve(project, [STEP])] == [STEP]
    steps = resolve(project, ["first-90-days"])
    assert len(steps) == len(project.packs["first-90-days"].steps) > 1
    assert all(m.kind == "welcome" for m in steps)
    assert STEP in known_names(project) and "2026-11" in known_names(project)


def test_an_unknown_name_lists_the_known_ones(project):
    with pytest.raises(BuildError) as caught:
        resolve(project, ["first-90-days/welcom"])
    (line,) = [str(d) for d in caught.value.diagnostics]
    assert "unknown issue 'first-90-days/welcom'" in line and STEP in line and "2026-11" in line


def test_check_reports_only_the_step_asked_for(example: Path):
    result = CliRunner().invoke(main, ["check", "-p", str(example), "--fast", "--issue", STEP, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    variants = json.loads(result.stdout)["variants"]
    assert variants and {v["issue"] for v in variants} == {STEP}
    # The pack rules still judged the whole sequence (reported on its first step).
    checks = {f["check"] for v in variants for f in v["findings"]}
    assert "pack-schedule" in checks


# send-test needs the unsubscribe secret for the one-click link of the test address.
ENV = {"NEWSLETTER_UNSUBSCRIBE_SECRET": "unsubscribe-secret-for-tests"}


def test_send_test_prepares_a_welcome_pack_step(example: Path, project):
    samples = load_samples(example, Diagnostics())
    messages = prepare(project, samples, "me@example.com", issue=STEP, environ=ENV)
    assert messages and all(m.key.startswith(STEP + "/") for m in messages)


def test_send_test_asks_for_a_step_when_given_a_pack(project, example: Path):
    with pytest.raises(BuildError, match="is a welcome pack: name one step"):
        prepare(project, load_samples(example, Diagnostics()), "me@example.com", issue="first-90-days",
                environ=ENV)
