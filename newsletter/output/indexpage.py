"""build/index.html: a plain page listing every built message, to open in a browser."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ brand }} · build</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 960px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f4f4f4; } .muted { color: #666; font-size: 13px; } h2 { margin-top: 2rem; }
</style></head><body>
<h1>{{ brand }}</h1>
<p class="muted">{{ outputs | length }} messages. Open a message to see it as the recipient will; .eml files open in any mail program.</p>
{% for issue, rows in groups %}
<h2>{{ issue }}</h2>
<table><tr><th>Audience</th><th>Subject / preheader</th><th>Files</th></tr>
{% for row in rows %}{{ row }}{% endfor %}</table>
{% endfor %}
</body></html>
"""

#: One message's row of the table (its own template: rows are kept, see _row).
_ROW = """<tr><td>{{ row.audience }}<div class="muted">{{ row.locale }} · {{ row.channel }}</div></td>
<td>{{ row.subject }}<div class="muted">{{ row.preheader }}</div></td>
<td>{% for f in row.files %}<a href="{{ f.path }}">{{ f.path.rsplit('/', 1)[-1] }}</a> <span class="muted">{{ (f.bytes / 1024) | round(1) }} KB</span><br>{% endfor %}</td></tr>
"""

_ENV = Environment(autoescape=select_autoescape(default=True))
_TEMPLATES: dict[str, Any] = {}  # compiled on first use (a third of the page's cost), then kept


def _template(source: str):
    if source not in _TEMPLATES:
        _TEMPLATES[source] = _ENV.from_string(source)
    return _TEMPLATES[source]


@lru_cache(maxsize=8192)  # the preview makes the page after every save; most rows are as they were
def _row(audience: str, locale: str, channel: str, subject: str, preheader: str,
         files: tuple[tuple[str, int], ...]) -> Markup:
    row = {"audience": audience, "locale": locale, "channel": channel, "subject": subject,
           "preheader": preheader, "files": [{"path": path, "bytes": size} for path, size in files]}
    return Markup(_template(_ROW).render(row=row) + "\n")  # Jinja drops a template's last newline


def render_index(brand: str, outputs: list[dict[str, Any]]) -> bytes:
    groups: dict[str, list] = {}
    for row in outputs:
        groups.setdefault(row["issue"], []).append(
            _row(row["audience"], row["locale"], row["channel"], row["subject"], row["preheader"],
                 tuple((f["path"], f["bytes"]) for f in row["files"])))
    return _template(_PAGE).render(brand=brand, outputs=outputs, groups=list(groups.items())).encode("utf-8")
