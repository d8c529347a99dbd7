"""Question 3: is the message personalised for a specific customer archetype?"""

from __future__ import annotations

import re

from ..compose.selection import suits
from ..core import merge
from ..core.diagnostics import Location
from .registry import Finding, check
from .text import voice
from .text.facts import story_facts
from .text.language import mismatch
from .text.words import language_of


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
    missing = [tag for tag in tags if not tag.fallback.strip()]
    for tag in missing:
        yield Finding(f"{{{{ {tag.field} }}}} has no fallback: recipients without it see a gap",
                      _tag_location(ctx, tag.field) or ctx.text_at("intro"),
                      f"write {{{{ {tag.field} | ... }}}} with a fallback")
    if not missing:
        fields = sorted({t.field for t in tags})
        yield Finding(f"personalised with {', '.join(fields)} (with fallbacks)", None, passed=True)


def _tag_location(ctx, field: str):
    """Where `{{ field }}` (no fallback) is written in the issue or pack file, if it is."""
    try:
        text = (ctx.project.root / ctx.issue.path).read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"\{\{\s*" + re.escape(field) + r"\s*(?:\|\s*)?\}\}", text)
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


@check("q3-tone", 3, "error",
       "Conversational tone: no impersonal salutation ('Dear valued customer', 'Prezado(a) Cliente', "
       "'Уважаемый покупатель', '尊敬的会员') or form-letter voice ('please find enclosed', 'vimos por meio "
       "deste', 'доводим до вашего сведения', '现将……通报如下') in the subject, preheader or intro; "
       "without the second person (you, você, вы, 你) it warns.")
def tone(ctx):
    text = ctx.variant.text
    language = language_of(ctx.variant.locale)
    plain = {name: merge.strip_tags(value) for name, value in
             (("subject", text.subject), ("preheader", text.preheader), ("intro", text.intro_markdown))}
    found = False
    for name, value in plain.items():
        boiler = voice.boilerplate(value, language)
        if boiler:
            found = True
            yield Finding(f"the {name} reads like a form letter ('{boiler}')", ctx.text_at(name),
                          "greet the reader by name with a fallback and write as one person to another")
            break
    speaks = voice.addresses_reader("\n".join(plain.values()), language)
    if speaks is False:
        yield Finding("the message never addresses the reader directly (no second person)",
                      ctx.text_at("intro"), "talk to the reader: 'you', 'your', 'você', 'вы', '你'",
                      severity="warning")
    elif speaks and not found:
        yield Finding("conversational: the message addresses the reader directly", None, passed=True)


@check("q3-language", 3, "error",
       "Every text of the message is written in the audience's language, judged from the text "
       "itself (py3langid; hanzidentifier tells Simplified from Traditional Chinese): title, subject, "
       "preheader, intro, section titles, and each story's title, summary, body and quote.")
def language(ctx):
    locale = ctx.variant.locale
    want = _language(locale)
    text = ctx.variant.text
    own = [("title", text.title, ctx.issue_at("title")), ("subject", text.subject, ctx.text_at("subject")),
           ("preheader", text.preheader, ctx.text_at("preheader")),
           ("intro", text.intro_markdown, ctx.text_at("intro"))]
    own += [(f"section title '{s.title}'", s.title, ctx.issue_at("sections")) for s in ctx.variant.sections]
    wrong = 0
    for name, value, where in own:
        problem = mismatch(value, locale) if value else None
        if problem:
            wrong += 1
            yield Finding(f"the {name} is in {problem.found}, but '{ctx.audience.id}' reads {locale}: "
                          f"'{problem.sample}'", where, "translate it, or give this audience an override")
    for story in ctx.stories:
        if _language(story.locale) != want:
            wrong += 1
            yield Finding(f"{story.id} is in {story.locale} but '{ctx.audience.id}' reads {locale}",
                          ctx.story_at(story, "locale") if story.meta.locale else ctx.story_at(story, "title"),
                          "translate the story or limit its audiences")
            continue
        for field, problem in story_facts(ctx, story).wrong_language(locale):
            wrong += 1
            yield Finding(f"{story.id}: its {field} is in {problem.found}, but '{ctx.audience.id}' reads "
                          f"{locale}: '{problem.sample}'", ctx.story_at(story, field) if field != "body"
                          else ctx.story_at(story, "title"),
                          f"translate the story (a version such as {story.id}.{locale}.md) or limit its audiences")
            break
    if not wrong:
        yield Finding(f"every text is in {locale}", None, passed=True)


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
