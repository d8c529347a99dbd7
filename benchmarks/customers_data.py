"""Generate customer exports in the README's format, deterministically, for the customers benchmark.

    .venv/bin/python benchmarks/customers_data.py --rows 1000000 benchmarks/out/customers-1m

writes a copy of the example project (newsletter.toml, content/, templates/) whose
content/customers.csv has ROWS customers. The example's own 40 customers come first, so the
stories and issues still find the people they feature; the rest are made up from a fixed
seed, with every column filled the way real CRM exports fill them (some cells empty, a few
detractors, some onboarding customers, a marketing opt-in column). The same arguments
always give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

FIRST = ["Ana", "Lucy", "Tom", "Ruth", "Kofi", "Inês", "Ольга", "Иван", "梅", "强", "Sam", "Priya",
         "João", "Maria", "Chen", "Fatima", "Omar", "Elena", "Pedro", "Yuki"]
LAST = ["Hart", "Reyes", "Adeyemi", "Carvalho", "Mensah", "Petrova", "Smirnov", "Li", "Wang",
        "Okoye", "Silva", "Costa", "Nakamura", "Haddad", "Novak", "Baker", "Park", "Shah"]
COMPANIES = ["", "", "Corner Café", "Bean There", "Café Central", "Кофейня «Зерно»", "北京咖啡角",
             "Padaria Aurora", "Espresso Lab"]
LOCALES = ["en", "en", "en", "pt-BR", "ru", "zh-CN"]


def example_rows() -> tuple[list[str], list[list[str]]]:
    """The example project's header and rows (their customers are featured in its stories)."""
    with (REPO / "content" / "customers.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def audiences() -> list[str]:
    text = (REPO / "content" / "audiences.yml").read_text(encoding="utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.strip().startswith("- id:")]


def synthetic_row(rng: random.Random, index: int, segments: list[str]) -> list[str]:
    """One made-up customer in the example's columns (plus marketing_opt_in)."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    since = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4300))
    nps = "" if rng.random() < 0.2 else str(min(10, max(0, round(rng.gauss(7.5, 2.2)))))
    granted = "" if rng.random() < 0.7 else (date(2026, 1, 1) + timedelta(days=rng.randrange(300))).isoformat()
    expires = "" if not granted else (date.fromisoformat(granted) + timedelta(days=365)).isoformat()
    issued = rng.randrange(0, 4)
    onboarding = since > date(2026, 6, 1)
    return [
        f"BX-{index:07d}", f"{first} {last} {index}", rng.choice(COMPANIES),
        f"c{index}@bench-customer.example", first, rng.choice(LOCALES), rng.choice(segments),
        since.isoformat(), str(rng.randrange(1, 40)), f"{rng.randrange(500, 9000) / 100:.2f}",
        str(rng.randrange(1, 10)), nps, granted, expires, str(issued), str(rng.randrange(0, issued + 1)),
        str(rng.randrange(0, 101)) if onboarding else "100",
        "yes" if rng.random() < 0.6 else "no",
    ]


def generate(target: Path, rows: int, seed: int = 0) -> Path:
    """A copy of the example project at `target` with `rows` customers; returns the CSV's path."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(REPO / "newsletter.toml", target)
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "templates", target / "templates")
    header, known = example_rows()
    rng = random.Random(seed)
    segments = audiences()
    path = target / "content" / "customers.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([*header, "marketing_opt_in"])
        for row in known[:rows]:
            writer.writerow([*row, "yes"])
        for index in range(len(known), rows):
            writer.writerow(synthetic_row(rng, index, segments))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.target, args.rows, args.seed))


if __name__ == "__main__":
    main()
