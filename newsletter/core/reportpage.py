"""Standalone report pages (the customers and results pages of the preview): one look, no
scripts, no external requests; callers escape every value they put in."""

from __future__ import annotations

from html import escape

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f6f6f4;color:#222}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:16px;margin:18px 0 6px}
.muted{color:#666}.card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 2px #0002}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.problems li{font-family:ui-monospace,monospace;font-size:13px}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
"""


def document(title: str, body: str, style: str = "") -> str:
    """A whole page: the shared style plus a page's own rules around `body` (already HTML)."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}{style}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


def problems_card(heading: str, lines: list[str]) -> str:
    """A card listing problems (one escaped line each) under `heading`, or nothing."""
    if not lines:
        return ""
    rows = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<h2>{escape(heading)}</h2><div class="card"><ul class="problems">{rows}</ul></div>'
