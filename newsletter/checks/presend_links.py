"""Pre-send checklist: links, UTM tags, unsubscribe and postal address, text/HTML parity."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from ..core.diagnostics import Location
from ..core.names import CONFIG_FILE
from ..core.sourcemap import SourceError, load_toml
from ..render.unsubscribe import PLACEHOLDER, is_personal, preview_url
from .registry import Finding, check

_PLACEHOLDER_HOSTS = {"example.com", "www.example.com", "example.org", "example.net", "localhost",
                      "127.0.0.1", "domain.com", "yourdomain.com", "yoursite.com"}
_PLACEHOLDER_TEXT = re.compile(r"^(#|about:blank|todo|tbd|xxx+|url|link|https?://)$|\{\{|\*\|", re.I)
_URL = re.compile(r"https?://[^\s<>\"'\]\[)]+")


def _base(url: str) -> str:
    """A URL without its utm_* parameters, to compare text and HTML links."""
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("utm_"))
    return parts._replace(query=query, fragment="").geturl().rstrip("/?")


def _owner(ctx, url: str):
    """The story whose content holds this link, for a file:line."""
    base = _base(url)
    for story in ctx.stories:
        if base in story.body_markdown or (story.meta.cta and _base(story.meta.cta.url) == base):
            return story
    return None


def footer_location(ctx) -> Location:
    """The footer template that should carry the legal lines: the project's own, if it has one."""
    name = "partials/footer.mjml.j2"
    own = ctx.project.root / "templates" / name
    return Location(f"templates/{name}" if own.is_file() else f"<default templates>/{name}")


@check("links", "checklist", "error",
       "No empty, placeholder or http:// links.")
def links(ctx):
    bad = 0
    for url in ctx.links:
        problem = None
        host = urlsplit(url).hostname or ""
        if not url.strip() or _PLACEHOLDER_TEXT.search(url.strip()):
            problem = "an empty or placeholder link"
        elif url.startswith("http://"):
            problem = "an insecure http:// link (clients warn, some block it)"
        elif host in _PLACEHOLDER_HOSTS:
            problem = f"a placeholder link to {host}"
        if problem:
            bad += 1
            story = _owner(ctx, url)
            where = ctx.story_at(story, "title") if story else ctx.issue_at("sections")
            yield Finding(f"{problem}: {url!r}", where, "link to the real https:// page")
    if not bad:
        yield Finding(f"{len(ctx.links)} links, none empty, placeholder or http://", None, passed=True)


@check("utm", "checklist", "warning",
       "Outbound links carry UTM parameters (source, medium, campaign) so clicks are counted per "
       "story and audience.")
def utm(ctx):
    unsubscribe = preview_url(ctx.config)
    missing = []
    outbound = [u for u in ctx.links if u.startswith("http") and u != unsubscribe]
    for url in outbound:
        query = parse_qs(urlsplit(url).query)
        if not {"utm_source", "utm_medium", "utm_campaign"} <= set(query):
            missing.append(url)
    for url in missing[:5]:
        story = _owner(ctx, url)
        yield Finding(f"no UTM parameters on {url}", ctx.story_at(story, "title") if story else None,
                      "turn on [utm] in newsletter.toml or add utm_* to the link")
    if outbound and not missing:
        yield Finding(f"{len(outbound)} outbound links tagged with UTM parameters", None, passed=True)


@check("unsubscribe", "checklist", "error",
       "An unsubscribe link is in both the HTML and the text part (CAN-SPAM, Gmail/Yahoo bulk rules).")
def unsubscribe(ctx):
    if ctx.variant.channel != "email":  # an email rule: the other channels have no text part
        return
    url = preview_url(ctx.config)
    where = [name for name, present in (("HTML", url in ctx.links), ("text", url in ctx.text)) if not present]
    if where:
        yield Finding(f"no unsubscribe link in the {' and '.join(where)} part", footer_location(ctx),
                      "keep the footer partial's unsubscribe link")
    else:
        yield Finding("unsubscribe link in HTML and text", None, passed=True)


def _config_at(ctx, *keys: str) -> Location:
    """Where a setting is written in newsletter.toml (the file alone if it cannot be read)."""
    try:
        _data, smap = load_toml((ctx.project.root / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SourceError):
        return Location(CONFIG_FILE)
    line, col = smap.locate(keys)
    return Location(CONFIG_FILE, line, col)


@check("unsubscribe-recipient", "checklist", "error",
       "The List-Unsubscribe URL identifies the recipient (RFC 8058 one-click needs it): "
       "`[list] unsubscribe_url` has a `{token}` slot.")
def unsubscribe_recipient(ctx):
    if ctx.variant.channel != "email":  # the header is an email one
        return
    url = ctx.config.list.unsubscribe_url
    if not is_personal(url):
        yield Finding(f"the unsubscribe URL {url} is the same for every recipient, so a one-click "
                      "unsubscribe (List-Unsubscribe-Post) cannot tell who asked",
                      _config_at(ctx, "list", "unsubscribe_url"),
                      f"add {PLACEHOLDER} to [list] unsubscribe_url, e.g. {url.rstrip('/')}?t={PLACEHOLDER}, "
                      "and set NEWSLETTER_UNSUBSCRIBE_SECRET when sending")
    else:
        yield Finding("the unsubscribe URL carries a per-recipient token", None, passed=True)


@check("postal-address", "checklist", "error",
       "The sender's postal address is in both parts (CAN-SPAM).")
def postal_address(ctx):
    if ctx.variant.channel != "email":  # an email rule: the other channels have no text part
        return
    address = ctx.config.list.postal_address
    where = [name for name, body in (("HTML", ctx.visible_text), ("text", " ".join(ctx.text.split())))
             if " ".join(address.split()) not in body]
    if where:
        yield Finding(f"the postal address is missing from the {' and '.join(where)} part", footer_location(ctx),
                      "keep the footer partial's postal address")
    else:
        yield Finding("postal address in HTML and text", None, passed=True)


@check("text-parity", "checklist", "warning",
       "The text part carries the same stories and links as the HTML.")
def text_parity(ctx):
    if ctx.variant.channel != "email":  # an email rule: the other channels have no text part
        return
    text = ctx.text
    flat = " ".join(text.split())  # titles may be wrapped over lines in the text part
    # A URL at the end of a sentence keeps its full stop in plain text.
    text_links = {_base(u.rstrip(".,;:!?")) for u in _URL.findall(text)}
    for story in ctx.stories:
        if " ".join(story.meta.title.split()) not in flat:
            yield Finding(f"{story.id}: its title is not in the text part", ctx.story_at(story, "title"))
    missing = sorted({_base(u) for u in ctx.links if u.startswith("http")} - text_links)
    for url in missing[:5]:
        story = _owner(ctx, url)
        yield Finding(f"link {url} is in the HTML but not in the text part",
                      ctx.story_at(story, "title") if story else None)
    if not missing and all(" ".join(s.meta.title.split()) in flat for s in ctx.stories):
        yield Finding(f"text part has all {len(ctx.stories)} stories and {len(text_links)} links", None,
                      passed=True)
