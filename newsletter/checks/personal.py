"""Question 3: is the message personalised for a specific customer archetype?"""

from __future__ import annotations

import re

from ..compose.selection import suits
from ..core import merge
from ..core.diagnostics import Location
from .registry import Finding, check

# Second-person markers per language: the conversational tone readers answer to.
_SECOND_PERSON = {
    "en": r"\b(you|your|you're|yours)\b",
    "pt": r"\b(você|vocês|seu|sua|seus|suas|te|teu|tua)\b",
    "ru": r"(?<!\w)(вы|вас|вам|ваш\w*|ты|тебя|тебе|твой\w*)(?!\w)",
    "zh": r"(你|您)",
}
# Boilerplate that tells the reader nobody wrote this for them.
_BOILERPLATE = re.compile(
    r"dear (valued )?(customer|client|subscriber|member)|valued customer|to whom it may concern"
    r"|prezad[oa] client[ea]|car[oa] client[ea]|estimad[oa] client[ea]"
    r"|уважаем\w+ клиент|дорог\w+ клиент|尊敬的(客户|用户|会员)|亲爱的(客户|用户)", re.I)


def _language(tag: str) -> str:
    return tag.split("-")[0].lower()


@check("q3-greeting", 3, "error",
       "The message uses personalisation (at least the greeting) and every tag has a fallback.")
def greeting(ctx):
    text = ctx.variant.text
    tags = merge.tags(text.subject) + merge.tags(text.preheader) + merge.tags(text.intro_markdown)
    if not tags:
        yield Finding("no personalisation: nothing in the subject, preheader or intro uses the "
                      "recipient's data", ctx.text_at("intro"),
                      "start the intro with a greeting such as 'Hi {{ first_name | there }},'")
        return
    for tag in tags:
        if not tag.fallback:
            yield Finding(f"{{{{ {tag.field} }}}} has no fallback: recipients without it see a gap",
                          _tag_location(ctx, tag.field) or ctx.text_at("intro"),
                          f"write {{{{ {tag.field} | ... }}}} with a fallback", severity="warning")
    fields = sorted({t.field for t in tags})
    yield Finding(f"personalised with {', '.join(fields)} (with fallbacks)", None, passed=True)


def _tag_location(ctx, field: str):
    """Where `{{ field }}` (no fallback) is written in the issue or pack file, if it is."""
    try:
        text = (ctx.project.root / ctx.issue.path).read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"\{\{\s*" + re.escape(field) + r"\s*\}\}", text)
    if not match:
        return None
    before = text[:match.start()]
    return Location(ctx.issue.path, before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1)


@check("q3-audience-fit", 3, "warning",
       "The stories chosen match the audience's interests or lifecycle stage.")
def audience_fit(ctx):
    interests, stages = set(ctx.audience.interests), set(ctx.audience.stages)
    matched = []
    for story in ctx.stories:
        hits = interests & set(story.meta.tags)
        stage_hits = stages & set(story.meta.stages or [])
        if hits or stage_hits:
            matched.append(story)
        else:
            yield Finding(f"{story.id}: tags {story.meta.tags or '[]'} match none of "
                          f"'{ctx.audience.id}' interests ({', '.join(sorted(interests)) or 'none'}) "
                          "or stages", ctx.story_at(story, "tags"),
                          "tag the story with what this audience cares about, or leave it out for them",
                          severity="info")
    if ctx.stories and not matched:
        yield Finding(f"none of the stories matches what '{ctx.audience.id}' cares about",
                      ctx.audience_at(), "pick stories tagged with the audience's interests")
    elif matched:
        yield Finding(f"{len(matched)}/{len(ctx.stories)} stories match the audience's interests or stage",
                      None, passed=True)


@check("q3-tone", 3, "warning",
       "Conversational tone: the intro speaks to the reader in the second person and has no "
       "'Dear valued customer' boilerplate.")
def tone(ctx):
    text = ctx.variant.text
    words = merge.plain(text.subject) + "\n" + merge.plain(text.intro_markdown)
    boiler = _BOILERPLATE.search(words)
    if boiler:
        yield Finding(f"boilerplate greeting '{boiler.group(0)}'", ctx.text_at("intro"),
                      "greet the reader by name with a fallback and write as one person to another")
    pattern = _SECOND_PERSON.get(_language(ctx.variant.locale))
    if pattern and not re.search(pattern, words, re.I):
        yield Finding("the intro never addresses the reader directly (no second person)",
                      ctx.text_at("intro"), "talk to the reader: 'you', 'your', 'você', 'вы', '你'")
    elif pattern and not boiler:
        yield Finding("conversational: the intro addresses the reader directly", None, passed=True)


@check("q3-language", 3, "warning",
       "Every story is written in the audience's language.")
def language(ctx):
    want = _language(ctx.variant.locale)
    for story in ctx.stories:
        if _language(story.locale) != want:
            yield Finding(f"{story.id} is in {story.locale} but '{ctx.audience.id}' reads {ctx.variant.locale}",
                          ctx.story_at(story, "locale") if story.meta.locale else ctx.story_at(story, "title"),
                          "translate the story or limit its audiences")


@check("q3-targeted", 3, "warning",
       "The variant goes to a declared audience that has stories of its own, not only generic ones.")
def targeted(ctx):
    own = [s for s in ctx.stories if s.meta.audiences and ctx.audience.id in s.meta.audiences]
    if not ctx.audience.description and not ctx.audience.tone:
        yield Finding(f"audience '{ctx.audience.id}' has no description or tone notes", ctx.audience_at(),
                      "describe who they are and how to talk to them", severity="info")
    if own:
        yield Finding(f"{len(own)} stories written for '{ctx.audience.id}'", None, passed=True)
    elif ctx.stories:
        options = [s.id for s in ctx.project.stories.values()
                   if s.meta.audiences and ctx.audience.id in s.meta.audiences and suits(s, ctx.audience)]
        hint = "add a story aimed at them" + (f"; e.g. {', '.join(options[:3])}" if options else "")
        yield Finding(f"no story in this variant was written for '{ctx.audience.id}'",
                      ctx.issue_at("sections"), hint)
