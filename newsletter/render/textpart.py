"""The plain-text part, written for people from the content model (not scraped from HTML)."""

from __future__ import annotations

from ..compose.paths import web_page_url
from ..compose.selection import Variant
from ..content.config import Config
from ..core.i18n import comma, long_date, quotes, translations
from ..core.merge import block_token, plain, unsubscribe_token
from .plaintext import TextRenderer
from .survey import survey_text
from .unsubscribe import preview_url
from .utm import tag_url
from .views import customer_name, section_layout
from .wrapping import display_width, wrap

WIDTH = 72


def _underline(text: str, char: str) -> str:
    """A heading wrapped to the width and underlined as wide as its widest line."""
    lines = wrap(text, WIDTH) or [text]
    return "\n".join(lines) + "\n" + char * max(max(display_width(line) for line in lines), 3)


def _who(meta, locale: str, _) -> str:
    """The customer line, as the HTML's: display name, company, customer since."""
    customer = meta.customer
    who = customer_name(customer, locale) + (f"{comma(locale)}{customer.company}" if customer.company else "")
    if customer.since:
        who += " · " + _("customer since %(year)s") % {"year": customer.since.year}
    return who


def _story(out: TextRenderer, story, variant: Variant, _, *, tag, read_more: str | None,
           teaser: bool, hero: bool) -> list[str]:
    """One story's blocks, in the order and with the facts its HTML block shows."""
    meta, locale = story.meta, variant.locale
    start, end = quotes(locale)
    blocks = [_underline(meta.title, "=" if hero else "-")]
    if meta.customer and (meta.kind != "testimonial" or hero):  # a testimonial signs its quote
        blocks.append(out.paragraph(_who(meta, locale, _)))
    author = (meta.quote.author or (customer_name(meta.customer, locale) if meta.customer else "")) if meta.quote else ""
    quote = (out.paragraph(f"{start}{meta.quote.text}{end}", indent="> ") + f"\n> — {author}") if meta.quote else ""
    short = (teaser or hero) and bool(read_more and meta.summary)
    if (hero or teaser) and meta.summary:
        blocks.append(out.paragraph(meta.summary))
    if meta.kind == "testimonial" and quote:
        blocks.append(quote)
        if meta.customer and meta.customer.since and not hero:
            blocks.append(_("customer since %(year)s") % {"year": meta.customer.since.year})
    if meta.case and not teaser:
        blocks.append("\n".join([
            out.paragraph(f"{_('The problem')}: {meta.case.problem}"),
            out.paragraph(f"{_('What they did')}: {meta.case.action}"),
            out.paragraph(f"{_('The result')}: {meta.case.result}")]))
    elif meta.case:
        blocks.append(out.paragraph(f"{_('The result')}: {meta.case.result}"))
    if not (teaser and short) and not (hero and short):
        body = out.markdown(story.body_markdown)
        if body:
            blocks.append(body)
    if quote and meta.kind != "testimonial" and not teaser:
        blocks.append(quote)
    if meta.disclosure:  # a material connection is disclosed beside the story, in every layout
        blocks.append(out.paragraph(f"{_('Disclosure')}: {meta.disclosure}"))
    if meta.metrics:
        blocks.append("\n".join("\n".join(wrap(f"{m.label}: {m.value}", WIDTH, "* ", "  "))
                                for m in meta.metrics))
    if meta.cta and not teaser:
        blocks.append(f"{meta.cta.label}: [{out.link(tag(meta.cta.url))}]")
    if short:
        blocks.append(f"{_('Read the whole story')}: [{out.link(read_more)}]")
    return blocks


def render_text(variant: Variant, config: Config, root=None) -> str:
    """Render one variant's text part; merge tokens are kept for the final resolve step.

    It follows the HTML: the hero first, then the intro and each section, every story with
    the same facts (customer, case, quote, every result, call to action) and, in a teaser,
    the same "read the whole story" link. `root` adds the project's own translations.
    """
    _ = translations(variant.locale, root).gettext
    out = TextRenderer(width=WIDTH)
    campaign, term = variant.issue.id, variant.audience.id
    text = variant.text
    blocks: list[str] = [_underline(f"{config.brand.name} · {text.title}", "=")]
    if variant.issue.kind == "issue":  # a pack step goes out on a day of each customer's own
        blocks.append(long_date(variant.issue.meta.date, variant.locale))
    web_page = web_page_url(config, variant.issue, variant.audience.id)
    if web_page:
        label = _("View in your browser")
        blocks.append(f"{label}: {tag_url(web_page, config.utm, campaign, 'web-version', term)}")

    def story_blocks(story, section, hero=False):
        tag = (lambda url, sid=story.id: tag_url(url, config.utm, campaign, sid, term))
        out.context(tag)
        read_more = f"{tag(web_page)}#{story.id}" if web_page else None
        teaser = not hero and section_layout(variant, section) == "teaser" and bool(read_more and story.meta.summary)
        blocks = _story(out, story, variant, _, tag=tag, read_more=read_more, teaser=teaser, hero=hero)
        if story.meta.kind == "survey":  # the question and one link per score, as in the HTML
            blocks.append(survey_text(story, config, campaign, term, variant.locale, out.paragraph))
        return blocks

    lead = next((s.stories[0] for s in variant.sections if not s.when and s.stories), None)
    if lead:
        section = next(s for s in variant.sections if lead in s.stories)
        blocks += story_blocks(lead, section, hero=True)
    out.context(lambda url: tag_url(url, config.utm, campaign, "intro", term))
    intro = out.markdown(text.intro_markdown)
    if intro:
        blocks.append(intro)
    for section in variant.sections:
        stories = [s for s in section.stories if s is not lead]
        if not stories:
            continue
        if section.when:
            negate = section.when.startswith("not ")
            blocks.append(block_token("unless" if negate else "if", section.when.split()[-1]))
        blocks.append(_underline(section.title.upper(), "="))
        for story in stories:
            blocks += story_blocks(story, section)
        if section.when:
            blocks.append(block_token("end"))
    footer = [
        "-" * 20,
        out.paragraph(_("You are receiving this because you are part of the %(brand)s community.")
                      % {"brand": config.brand.name}),
        f"{config.brand.name}: {tag_url(config.brand.website, config.utm, campaign, 'header', term)}",
        f"{_('Unsubscribe')}: {unsubscribe_token(preview_url(config))}",
        out.paragraph(config.list.postal_address),
    ]
    blocks.append("\n".join(footer))
    references = out.references()
    if references:
        blocks.append(references)
    result = "\n\n".join(block.rstrip() for block in blocks if block.strip()) + "\n"
    # Tokens stay until the final resolve, like in the HTML; plain() is for the subject preview.
    return result


def subject_text(subject: str) -> str:
    return plain(subject)
