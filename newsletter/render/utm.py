"""UTM parameters on outbound links, so each story's clicks are counted per audience."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..content.config import Utm

_HREF = re.compile(r'href="([^"]*)"')


def tag_url(url: str, settings: Utm, campaign: str, content: str, term: str) -> str:
    """Add utm_* to an http(s) URL, keeping any utm_* the author set by hand."""
    if not settings.enabled:
        return url
    return _tagged(url, settings.source, settings.medium, settings.campaign_prefix + campaign, content, term)


@lru_cache(maxsize=1 << 14)  # the same links recur in every message of an audience and issue
def _tagged(url: str, source: str, medium: str, campaign: str, content: str, term: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    wanted = [("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign),
              ("utm_content", content), ("utm_term", term)]
    query += [(key, value) for key, value in wanted if key not in present and value]
    return urlunsplit(parts._replace(path=parts.path or "/", query=urlencode(query)))


def tag_html(fragment: str, settings: Utm, campaign: str, content: str, term: str) -> str:
    """Tag every href in sanitised HTML (the sanitiser always writes double-quoted attributes)."""
    if not settings.enabled:
        return fragment

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        return f'href="{html.escape(tag_url(url, settings, campaign, content, term))}"'

    return _HREF.sub(replace, fragment)
