"""The web channel: a public page per issue (or pack step) and audience, plus the archive.

Pages live under build/web/ with clean URLs (web/issues/<issue>/<audience>/ is an
index.html), so the folder can be published on its own. Every page is audience-neutral:
merge tags show their fallbacks and conditional blocks show what a reader with no data
sees. Once per build, `assemble` adds web/index.html (every monthly issue, newest first)
and web/feed.xml (Atom, RFC 4287). Welcome-pack steps get a page, for "view in browser",
but are not past issues, so the index and the feed leave them out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..compose.paths import message_directory, web_page_url, web_root_url
from ..content.channels import SPECS
from ..core import merge
from ..core.contrast import dark_palette
from ..core.i18n import long_date, number, text_direction
from ..render.mime import send_time
from ..render.templating import Templates
from ..render.views import context
from .registry import Rendered, register

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def rfc3339(day) -> str:
    """An issue date as an RFC 3339 timestamp: the send time the email's Date header uses."""
    return send_time(day).strftime("%Y-%m-%dT%H:%M:%SZ")


class WebChannel:
    name = "web"
    template = "web/page.html.j2"
    index_template = "web/index.html.j2"

    def render(self, variant, env) -> Rendered:
        config = env.config
        ctx = context(variant, config, env.styled, medium="web")
        # Links inside the archive are relative, so the folder works from any host or file://.
        up = "../" * (message_directory(variant.issue, variant.audience.id).count("/") + 1)
        ctx["links"]["web_version"] = None  # this is the web version
        ctx["page"] = {"canonical": web_page_url(config, variant.issue, variant.audience.id),
                       "feed_url": web_root_url(config) + "feed.xml",
                       "archive": f"{up}index.html", "feed": f"{up}feed.xml",
                       "iso_date": variant.issue.meta.date.isoformat(),
                       "description": merge.plain(variant.text.preheader)}
        with env.timer("web-template"):
            source = env.templates.render([self.template], ctx, variant.locale)
        # Fallbacks in, conditional blocks out: a public page shows nothing personal.
        page = merge.resolve(source)
        return Rendered(files={"index.html": page.encode("utf-8")},
                        subject=merge.plain(variant.text.subject),
                        preheader=merge.plain(variant.text.preheader),
                        extra={"html_tokens": page, "canonical": ctx["page"]["canonical"]})

    def assemble(self, project, outputs) -> dict[str, bytes]:
        """web/index.html and web/feed.xml from this build's pages of monthly issues."""
        pages = [o for o in outputs if o.variant.issue.kind == "issue"]
        if not pages:
            return {}
        # Newest issue first; audiences in the order the issue lists them.
        pages.sort(key=lambda o: (-o.variant.issue.meta.date.toordinal(), o.variant.issue.id))
        folder = SPECS[self.name].folder
        return {f"{folder}/index.html": self._index(project, pages),
                f"{folder}/feed.xml": self._feed(project, pages)}

    def _index(self, project, pages) -> bytes:
        config = project.config
        locale = config.project.default_locale
        issues: dict[str, dict[str, Any]] = {}
        for output in pages:
            v = output.variant
            entry = issues.setdefault(v.issue.id, {
                "title": v.issue.default.title, "date_long": long_date(v.issue.meta.date, locale),
                "iso_date": v.issue.meta.date.isoformat(), "pages": []})
            entry["pages"].append({
                "href": f"{message_directory(v.issue, v.audience.id)}/index.html",
                "audience": v.audience.name, "lang": v.locale, "dir": text_direction(v.locale),
                "title": v.text.title, "summary": output.preheader})
        ctx = {"brand": config.brand, "colors": config.brand.colors, "mailing_list": config.list,
               "dark": dark_palette(config.brand.colors.model_dump()),
               "lang": locale, "dir": text_direction(locale), "issues": list(issues.values()),
               "count": number(len(issues), locale), "total": len(issues),
               "canonical": web_root_url(config), "feed_url": web_root_url(config) + "feed.xml",
               "website": config.brand.website}
        html = Templates(project.root).render([self.index_template], ctx, locale)
        return html.encode("utf-8")

    def _feed(self, project, pages) -> bytes:
        """An Atom feed: one entry per page, its canonical URL as the permanent id."""
        config = project.config
        ET.register_namespace("", ATOM)
        feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: config.project.default_locale})

        def add(parent, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
            element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
            element.text = text
            return element

        add(feed, "id", web_root_url(config))
        add(feed, "title", config.list.name or config.brand.name)
        add(feed, "updated", max(rfc3339(o.variant.issue.meta.date) for o in pages))
        author = add(feed, "author")
        add(author, "name", config.brand.name)
        add(author, "uri", config.brand.website)
        add(feed, "link", rel="self", type="application/atom+xml", href=web_root_url(config) + "feed.xml")
        add(feed, "link", rel="alternate", type="text/html", href=web_root_url(config))
        for output in pages:
            v = output.variant
            url = output.extra["canonical"]
            stamp = rfc3339(v.issue.meta.date)
            entry = add(feed, "entry", **{XML_LANG: v.locale})
            add(entry, "id", url)
            add(entry, "title", f"{v.text.title} · {v.audience.name}")
            add(entry, "link", rel="alternate", type="text/html", hreflang=v.locale, href=url)
            add(entry, "published", stamp)
            add(entry, "updated", stamp)
            add(entry, "category", term=v.audience.id, label=v.audience.name)
            if output.preheader:
                add(entry, "summary", output.preheader)
        ET.indent(feed)
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8",
                                                                       xml_declaration=False) + b"\n"


register(WebChannel())
