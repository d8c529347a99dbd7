"""The email channel: MJML template -> HTML, plain text and .eml."""

from __future__ import annotations

import mjml

from .. import merge, transforms
from ..i18n import text_direction
from ..mime import build_eml, send_time
from ..textpart import render_text
from ..views import context
from . import Rendered, register

TEMPLATE = "newsletter.mjml.j2"


class EmailChannel:
    name = "email"
    template = TEMPLATE

    def mjml(self, variant, env) -> str:
        """The MJML source of a variant (tests validate it with the reference MJML)."""
        ctx = context(variant, env.config, env.styled)
        return env.templates.render([self.template], ctx, variant.locale)

    def compile(self, source: str) -> str:
        # Fonts are the brand's own (system stacks); MRML would otherwise link Google Fonts.
        return mjml.mjml2html(source, disable_comments=True, fonts={})

    def render(self, variant, env) -> Rendered:
        with env.timer("mjml-template"):
            source = self.mjml(variant, env)
        with env.timer("mjml-compile"):
            html = self.compile(source)
        with env.timer("post-process"):
            tctx = transforms.TransformContext(variant.locale, text_direction(variant.locale),
                                               variant.text.preheader)
            html = transforms.apply(html, tctx)
            text = render_text(variant, env.config)
            subject = merge.plain(variant.text.subject)
            preview_html = merge.resolve(html)
            preview_text = merge.plain(text)
            eml = build_eml(config=env.config, key=variant.key, subject=subject,
                            text=preview_text, html=preview_html,
                            sent=send_time(variant.issue.meta.date))
        return Rendered(
            files={"email.html": preview_html.encode("utf-8"),
                   "email.txt": preview_text.encode("utf-8"),
                   "email.eml": eml},
            subject=subject, preheader=merge.plain(variant.text.preheader),
            extra={"html_tokens": html, "text_tokens": text, "mjml": source})


def personalised(output, config, recipient: dict, to: str | None = None, *, key: str | None = None,
                 sent=None) -> dict[str, object]:
    """One built message filled in for one recipient: subject, text, HTML and .eml bytes.

    Merge tags take the recipient's values and conditional blocks keep the branches that
    hold for them; nothing here is written to build/ (personal data stays out of it).
    `key` (for the Message-ID) and `sent` (the Date) default to the built message's.
    """
    variant = output.variant
    subject = merge.plain(variant.text.subject, recipient)
    text = merge.plain(output.extra["text_tokens"], recipient)
    html = merge.resolve(output.extra["html_tokens"], recipient)
    eml = build_eml(config=config, key=key or variant.key, subject=subject, text=text, html=html,
                    sent=sent or send_time(variant.issue.meta.date), to=to)
    return {"subject": subject, "text": text, "html": html, "eml": eml}


register(EmailChannel())
