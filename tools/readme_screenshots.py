"""The README's screenshots: one email per language of the example, at 600 and 375 px, light and dark.

    .venv/bin/python tools/readme_screenshots.py      # writes docs/screenshots/*.png

Uses the snapshot command's Chromium (newsletter.preview.snapshot), offline like it, and keeps
the top of each email (the masthead, the hero and the first section): what a reader sees on
opening it.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from newsletter.build import Timer, load, render
from newsletter.preview.snapshot import chromium, html_of

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
ISSUE = "2026-11"
AUDIENCES = {"en": "cafe-owners", "pt-BR": "baristas-br", "ru": "home-brewers-ru", "ar": "home-brewers-ar"}
HEIGHT = {600: 1300, 375: 1500}


def main() -> None:
    project, _ = load(REPO)
    outputs = {o.variant.audience.id: o for o in render(project, Timer())
               if o.variant.channel == "email" and o.variant.issue.id == ISSUE}
    OUT.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        for locale, audience in AUDIENCES.items():
            html = html_of(outputs[audience])
            for width in (600, 375):
                for dark in (False, True):
                    context = browser.new_context(viewport={"width": width, "height": HEIGHT[width]},
                                                  color_scheme="dark" if dark else "light")
                    page = context.new_page()
                    page.route("**/*", lambda route: route.abort())  # remote images stay off
                    page.set_content(html, wait_until="load")
                    data = page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": HEIGHT[width]},
                                           full_page=True, animations="disabled", caret="hide", type="png")
                    name = OUT / f"{ISSUE}-{locale}-{width}{'-dark' if dark else ''}.png"
                    name.write_bytes(data)
                    context.close()
                    print(name.relative_to(REPO), struct.unpack(">II", data[16:24]))


if __name__ == "__main__":
    sys.exit(main())
