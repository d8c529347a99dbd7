"""Pre-send checklist: language, image-only messages, CSS support and the spam score."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ..core import merge
from . import spamscore
from .registry import Finding, check
from .text.facts import story_facts
from .text.folding import CasePattern, lowered
from .text.words import count_words

_LANG = re.compile(r'<html[^>]*\blang="([^"]*)"', re.I)
# "s" first, then "no word character before it" (what \b said): led by a literal, the
# pattern is found by re's fast scan on the lower-cased source (see CasePattern).
_STYLE_ATTR = CasePattern(r's(?<!\ws)tyle="([^"]*)"')
_MJ_STYLE = CasePattern(r"<mj-style[^>]*>(.*?)</mj-style>", re.S)
_DECLARATION = re.compile(r"(?:^|[;{\s])([a-z-]+)\s*:", re.I)
CANIEMAIL = Path(__file__).parent / "data" / "caniemail-css.json"


@check("lang", "checklist", "error",
       "The HTML declares its language (screen readers and translation depend on it).")
def lang(ctx):
    if not ctx.html:  # a channel without markup (SMS) has no lang to declare
        return
    match = _LANG.search(ctx.html)
    if not match or match.group(1) in ("", "und"):
        yield Finding("the <html> element has no lang", ctx.audience_at(), "set the audience's locale")
    else:
        yield Finding(f'lang="{match.group(1)}"', None, passed=True)


@check("image-only", "checklist", "error",
       "The message is not image-only: its own words (the intro and the stories' bodies, quotes and "
       "cases, not the titles and labels the template adds) are real text (spam filters and "
       "image-blocking clients).")
def image_only(ctx):
    # Titles and labels do not make a message readable, and neither does text a template drops.
    own = count_words(merge.plain(ctx.variant.text.intro_markdown)) + sum(story_facts(ctx, s).words
                                                                        for s in ctx.stories)
    shown = count_words(ctx.visible_text)
    images = ctx.html.count("<img") if ctx.html else 0
    words = min(own, shown)
    what = "words of the message's own text" if own <= shown else "words of text"
    if words < 50 and images:
        yield Finding(f"only {words} {what} beside {images} image(s)",
                      ctx.issue_at("sections"), "put the message in text; images illustrate it")
    else:
        yield Finding(f"{words} words of text, {images} image(s)", None, passed=True)


@lru_cache(maxsize=1)
def _support() -> dict:
    return json.loads(CANIEMAIL.read_text(encoding="utf-8"))["properties"]


def _lookup(prop: str) -> tuple[str, dict] | None:
    table = _support()
    name = prop.lower()
    while name:
        if name in table:
            return name, table[name]
        name = name.rpartition("-")[0]  # border-left-color -> border-left -> border
    return None


@check("css-support", "checklist", "warning",
       "Author CSS (styles in templates and stories, not MJML's own) avoids properties that major "
       "clients drop, per caniemail.com data.")
def css_support(ctx):
    source = ctx.mjml
    low = lowered(source)
    css = " ".join(_MJ_STYLE.findall(source, low)) + " " + " ".join(_STYLE_ATTR.findall(source, low))
    props = sorted({p.lower() for p in _DECLARATION.findall(css) if not p.startswith(("-", "mso"))})
    flagged = 0
    for prop in props:
        found = _lookup(prop)
        if not found:
            continue
        name, info = found
        missing = info["unsupported"]
        if not missing:
            continue
        gmail = any(c.startswith("Gmail") for c in missing)
        severity = "warning" if gmail or len(missing) >= 2 else "info"
        flagged += severity == "warning"
        yield Finding(f"CSS '{prop}' is not supported in {', '.join(missing)} ({info['url']})", None,
                      "use a table-based layout or an MJML attribute instead", severity=severity)
    if not flagged:
        yield Finding(f"{len(props)} CSS properties used by templates and stories are widely supported",
                      None, passed=True)


def _scored(contexts) -> None:
    """Score every email's .eml at once (one spamd, spamc in parallel) into the shared memo."""
    if not contexts or contexts[0].settings.spam == "off" or not spamscore.available():
        return
    emails = {ctx.variant.key: ctx.output.files["email.eml"] for ctx in contexts
              if ctx.variant.channel == "email"}
    try:
        contexts[0].shared["spam-score"] = spamscore.score_all(emails)
    except spamscore.SpamScoreError as exc:
        contexts[0].shared["spam-score"] = {key: exc for key in emails}


@check("spam-score", "checklist", "error",
       "Where SpamAssassin is installed, each .eml is scored offline (one `spamd` on 127.0.0.1 "
       "with no network tests, `spamc` in parallel): a warning from `spam_warn_score` (2.0), an "
       "error from `spam_max_score` (5.0).", expensive=True, batch=_scored)
def spam(ctx):
    mode = ctx.settings.spam
    if mode == "off" or ctx.variant.channel != "email":
        return
    if not spamscore.available():
        if mode == "on":
            yield Finding("SpamAssassin is not installed (Debian packages spamassassin, spamd, spamc)", None,
                          "install it, or set [checks] spam = \"auto\"")
        return
    result = ctx.shared.get("spam-score", {}).get(ctx.variant.key)
    if result is None:  # judged alone, without the batch (a plugin calling checks one by one)
        result = spamscore.score_all({ctx.variant.key: ctx.output.files["email.eml"]})[ctx.variant.key]
    if isinstance(result, spamscore.SpamScoreError):
        yield Finding(f"the spam score could not be measured: {result}", None,
                      "check that SpamAssassin works: spamassassin -L -t < build/…/email.eml",
                      severity="warning")
        return
    score, rules = result.total, result.rules
    hits = ", ".join(f"{name} {points:+.1f}" for points, name, _ in rules if points) or "none scored"
    where = ctx.issue_at("subject")
    if score >= ctx.settings.spam_max_score:
        yield Finding(f"spam score {score:.1f} (rules: {hits})", where, "fix the rules listed above")
    elif score >= ctx.settings.spam_warn_score:
        yield Finding(f"spam score {score:.1f} (rules: {hits})", where, "fix the rules listed above",
                      severity="warning")
    else:
        yield Finding(f"spam score {score:.1f} (rules: {hits})", None, passed=True)
