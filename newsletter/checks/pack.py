"""Rules for welcome packs: the whole sequence, judged once per pack and audience."""

from __future__ import annotations

from ..content.models import SOCIAL_PROOF_KINDS
from ..core.diagnostics import Location
from .education import EDUCATIONAL_KINDS, promotions
from .registry import Finding, check


def _sequence(ctx):
    """This pack's steps for this audience, one variant per step, in send order (memoised).

    A step may go out on several channels (a printed letter beside the email); the sequence
    is about when the customer hears from us, whatever the channel.
    """
    key = ("pack-sequence", ctx.issue.pack, ctx.audience.id)
    if key not in ctx.shared:
        steps = {}
        for v in ctx.shared["variants"]:
            if v.issue.kind == "welcome" and v.issue.pack == ctx.issue.pack and v.audience.id == ctx.audience.id:
                steps.setdefault(v.issue.step, v)
        ctx.shared[key] = sorted(steps.values(), key=lambda v: (v.issue.day, v.issue.step))
    return ctx.shared[key]


def _first(ctx) -> bool:
    """Pack-wide findings are reported once: on the first step, on its first channel."""
    sequence = _sequence(ctx)
    return (bool(sequence) and sequence[0].issue.id == ctx.issue.id
            and ctx.variant.channel == ctx.issue.meta.channels[0])


def _pack(ctx):
    return ctx.project.packs[ctx.issue.pack]


@check("pack-promo-window", 2, "error",
       "No upsell, cross-sell or promotion, declared or read from the text, in a welcome pack's first "
       "days (`promo_free_days`, 30 by default).")
def promo_window(ctx):
    if ctx.issue.kind != "welcome":
        return
    window = _pack(ctx).meta.promo_free_days
    if ctx.issue.day >= window:
        return
    for story in promotions(ctx):  # declared or read from the text
        yield Finding(f"{story.id}: a promotion on day {ctx.issue.day}, inside the first {window} days",
                      ctx.issue_at("day"), "move the offer after day "
                      f"{window}, and use this step to help them get value from what they bought")


@check("pack-social-proof", 1, "error", "A welcome pack shows social proof somewhere in its sequence.")
def pack_proof(ctx):
    if ctx.issue.kind != "welcome" or not _first(ctx):
        return
    proof = [s.id for v in _sequence(ctx) for s in v.stories if s.meta.kind in SOCIAL_PROOF_KINDS]
    if not proof:
        yield Finding(f"welcome pack '{ctx.issue.pack}' shows '{ctx.audience.id}' no customer story at all",
                      _steps_location(ctx), "add a spotlight or testimonial of a top customer to the first step")
    else:
        yield Finding(f"pack shows {len(set(proof))} customer stories", None, passed=True)


@check("pack-educational", 2, "error", "A welcome pack has at least one educational step.")
def pack_education(ctx):
    if ctx.issue.kind != "welcome" or not _first(ctx):
        return
    guides = [v.issue.step for v in _sequence(ctx) if any(s.meta.kind in EDUCATIONAL_KINDS for s in v.stories)]
    if not guides:
        yield Finding(f"welcome pack '{ctx.issue.pack}' teaches '{ctx.audience.id}' nothing",
                      _steps_location(ctx), "add a how-to step for what they just bought")
    else:
        yield Finding(f"educational steps: {', '.join(guides)}", None, passed=True)


@check("pack-schedule", 4, "error",
       "Step delays increase, no two messages go out the same day to the same audience, and the "
       "sequence spans the first three months (a warning if shorter; welcome packs only).")
def schedule(ctx):
    if ctx.issue.kind != "welcome":
        return
    sequence = _sequence(ctx)
    steps = _pack(ctx).meta.steps
    index = next(i for i, s in enumerate(steps) if s.id == ctx.issue.step)
    if index and steps[index - 1].day > steps[index].day and ctx.variant.channel == ctx.issue.meta.channels[0]:
        yield Finding(f"step '{ctx.issue.step}' (day {ctx.issue.day}) comes after day "
                      f"{steps[index - 1].day} in the file: delays must increase", ctx.issue_at("day"),
                      "order the steps by day")
    same_day = [v.issue.step for v in sequence if v.issue.day == ctx.issue.day and v.issue.id != ctx.issue.id]
    if same_day and ctx.variant.channel == ctx.issue.meta.channels[0]:
        yield Finding(f"'{ctx.audience.id}' gets step '{ctx.issue.step}' and {', '.join(same_day)} on "
                      f"day {ctx.issue.day}", ctx.issue_at("day"), "space the messages out by at least a day")
    if _first(ctx):
        span = sequence[-1].issue.day if sequence else 0
        # Only a welcome pack must cover the first three months; lifecycle packs are short.
        if span < 90 and _pack(ctx).meta.trigger == "start":
            yield Finding(f"the pack ends on day {span}: plan at least the first three months (day 90)",
                          _steps_location(ctx), "add check-in steps for days 60 and 90", severity="warning")
        else:
            yield Finding(f"{len(sequence)} steps over {span} days", None, passed=True)


def _steps_location(ctx):
    """The pack's steps list, where sequence-wide problems are fixed."""

    line, col = ctx.issue.smap.locate(("steps",))
    return Location(ctx.issue.path, line, col)
