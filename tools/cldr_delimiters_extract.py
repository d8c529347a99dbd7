"""Derive the quotation marks per locale from CLDR's `delimiters.json` (Unicode licence).

    make cldr-update      # fetches the npm package `cldr-misc-full` and runs this script

Keeps, for each locale folder, the four delimiters (quotation start/end, alternate start/end),
as one small JSON table the i18n module reads (Babel does not carry this part of CLDR).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "newsletter" / "core" / "data" / "cldr-delimiters.json"
KEYS = ("quotationStart", "quotationEnd", "alternateQuotationStart", "alternateQuotationEnd")


def extract(main: Path) -> dict:
    table = {}
    for folder in sorted(p for p in main.iterdir() if (p / "delimiters.json").is_file()):
        data = json.loads((folder / "delimiters.json").read_text(encoding="utf-8"))
        delimiters = data["main"][folder.name]["delimiters"]
        table[folder.name.replace("-", "_")] = [delimiters[key] for key in KEYS]
    return table


def main(package: str) -> None:
    table = extract(Path(package) / "main")
    # One locale a line: reviewable diffs when CLDR changes a mark.
    lines = [f"  {json.dumps(name)}: {json.dumps(marks, ensure_ascii=False)}" for name, marks in sorted(table.items())]
    OUT.write_text('{"source": "CLDR via npm cldr-misc-full", "order": ' + json.dumps(list(KEYS)) +
                   ', "locales": {\n' + ",\n".join(lines) + "\n}}\n", encoding="utf-8")
    print(f"{len(table)} locales -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
