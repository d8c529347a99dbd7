"""Pre-send checklist: subject, preheader and image alt text."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..core import merge
from ..render.wrapping import display_width
from .registry import Finding, check

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r'\balt="([^"]*)"', re.I)
_MEANINGLESS = re.compile(r"^(image|img|photo|picture|foto|imagem|фото|изображение|图片|照片|logo|banner|"
                          r"untitled|dsc_?\d+|img_?\d+)?$|\.(png|jpe?g|gif|webp)$", re.I)


@check("subject", "checklist", "warning",
       "A subject line is present and no longer than `subject_max_length` (60) columns, "
       "measured with the fallbacks filled in (CJK characters count double).")
def subject(ctx):
    if ctx.variant.channel != "email":  # only an email has a subject line and an inbox preview
        return
    text = merge.plain(ctx.variant.text.subject)
    width = display_width(text)
    limit = ctx.settings.subject_max_length
    if not text.strip():
        yield Finding("the subject is empty", ctx.text_at("subject"), severity="error")
    elif width > limit:
        yield Finding(f"subject is {width} columns; phones cut it around {limit}", ctx.text_at("subject"),
                      "put the hook in the first 40 characters and shorten")
    else:
        yield Finding(f"subject is {width} columns", None, passed=True)


@check("preheader", "checklist", "warning",
       "A preheader is present, `preheader_min_length`-`preheader_max_length` (40-130) characters, "
       "and does not repeat the subject.")
def preheader(ctx):
    if ctx.variant.channel != "email":  # only an email has a subject line and an inbox preview
        return
    pre = merge.plain(ctx.variant.text.preheader).strip()
    subj = merge.plain(ctx.variant.text.subject).strip()
    low, high = ctx.settings.preheader_min_length, ctx.settings.preheader_max_length
    where = ctx.text_at("preheader")
    if not pre:
        yield Finding("no preheader: inboxes will show the first body text instead", where,
                      f"add a preheader of {low}-{high} characters that complements the subject")
        return
    # Inbox previews are cut by width, so CJK characters count double, as in the subject.
    size = display_width(pre)
    if size < low or size > high:
        yield Finding(f"preheader is {size} columns (aim for {low}-{high})", where,
                      "lengthen it with a second reason to open" if size < low else "shorten it")
    similar = SequenceMatcher(None, pre.lower(), subj.lower()).ratio()
    if pre.lower() == subj.lower() or subj.lower() in pre.lower() or similar > 0.8:
        yield Finding("the preheader repeats the subject", where, "use it to add what the subject leaves out")
    elif low <= size <= high:
        yield Finding(f"preheader is {size} columns and complements the subject", None, passed=True)


def _may_have_images(markdown: str) -> bool:
    """Whether a body can hold an image at all: Markdown writes one only as `![...]` and HTML as
    `<img`; a body with neither needs no rendering to be checked (most bodies)."""
    return "![" in markdown or "<img" in markdown.lower()


def _meaningful(alt: str) -> bool:
    return len(alt.strip()) >= 5 and not _MEANINGLESS.search(alt.strip())


@check("image-alt", "checklist", "error",
       "Every image has meaningful alt text, checked in the source (MJML writes alt=\"\" when "
       "it is missing).")
def image_alt(ctx):
    seen = 0
    for story in ctx.stories:
        if story.meta.image:
            seen += 1
            alt = story.meta.image.alt
            if not alt.strip():
                yield Finding(f"{story.id}: the image has no alt text", ctx.story_at(story, "image", "alt"),
                              "describe what the image shows, as you would on the phone")
            elif not _meaningful(alt):
                yield Finding(f"{story.id}: alt text '{alt}' says nothing about the image",
                              ctx.story_at(story, "image", "alt"), "describe what the image shows",
                              severity="warning")
        for tag in _IMG.findall(story.body_html) if _may_have_images(story.body_markdown) else ():
            seen += 1
            match = _ALT.search(tag)
            if not match or not _meaningful(match.group(1)):
                yield Finding(f"{story.id}: an image in the body has no meaningful alt text",
                              ctx.story_at(story, "title"), "write ![what it shows](url) in the Markdown")
    brand = ctx.config.brand
    if brand.logo:
        seen += 1
        if not _meaningful(brand.logo_alt or brand.name):
            yield Finding("the logo's alt text says nothing", None, "set brand.logo_alt")
    if seen:
        yield Finding(f"{seen} image(s) checked for alt text", None, passed=True)
