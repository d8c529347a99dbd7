"""Property-based fuzzing of every reader: bad input ends in diagnostics with file:line, fast.

Seeded (`derandomize=True`), so a run is repeatable; `NEWSLETTER_FUZZ_EXAMPLES` raises the
number of inputs per reader (`make fuzz` runs a long campaign with tools/fuzz.py).
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings

from .fuzzing import FIXTURE, SLOW_SECONDS, TARGETS, exercise, run_input

EXAMPLES = int(os.environ.get("NEWSLETTER_FUZZ_EXAMPLES", "60"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(FIXTURE, root)
    return root


def test_the_fixture_builds_cleanly(project):
    """The starting point is valid, so every finding below comes from a change the fuzzer made."""
    assert exercise(project) == []


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_reader_answers_every_input_with_diagnostics(project, name):
    target = TARGETS[name]

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much, HealthCheck.large_base_example])
    @given(target.inputs())
    def check(text):
        result = run_input(project, target, text)
        assert result.outcome in ("ok", "diagnostics"), \
            f"{result.outcome} ({result.seconds:.2f} s CPU): {result.detail[:1000]}\ninput: {text[:300]!r}"
        assert result.seconds < SLOW_SECONDS

    check()
