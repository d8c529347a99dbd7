"""The print channel: a one-sheet letter or parcel insert as PDF, in A4 and US Letter.

The letter (templates/print/letter.html.j2) carries the brand, the date, a recipient
address block (merge tags, here filled with their fallbacks: a mailing house merges the
real addresses), the intro, the featured best-customer story, the other stories' titles
with the web page's address, a survey's question with the survey page's address, and the
sender's postal address. WeasyPrint lays it out
offline: only local images (content/ files) are embedded, nothing is fetched.

PDFs are byte-identical from build to build and from machine to machine: creation and
modification dates come from the issue date, the file identifier from the content, and
fonts from our own fontconfig (newsletter/render/fonts.py): exactly Debian's fonts-dejavu-core and
fonts-noto-cjk plus the project's `fonts/` folder, whatever else the machine has installed.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
from functools import lru_cache
from pathlib import PurePosixPath

from markupsafe import Markup

from ..compose.paths import web_page_url
from ..compose.selection import featured
from ..core import merge
from ..core.diagnostics import BuildError, Diagnostic, Severity
from ..core.i18n import translations
from ..render import fonts
from ..render.mime import send_time
from ..render.views import context
from .registry import Rendered, register

#: File name -> CSS page size and margins.
PAPERS = {"print-a4.pdf": {"name": "A4", "size": "A4", "margin": "18mm 20mm"},
          "print-letter.pdf": {"name": "Letter", "size": "letter", "margin": "0.5in 0.75in"}}
#: A CJK font per language, first in the stack so CJK punctuation and spacing are right.
CJK_FONTS = {"zh": "Noto Sans CJK SC", "zh-tw": "Noto Sans CJK TC", "zh-hk": "Noto Sans CJK HK",
             "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}


def cjk_font(locale: str) -> str | None:
    tag = locale.lower()
    return CJK_FONTS.get(tag) or CJK_FONTS.get(tag.split("-")[0])


def _local_image(url: str | None, config, root) -> str | None:
    """A data: URL for an image under content/ (served from base_url/assets/), else None."""
    prefix = f"{config.project.base_url.rstrip('/')}/assets/"
    if not url or not url.startswith(prefix):
        return None
    path = root / "content" / PurePosixPath(url[len(prefix):])
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def letter_context(variant, env) -> dict:
    """The letter's template context: the variant's, plus the featured story and the address."""
    config = env.config
    ctx = context(variant, config, env.styled, medium="print")
    _ = translations(variant.locale).gettext
    story = featured(variant, config.loyalty.top_tiers)
    views = {s["id"]: s for section in ctx["sections"] for s in section["stories"]}
    view = dict(views[story.id]) if story else None
    if view:
        view["image"] = (dict(view["image"], url=_local_image(view["image"]["url"], config, env.templates.root))
                         if view["image"] else None)
        if view["image"] and not view["image"]["url"]:
            view["image"] = None  # remote images are not fetched
    shown = [s for section in variant.sections if not section.when for s in section.stories]
    # A survey is printed as its question and the survey page's address, not as a title.
    survey = next((views[s.id]["survey"] for s in shown if views[s.id]["survey"]), None)
    shown = [s for s in shown if s.meta.kind != "survey"]
    web_page = web_page_url(config, variant.issue, variant.audience.id)
    anyone = _("%(brand)s customer") % {"brand": config.brand.name}
    ctx.update(
        story=view, survey=survey,
        more=[s.meta.title for s in shown if not story or s.id != story.id],
        web=({"url": ctx["links"]["web_version"], "plain": web_page} if web_page else None),
        address={"name": Markup(merge.MergeTag("first_name", anyone).token() + " "
                                + merge.MergeTag("last_name", "").token()),
                 "company": Markup(merge.MergeTag("company", "").token())},
        cjk_font=cjk_font(variant.locale),
        pdf_date=send_time(variant.issue.meta.date).strftime("%Y-%m-%dT%H:%M:%SZ"),
        website_plain=config.brand.website)
    return ctx


class PrintChannel:
    name = "print"
    template = "print/letter.html.j2"

    def render(self, variant, env) -> Rendered:
        ctx = letter_context(variant, env)
        files: dict[str, bytes] = {}
        sources: dict[str, str] = {}
        pages: dict[str, int] = {}
        font_setup = fonts.setup(env.templates.root)
        for name, paper in PAPERS.items():
            with env.timer("print-template"):
                source = env.templates.render([self.template], dict(ctx, paper=paper), variant.locale)
            sources[name] = html = merge.resolve(source)
            identifier = hashlib.sha256(f"{variant.key}\n{name}\n{html}".encode("utf-8")).hexdigest()[:32]
            with env.timer("print-pdf"):
                files[name], pages[name] = pdf(html, identifier, font_setup)
        # The checks read the A4 letter's HTML; both sizes carry the same words and links.
        return Rendered(files=files, subject=variant.text.title, preheader="",
                        extra={"html_tokens": sources["print-a4.pdf"], "pages": pages})


@lru_cache(maxsize=256)
def pdf(html: str, identifier: str, font_setup: fonts.FontSetup) -> tuple[bytes, int]:
    """The PDF of a letter and its page count. The output depends on nothing but the
    arguments (the font files are named and fingerprinted by `font_setup`), so a rebuild
    (the preview, the test suite) reuses the last layout."""
    try:  # imported on first use: it loads Pango, and checks fontconfig's fonts
        with fonts.active(font_setup):
            from weasyprint import HTML
            from weasyprint.text.fonts import FontConfiguration
            from weasyprint.urls import URLFetcher
    except ImportError:  # an optional extra: only projects that print need it
        raise BuildError([Diagnostic(
            Severity.ERROR, "the print channel needs WeasyPrint, which is not installed: "
            "pip install 'newsletter[print]' (or take print out of the issue's channels)",
            None, "missing-extra")]) from None
    except OSError as exc:
        raise BuildError([Diagnostic(
            Severity.ERROR, f"the print channel needs Pango for WeasyPrint ({exc}); install the "
            "Debian packages libpango-1.0-0 and libpangoft2-1.0-0 (make build does it as root)",
            None, "print-setup")]) from None

    # Only the data: URLs of embedded images may load: a build never touches the network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    with fonts.active(font_setup):  # WeasyPrint loads a fontconfig configuration here
        font_config = FontConfiguration()
    with _quiet():
        document = HTML(string=html, url_fetcher=fetcher).render(font_config=font_config)
        return document.write_pdf(pdf_identifier=identifier.encode("ascii")), len(document.pages)


class _quiet:
    """WeasyPrint logs each CSS property it ignores; a build reports its own problems."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


register(PrintChannel())
