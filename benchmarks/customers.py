"""Customer-data benchmark: `customers --format json`, `suggest` and a build on 100k and 1M rows.

    .venv/bin/python benchmarks/customers.py [--rows 100000 1000000] [--skip-build]

Generates the exports once into benchmarks/out/customers-<rows>/ (benchmarks/customers_data.py,
fixed seed), then runs each command in a fresh process and prints its wall time, CPU time and
peak memory (maxrss), cold (the .newsletter-cache/ folder removed first) and warm (cache kept),
with the ratio to the figures measured before the engine (the issue's table) and to the
targets. A build's data share is what the build does with customer data (reading or mapping
the export, fetching the featured customers, their metrics per send date), run on its own
after loading the project: the build runs its checks in worker processes. CPU time counts
those workers too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from customers_data import generate  # noqa: E402

#: Seconds (and MB) before the engine, from the issue (2 cores): rows -> command -> value.
BEFORE = {100_000: {"customers": (17.7, 651), "suggest": (48.7, None), "build": (25.7, 646)},
          1_000_000: {"customers": (192, 5300), "suggest": (477, 4100), "build": (221, 4800)}}
TARGETS = {"customers": 5.0, "suggest": 5.0, "data share": 1.0, "data share (unchanged)": 0.1,
           "memory MB": 1024}


def child(argv: list[str]) -> None:
    """Run one command in this fresh process; print wall time and peak RSS as JSON on stderr."""
    start = time.perf_counter()
    data = 0.0
    if argv[0] == "build":
        from newsletter.build import build

        build(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "data-share":
        # What a build does with customer data (checks/ledger.py, q1-tier-from-data), timed in
        # this process: the build runs its checks in worker processes, out of a timer's reach.
        from newsletter.build import load
        from newsletter.customers.data import load_customer_data

        project, _ = load(Path(argv[1]))
        start = time.perf_counter()
        began = resource.getrusage(resource.RUSAGE_SELF)
        named = [s.meta.customer.name for s in project.stories.values() if s.meta.customer is not None]
        found = load_customer_data(project, named=named)
        found.keep_named(named)
        for issue in project.issues.values():
            found.profiles_named(named, issue.meta.date)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        data = usage.ru_utime + usage.ru_stime - began.ru_utime - began.ru_stime
    else:
        from newsletter.cli import main

        with open(os.devnull, "w", encoding="utf-8") as sink:
            sys.stdout = sink
            try:
                main(argv, standalone_mode=False)
            finally:
                sys.stdout = sys.__stdout__
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds (all threads, and worker processes) too: on a shared machine they move far
    # less than wall time. Peak memory is the largest single process's.
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime,
                      "rss": max(usage.ru_maxrss, children.ru_maxrss) / 1024, "data": data}), file=sys.stderr)


def run(*argv: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *argv], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stderr.strip().splitlines()[-1])


def project(rows: int) -> Path:
    root = HERE / "out" / f"customers-{rows // 1000}k"
    csv_path = root / "content" / "customers.csv"
    marker = root / ".rows"
    if not csv_path.is_file() or not marker.is_file() or marker.read_text() != str(rows):
        generate(root, rows)
        marker.write_text(str(rows))
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    print(f"customer-data benchmark; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    baseline = None
    for rows in args.rows:
        root = project(rows)
        cache = root / ".newsletter-cache"
        out = root / "build"
        day = ["--date", "2026-10-05"]
        results = {}
        shutil.rmtree(cache, ignore_errors=True)
        results["customers cold"] = run("customers", "-p", str(root), "--format", "json", *day)
        results["customers"] = run("customers", "-p", str(root), "--format", "json", *day)
        results["suggest"] = run("suggest", "-p", str(root), "--month", "2026-11", "--format", "json")
        if not args.skip_build:
            if baseline is None:
                small = HERE / "out" / "customers-example"
                if not small.is_dir():
                    generate(small, 40)
                run("build", str(small), str(small / "build"))  # warm the example's own cache
                baseline = run("build", str(small), str(small / "build"))
            shutil.rmtree(cache, ignore_errors=True)
            results["build cold"] = run("build", str(root), str(out))
            results["build"] = run("build", str(root), str(out))
            shutil.rmtree(cache, ignore_errors=True)
            results["data share cold"] = run("data-share", str(root))
            results["data share"] = run("data-share", str(root))
        before = BEFORE.get(rows, {})
        print(f"\n{rows:,} rows ({(root / 'content/customers.csv').stat().st_size / 1e6:.0f} MB CSV)")
        print(f"  {'command':<34} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} {'before':>8} {'speed-up':>9}")
        for name, figure in results.items():
            old = before.get(name.split()[0])
            ratio = f"{old[0] / figure['wall']:8.1f}x" if old else ""
            print(f"  {name:<34} {figure['wall']:8.2f} {figure['cpu']:8.2f} {figure['rss']:8.0f} "
                  f"{old[0] if old else '':>8} {ratio:>9}")
        if baseline and "build" in results:
            print(f"  {'build with the 40-row example':<34} {baseline['wall']:8.2f} {baseline['rss']:8.0f}")
            print(f"  data's share of a build (wall of load_customer_data, keep_named, profiles_named; CPU s in "
                  f"brackets): {results['data share cold']['wall']:.2f} s ({results['data share cold']['data']:.2f}) "
                  f"(target {TARGETS['data share']} s), unchanged export {results['data share']['wall']:.2f} s "
                  f"({results['data share']['data']:.2f}) (target {TARGETS['data share (unchanged)']} s)")
        peak = max(r["rss"] for r in results.values())
        print(f"  targets: customers {TARGETS['customers']} s, suggest {TARGETS['suggest']} s, "
              f"peak memory {TARGETS['memory MB']} MB (here {peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
