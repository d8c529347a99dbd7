"""A long fuzzing campaign over every reader (`make fuzz`): inputs tried, exceptions, hangs.

Uses the strategies and the harness of tests/fuzzing.py (the test suite runs the same, shorter):

    .venv/bin/python tools/fuzz.py --examples 2600            # 8 readers x 2600 = 20,800 inputs
    .venv/bin/python tools/fuzz.py --target story-body --examples 500 --seed 7

Exit code 1 if any input raised something other than a BuildError, gave an error without
file:line, took more than SLOW_SECONDS of CPU time, or hung.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import FIXTURE, SLOW_SECONDS, TARGETS, Target, run_input  # noqa: E402

BAD = ("exception", "no-line", "slow", "hang")


def campaign(target: Target, root: Path, examples: int, run_seed: int) -> tuple[Counter, list, float]:
    """Run `examples` inputs of one target; outcomes by kind, the bad ones, the slowest CPU time."""
    outcomes: Counter = Counter()
    found: list[tuple[str, str, str]] = []
    slowest = [0.0]

    @seed(run_seed)
    @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(target.inputs())
    def one(text: str) -> None:
        result = run_input(root, target, text)
        outcomes[result.outcome] += 1
        slowest[0] = max(slowest[0], result.seconds)
        if result.outcome in BAD:
            found.append((result.outcome, result.detail, text))

    one()
    return outcomes, found, slowest[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2600, help="inputs per reader")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS),
                        help="a reader to fuzz (repeatable; default: all)")
    parser.add_argument("--seed", type=int, default=20261005)
    args = parser.parse_args()
    names = args.target or sorted(TARGETS)
    total: Counter = Counter()
    problems = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsletter-fuzz-") as folder:
        root = Path(folder) / "project"
        shutil.copytree(FIXTURE, root)
        for name in names:
            outcomes, found, slowest = campaign(TARGETS[name], root, args.examples, args.seed)
            total.update(outcomes)
            problems += [(name, *item) for item in found]
            print(f"{name:20} inputs {sum(outcomes.values()):6}  ok {outcomes['ok']:5}  "
                  f"diagnostics {outcomes['diagnostics']:5}  exceptions {outcomes['exception']}  "
                  f"no file:line {outcomes['no-line']}  slow {outcomes['slow']}  hangs {outcomes['hang']}  "
                  f"slowest {slowest:.2f} s CPU", flush=True)
    for name, outcome, detail, text in problems[:20]:
        print(f"\n{name}: {outcome}: {detail[:400]}\n  input: {text[:400]!r}")
    exceptions = total["exception"] + total["no-line"]
    print(f"\nfuzz inputs {sum(total.values())} / exceptions {exceptions} / hangs {total['hang']} / "
          f"slower than {SLOW_SECONDS:.0f} s {total['slow']}  ({time.monotonic() - started:.0f} s)")
    return 1 if any(total[kind] for kind in BAD) else 0


if __name__ == "__main__":
    sys.exit(main())
