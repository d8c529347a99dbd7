"""The plain-text part, written for people from the content model (not scraped from HTML)."""

from __future__ import annotations

from ..compose.paths import web_page_url
from ..compose.selection import Variant
from ..content.config import Config
from ..core.i18n import long_date, translations
from ..core.merge import block_token, plain, unsubscribe_token
from .plaintext import TextRenderer, display_width, wrap
from .survey import survey_text
from .unsubscribe import preview_url
from .utm import tag_url

WIDTH = 72


def _underline(text: str, char: str) -> str:
    """A heading wrapped to the width and underlined as wide as its widest line."""
    lines = wrap(text, WIDTH) or [text]
    return "\n".join(lines) + "\n" + char * max(max(display_width(line) for line in lines), 3)


def render_text(variant: Variant, config: Config) -> str:
    """Render one variant's text part; merge tokens are kept for the final resolve step."""
    _ = translations(variant.locale).gettext
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
    out.context(lambda url: tag_url(url, config.utm, campaign, "intro", term))
    intro = out.markdown(text.intro_markdown)
    if intro:
        blocks.append(intro)
    for section in variant.sections:
        if section.when:
            negate = section.when.startswith("not ")
            blocks.append(block_token("unless" if negate else "if", section.when.split()[-1]))
        blocks.append(_underline(section.title.upper(), "="))
        for story in section.stories:
            meta = story.meta
            out.context(lambda url, sid=story.id: tag_url(url, config.utm, campaign, sid, term))
            blocks.append(_underline(meta.title, "-"))
            if meta.customer and meta.kind in ("spotlight", "case-study", "testimonial"):
                who = meta.customer.name + (f", {meta.customer.company}" if meta.customer.company else "")
                blocks.append(out.paragraph(who))
            if meta.case:
                blocks.append("\n".join([
                    out.paragraph(f"{_('The problem')}: {meta.case.problem}"),
                    out.paragraph(f"{_('What they did')}: {meta.case.action}"),
                    out.paragraph(f"{_('The result')}: {meta.case.result}")]))
            if meta.quote and meta.kind == "testimonial":
                author = meta.quote.author or (meta.customer.name if meta.customer else "")
                blocks.append(out.paragraph(f"“{meta.quote.text}”", indent="> ") + f"\n> — {author}")
            body = out.markdown(story.body_markdown)
            if body:
                blocks.append(body)
            if meta.quote and meta.kind != "testimonial":
                author = meta.quote.author or (meta.customer.name if meta.customer else "")
                blocks.append(out.paragraph(f"“{meta.quote.text}”", indent="> ") + f"\n> — {author}")
            if meta.kind == "survey":
                blocks.append(survey_text(story, config, campaign, term, variant.locale, out.paragraph))
            if meta.metrics:
                blocks.append("\n".join("\n".join(wrap(f"{m.label}: {m.value}", WIDTH, "* ", "  "))
                                        for m in meta.metrics))
            if meta.cta:
                url = tag_url(meta.cta.url, config.utm, campaign, story.id, term)
                blocks.append(f"{meta.cta.label}: [{out.link(url)}]")
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
