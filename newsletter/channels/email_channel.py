"""The email channel: MJML template -> HTML, plain text and .eml."""

from __future__ import annotations

import mjml

from ..core import merge
from ..core.i18n import text_direction
from ..render import transforms
from ..render.mime import build_eml, send_time
from ..render.textpart import render_text
from ..render.unsubscribe import preview_url
from ..render.views import context
from .registry import Rendered, register

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
            text = render_text(variant, env.config, env.templates.root)
            # The built files are for a recipient we know nothing about: every fallback shows.
            preview = fill(variant, html, text, env.config, {})
        return Rendered(
            files={"email.html": preview["html"].encode("utf-8"),
                   "email.txt": preview["text"].encode("utf-8"),
                   "email.eml": preview["eml"]},
            subject=preview["subject"], preheader=merge.plain(variant.text.preheader),
            extra={"html_tokens": html, "text_tokens": text, "mjml": source})


def personalised(output, config, recipient: dict, to: str | None = None, *, key: str | None = None,
                 sent=None, unsubscribe_url: str | None = None) -> dict[str, object]:
    """One built message filled in for one recipient: subject, text, HTML and .eml bytes.

    Merge tags take the recipient's values and conditional blocks keep the branches that
    hold for them; nothing here is written to build/ (personal data stays out of it).
    `key` (for the Message-ID) and `sent` (the Date) default to the built message's;
    `unsubscribe_url` (see newsletter.unsubscribe.recipient_url) to the preview URL.
    """
    return fill(output.variant, output.extra["html_tokens"], output.extra["text_tokens"], config,
                recipient, to, key=key, sent=sent, unsubscribe_url=unsubscribe_url)


def fill(variant, html_tokens: str, text_tokens: str, config, recipient: dict, to: str | None = None,
         *, key: str | None = None, sent=None, unsubscribe_url: str | None = None) -> dict[str, object]:
    """Subject, text, HTML and .eml of a variant's tokenised parts filled for `recipient`.

    The footer link and the List-Unsubscribe header carry the same URL: `unsubscribe_url`,
    or the preview URL with its placeholder token when there is no real recipient.
    """
    unsubscribe = unsubscribe_url or preview_url(config)
    recipient = {**recipient, merge.UNSUBSCRIBE: unsubscribe}
    subject = merge.plain(variant.text.subject, recipient)
    text = merge.plain(text_tokens, recipient)
    html = merge.resolve(html_tokens, recipient)
    eml = build_eml(config=config, key=key or variant.key, subject=subject, text=text, html=html,
                    sent=sent or send_time(variant.issue.meta.date), to=to,
                    unsubscribe_url=unsubscribe)
    return {"subject": subject, "text": text, "html": html, "eml": eml}


register(EmailChannel())
