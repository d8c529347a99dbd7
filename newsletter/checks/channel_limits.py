"""Question 4, each channel's limits: SMS segments and characters, the printed letter's length."""

from __future__ import annotations

from ..compose.selection import featured
from ..render import sms
from .registry import Finding, check

#: A printed insert is one sheet; both sides hold two pages.
PRINT_MAX_PAGES = 2


def _sms(ctx) -> str | None:
    if ctx.variant.channel != "sms":
        return None
    return ctx.output.files.get("sms.txt", b"").decode("utf-8")


def _hook_at(ctx):
    """Where the SMS's words come from: the featured story's summary, else the issue."""

    story = featured(ctx.variant, ctx.config.loyalty.top_tiers)
    return ctx.story_at(story, "summary") if story else ctx.issue_at("title")


def _names(chars: list[str]) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars[:5]) + (" ..." if len(chars) > 5 else "")


@check("sms-segments", 4, "warning",
       "An SMS stays within `[checks] sms_max_segments` (2) parts: GSM-7 carries 160 characters "
       "(153 per part when split), UCS-2, which Cyrillic, Chinese and emoji need, only 70 (67).")
def segments(ctx):
    text = _sms(ctx)
    if text is None:
        return
    count, limit = sms.segments(text), ctx.settings.sms_max_segments
    if count > limit:
        yield Finding(f"the SMS is {sms.describe(text)}, over the {limit}-part limit: each part is "
                      "billed and long texts arrive split on some phones", _hook_at(ctx),
                      "shorten the featured story's summary (a one-line hook), or raise "
                      "[checks] sms_max_segments")
    else:
        yield Finding(f"the SMS is {sms.describe(text)}", None, passed=True)


@check("sms-charset", 4, "error",
       "An SMS has no characters a phone cannot show: control characters, private-use or "
       "unassigned code points.")
def charset(ctx):
    text = _sms(ctx)
    if text is None:
        return
    bad = sms.uncarried(text)
    if bad:
        yield Finding(f"the SMS contains characters no SMS can carry: {_names(bad)}", _hook_at(ctx),
                      "remove them from the featured story's summary")
    else:
        yield Finding(f"every character can be sent ({sms.encoding(text)})", None, passed=True)


@check("sms-unicode", 4, "info",
       "Notes an SMS that needs UCS-2 (70 characters a part instead of 160). If your SMS "
       "sender only supports GSM-7, set `[checks.severity] sms-unicode = \"error\"`.")
def unicode(ctx):
    text = _sms(ctx)
    if text is None or sms.encoding(text) == sms.GSM7:
        return
    yield Finding(f"the SMS needs UCS-2 because of {_names(sms.non_gsm(text))}: 70 characters a part, "
                  "not 160", _hook_at(ctx),
                  "for a GSM-7-only sender, write the hook in the GSM alphabet or leave the SMS out "
                  "for this audience")


@check("print-pages", 4, "warning",
       f"A printed letter fits on one sheet ({PRINT_MAX_PAGES} pages, both sides) in every paper size.")
def print_pages(ctx):
    if ctx.variant.channel != "print":
        return
    pages = ctx.output.extra.get("pages", {})
    over = {name: count for name, count in sorted(pages.items()) if count > PRINT_MAX_PAGES}
    if over:
        sizes = ", ".join(f"{name} has {count} pages" for name, count in over.items())
        yield Finding(f"the letter runs over one sheet: {sizes}", ctx.issue_at("sections"),
                      "shorten the intro or the featured story's body")
    elif pages:
        yield Finding("the letter fits on one sheet (" + ", ".join(
            f"{name}: {count} page{'s' if count != 1 else ''}" for name, count in sorted(pages.items())) + ")",
            None, passed=True)
