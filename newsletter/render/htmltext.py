"""The readable text of a block of HTML written in a story (the plain-text part reads it as text)."""

from __future__ import annotations

from html.parser import HTMLParser

__all__ = ["HtmlText"]


class HtmlText(HTMLParser):
    """The readable text of an HTML block: paragraphs of text, links and image alt text."""

    BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
              "ul", "ol", "section", "article", "figure", "figcaption", "br", "hr"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[tuple[str, str, str]]] = [[]]
        self._href: str | None = None
        self._label = ""
        self._skipping = 0

    def _break(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self._break()
        elif tag == "a":
            self._href, self._label = values.get("href") or "", ""
        elif tag == "img" and values.get("alt"):
            self.handle_data(f"[image: {values['alt']}]")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in self.BLOCKS:
            self._break()
        elif tag == "a" and self._href is not None:
            self.paragraphs[-1].append(("link", self._label.strip(), self._href))
            self._href = None

    def handle_data(self, data):
        if self._skipping:
            return
        if self._href is not None:
            self._label += data
        else:
            self.paragraphs[-1].append(("text", data, ""))
