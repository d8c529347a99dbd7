"""Derive the CSS support table the `css-support` check uses from caniemail's data (MIT).

    make caniemail-update      # fetches the npm package `caniemail` and runs this script

Keeps, for each CSS property feature, which major email clients do not support it (or only
partly) in the latest version caniemail tested.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MAJOR = {
    ("gmail", "desktop-webmail"): "Gmail (web)",
    ("gmail", "android"): "Gmail (Android)",
    ("gmail", "ios"): "Gmail (iOS)",
    ("outlook", "windows"): "Outlook (Windows)",
    ("outlook", "outlook-com"): "Outlook.com",
    ("outlook", "macos"): "Outlook (macOS)",
    ("apple-mail", "macos"): "Apple Mail (macOS)",
    ("apple-mail", "ios"): "Apple Mail (iOS)",
    ("yahoo", "desktop-webmail"): "Yahoo Mail (web)",
    ("samsung-email", "android"): "Samsung Email",
}
OUT = Path(__file__).resolve().parent.parent / "newsletter" / "checks" / "data" / "caniemail-css.json"


def extract(data: dict) -> dict:
    table = {}
    for feature in data["data"]:
        slug = feature["slug"]
        if feature["category"] != "css" or not slug.startswith("css-"):
            continue
        name = slug.removeprefix("css-")
        if name.startswith(("selector-", "pseudo-", "unit-", "at-", "function-")):
            continue  # selectors, units and at-rules are not properties
        missing, partial = [], []
        for (family, platform), label in MAJOR.items():
            versions = feature["stats"].get(family, {}).get(platform)
            if not versions:
                continue
            latest = list(versions.values())[-1].split()[0]
            if latest == "n":
                missing.append(label)
            elif latest == "a":
                partial.append(label)
        if missing or partial:
            table[name] = {"title": feature["title"], "url": feature["url"],
                           "unsupported": missing, "partial": partial}
    return {"source": "caniemail.com data via the npm package caniemail (MIT)",
            "last_update_date": data.get("last_update_date"), "properties": table}


if __name__ == "__main__":
    source = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(extract(source), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT}")
