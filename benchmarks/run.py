"""Benchmarks: build a generated project and say where the time goes (`make bench`).

    .venv/bin/python benchmarks/run.py [--stories N] [--audiences M] [--issues K] [--quick]

Generates a synthetic project (benchmarks/generate.py, fixed seed) in a temporary folder,
then, in this one process: (a) times MRML compiling a fixed typical newsletter
(benchmarks/typical-newsletter.mjml), the machine-speed yardstick; (b) times full builds
with newsletter.build.build and splits them by the build's own Timer totals; (c) when
Node and tests/js/node_modules/mjml are there, times the reference MJML on the same file.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DOCUMENT = HERE / "typical-newsletter.mjml"
JS = REPO / "tests" / "js"
sys.path.insert(0, str(HERE))

import mjml  # noqa: E402

from generate import generate  # noqa: E402
from newsletter.build import build  # noqa: E402
from newsletter.core.diagnostics import BuildError  # noqa: E402

# Timer names measured inside "render" (email channel), so shares are not counted twice.
NESTED = {"mjml-template": "template rendering (Jinja -> MJML)",
          "mjml-compile": "MJML compile (MRML)",
          "post-process": "post-process (text part + .eml)"}
LABELS = {"read": "read (parse + validate content)", "render": "render (all variants)",
          "check": "checks", "assemble": "assemble (manifest, index)", "write": "write"}


def baseline_mrml(source: str, runs: int) -> float:
    """Median ms of mjml.mjml2html on the fixed document, with the build's options."""
    for _ in range(10):  # warm-up: first calls pay for allocation and caches
        mjml.mjml2html(source, disable_comments=True, fonts={})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        mjml.mjml2html(source, disable_comments=True, fonts={})
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def baseline_node(runs: int) -> tuple[str, float] | None:
    """(MJML version, median ms) from one warm Node process, or None without Node MJML."""
    node = shutil.which("node")
    if not node or not (JS / "node_modules" / "mjml").is_dir():
        return None
    done = subprocess.run([node, str(HERE / "node_mjml.mjs"), str(JS), str(DOCUMENT), str(runs)],
                          capture_output=True, check=False, timeout=600)
    if done.returncode != 0:
        print(f"(node MJML failed: {done.stderr.decode('utf-8', 'replace').strip()[-300:]})")
        return None
    data = json.loads(done.stdout)
    return data["version"], statistics.median(data["runs_ms"])


def timed_build(root: Path, out: Path) -> dict:
    """Wall time and figures of one build; the result itself is dropped to free its memory."""
    gc.collect()  # no garbage from the previous run collected on this run's clock
    start = time.perf_counter()
    result = build(root, out)
    wall = time.perf_counter() - start
    return {"wall": wall, "timings": dict(result.timings), "outputs": len(result.outputs),
            "files": len(result.files), "findings": _findings(result)}


def maxrss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--audiences", type=int, default=10)
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="N=100, M=4, K=3")
    parser.add_argument("--repeat", type=int, default=3, help="full builds to time (median)")
    parser.add_argument("--baseline-runs", type=int, default=200)
    parser.add_argument("--node-runs", type=int, default=50)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the Python heap peak in one extra (slower) build")
    parser.add_argument("--profile", type=int, metavar="LINES", default=0,
                        help="also profile one build with cProfile and print the top LINES")
    args = parser.parse_args(argv)
    if args.quick:
        args.stories, args.audiences, args.issues = 100, 4, 3
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="newsletter-bench-") as tmp:
        root, out = Path(tmp) / "project", Path(tmp) / "out"
        start = time.perf_counter()
        generate(root, args.stories, args.audiences, args.issues, args.seed)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())

        source = DOCUMENT.read_text(encoding="utf-8")
        mrml_ms = baseline_mrml(source, args.baseline_runs)

        runs = []
        try:
            for index in range(args.repeat):
                rss_before = maxrss_mb()
                runs.append(timed_build(root, out))
                if index == 0:  # later runs reuse the memory the first one freed
                    rss_growth = maxrss_mb() - rss_before
        except BuildError as exc:
            print("the build failed (if the error is about content, fix benchmarks/generate.py):")
            for item in exc.diagnostics:
                print(f"  {item}")
            return 1
        heap_peak = None
        if args.tracemalloc:  # a separate run: tracemalloc slows allocation-heavy code 3-5x
            tracemalloc.start()
            build(root, out)
            heap_peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            tracemalloc.stop()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(build, root, out)
        node = baseline_node(args.node_runs)

    runs.sort(key=lambda run: run["wall"])
    median = runs[len(runs) // 2]  # the median run, so its stage times add up
    total, outputs, files, timings = median["wall"], median["outputs"], median["files"], median["timings"]
    ms_per_output = total * 1000 / outputs

    print(f"newsletter benchmark: N={args.stories} stories, M={args.audiences} audiences, "
          f"K={args.issues} issues, seed {args.seed}")
    # Other work lands in the same tree: say which code these figures are for.
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip() or "unknown"
    print(f"code {commit}; Python {platform.python_version()}, {platform.system()} "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    print(f"project generated in {generated:.1f} s ({size / 1e6:.1f} MB of Markdown and YAML)")
    print()
    print(f"Baseline: compile {DOCUMENT.name} ({len(source.encode()) / 1024:.1f} KB MJML)")
    print(f"  {'MRML (mjml-python), median of ' + str(args.baseline_runs):<42} {mrml_ms:9.3f} ms")
    if node:
        version, node_ms = node
        print(f"  {f'Node MJML {version}, median of {args.node_runs} (warm)':<42} {node_ms:9.3f} ms")
        print(f"  {'ratio Node / MRML':<42} {node_ms / mrml_ms:9.1f} x  (MRML is faster)"
              if node_ms >= mrml_ms else
              f"  {'ratio MRML / Node':<42} {mrml_ms / node_ms:9.1f} x  (Node is faster)")
    else:
        print("  Node MJML: skipped (needs node and tests/js/node_modules/mjml: run `make test-deps`)")
    print()
    walls = ", ".join(f"{run['wall']:.2f}" for run in runs)
    print(f"Full build: median of {len(runs)} (runs: {walls} s)")
    rows = [("outputs (variants)", f"{outputs}"), ("files", f"{files}"),
            ("total", f"{total:.2f} s"), ("outputs / second", f"{outputs / total:.1f}"),
            ("ms per output", f"{ms_per_output:.1f} ms"),
            ("ms per output / baseline MJML compile", f"{ms_per_output / mrml_ms:.0f} x"),
            ("peak RSS growth, first build (maxrss)", f"{rss_growth:.1f} MB"),
            ("peak Python heap (tracemalloc)" if heap_peak else "peak Python heap (with --tracemalloc)",
             f"{heap_peak:.1f} MB" if heap_peak else "not run"),
            ("check findings (errors / warnings)", median["findings"])]
    for label, value in rows:
        print(f"  {label:<42} {value:>12}")
    print()
    print(f"  {'stage (Timer totals)':<42} {'seconds':>8} {'share':>7} {'ms/output':>10}")
    for name, seconds in _stages(timings, total):
        label = LABELS.get(name, NESTED.get(name, name))
        indent = "    " if name in NESTED or name == "render, other" else "  "
        print(f"{indent}{label:<{44 - len(indent)}} {seconds:8.3f} {seconds / total:7.1%} "
              f"{seconds * 1000 / outputs:10.2f}")
    if args.profile:
        print()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)
    print(f"\nbenchmark finished in {time.perf_counter() - began:.1f} s")
    return 0


def _stages(timings: dict[str, float], total: float) -> list[tuple[str, float]]:
    """Top-level stages in build order, nested ones under render, then what no timer saw."""
    rows = []
    for name, seconds in timings.items():
        if name in NESTED:
            continue
        rows.append((name, seconds))
        if name == "render":
            nested = [(n, timings[n]) for n in NESTED if n in timings]
            rows += nested + [("render, other", seconds - sum(s for _, s in nested))]
    top = sum(s for n, s in rows if n not in NESTED and n != "render, other")
    return rows + [("untimed", max(total - top, 0.0))]


def _findings(result) -> str:
    report = getattr(result, "report", None)  # checks are newer than the Timer
    return f"{report.errors} / {report.warnings}" if report is not None else "n/a"


if __name__ == "__main__":
    sys.exit(main())
