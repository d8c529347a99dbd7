"""Question 4: is the message going out on the right channel for the archetype?"""

from __future__ import annotations

from ..content.channels import is_companion
from .registry import Finding, check


@check("q4-preferred-channel", 4, "error",
       "Each channel the issue goes out on is one the audience prefers; an audience left "
       "without any of its preferred channels fails.")
def preferred(ctx):
    channels = ctx.issue.meta.channels
    prefers = ctx.audience.channels
    if not set(channels) & set(prefers):
        yield Finding(f"'{ctx.audience.id}' prefers {', '.join(prefers)} but this issue only goes out "
                      f"by {', '.join(channels)}", ctx.issue_at("channels"),
                      f"add {prefers[0]} to the issue's channels, or leave this audience out")
    elif ctx.variant.channel not in prefers and is_companion(ctx.variant.channel):
        yield Finding(f"{ctx.variant.channel}: the page every audience's 'view in browser' opens, "
                      "published, not sent", None, passed=True)
    elif ctx.variant.channel not in prefers:
        yield Finding(f"'{ctx.audience.id}' does not list {ctx.variant.channel} among its preferred channels "
                      f"({', '.join(prefers)})", ctx.audience_at(), "send it on a channel they prefer",
                      severity="warning")
    else:
        yield Finding(f"{ctx.variant.channel} is a preferred channel of '{ctx.audience.id}'", None, passed=True)


@check("q4-size", 4, "error",
       "Email HTML stays under Gmail's clipping threshold (`html_max_kb`, ~102 KB), "
       "with a warning from `html_warn_kb` (~90 KB).")
def size(ctx):
    if ctx.variant.channel != "email":
        return
    kb = len(ctx.output.files.get("email.html", b"")) / 1024
    limit, warn = ctx.settings.html_max_kb, ctx.settings.html_warn_kb
    where = ctx.issue_at("sections")
    if kb >= limit:
        yield Finding(f"HTML is {kb:.1f} KB: Gmail clips messages over ~{limit:.0f} KB, hiding the "
                      "footer and unsubscribe link", where, "move stories to a later issue or shorten them")
    elif kb >= warn:
        yield Finding(f"HTML is {kb:.1f} KB, close to Gmail's ~{limit:.0f} KB clipping limit", where,
                      "shorten a story or drop one", severity="warning")
    else:
        yield Finding(f"HTML is {kb:.1f} KB (limit ~{limit:.0f} KB)", None, passed=True)
