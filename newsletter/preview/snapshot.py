"""PNG screenshots of every built email, for review decks and visual regression.

`take(root)` renders the project in memory and photographs each variant's HTML in headless
Chromium at 600 px (desktop) and 375 px (mobile), each also with `prefers-color-scheme:
dark`, full page, into `<project>/snapshots/<issue>/<audience>-<width>[-dark].png`.

Runs are offline and repeatable: the project's own images are served from memory, every
other request is refused, animations are off, and Chromium sees only our own fontconfig
(newsletter/render/fonts.py: Debian's fonts-dejavu-core and fonts-noto-cjk plus the project's
`fonts/` folder), so the same input gives the same bytes whatever else the machine has
installed.
"""

from __future__ import annotations

import mimetypes
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..build import Progress, load, render
from ..compose.addressing import resolve
from ..compose.selection import build_variants
from ..render import fonts
from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from ..core.timing import Timer
from ..output.outdir import check as check_out_dir
from ..output.outdir import project_sources
from ..output.writer import source_date_epoch, write_tree
from ..render.env import Output

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (600, 375)
HEIGHT = 800  # the first viewport; full-page shots grow to the email's length


def snapshot_name(output: Output, width: int, dark: bool) -> str:
    """`<issue>/<audience>-<width>[-dark].png`; other channels than email add theirs."""
    variant = output.variant
    group = variant.key.rsplit("/", 2)[0]
    channel = "" if variant.channel == "email" else f"-{variant.channel}"
    return f"{group}/{variant.audience.id}{channel}-{width}{'-dark' if dark else ''}.png"


def html_of(output: Output) -> str | None:
    """The output's HTML as built (merge tags show their fallbacks), if it has one."""
    for name, data in sorted(output.files.items()):
        if name.endswith(".html"):
            return data.decode("utf-8")
    return None


class Camera:
    """Screenshots of HTML at a width and colour scheme, with the project's images local."""

    def __init__(self, browser: Any, assets: dict[str, bytes], base_url: str):
        self.browser = browser
        self.assets = assets
        self.prefix = base_url.rstrip("/") + "/"
        self._pages: dict[tuple[int, bool], Any] = {}

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.prefix) and url[len(self.prefix):] in self.assets:
            name = url[len(self.prefix):]
            route.fulfill(status=200, body=self.assets[name],
                          content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        else:
            route.abort()  # remote images and fonts: offline, fast and the same every run

    def _page(self, width: int, dark: bool) -> Any:
        if (width, dark) not in self._pages:
            context = self.browser.new_context(
                viewport={"width": width, "height": HEIGHT}, device_scale_factor=1,
                color_scheme="dark" if dark else "light", reduced_motion="reduce")
            page = context.new_page()
            page.route("**/*", self._route)
            self._pages[(width, dark)] = page
        return self._pages[(width, dark)]

    def shoot(self, html: str, width: int, dark: bool = False) -> bytes:
        page = self._page(width, dark)
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready")
        return page.screenshot(full_page=True, animations="disabled", caret="hide", type="png")

    def close(self) -> None:
        for page in self._pages.values():
            page.context.close()
        self._pages.clear()


@contextmanager
def chromium(executable: str = CHROMIUM, root: Path | None = None) -> Iterator[Any]:
    """A headless Chromium (Debian's) driven by Playwright, drawing text with our fonts
    only (those of the project at `root`, if given)."""
    if not Path(executable).exists():
        raise BuildError([Diagnostic(Severity.ERROR, f"Chromium not found at {executable}: install it "
                                     "(Debian: apt-get install chromium fonts-noto-cjk)",
                                     None, "no-chromium")])
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError([Diagnostic(Severity.ERROR, "screenshots need Playwright, which is not installed: "
                                     "pip install 'newsletter[snapshot]'", None, "missing-extra")]) from None

    environment = fonts.environ(fonts.setup(root))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS, env=environment)
        try:
            yield browser
        finally:
            browser.close()


def take(root: Path, out_dir: Path | None = None, *, browser: Any = None,
         executable: str = CHROMIUM, issues: Sequence[str] = (),
         progress: Progress | None = None) -> list[Path]:
    """Screenshot every variant; returns the PNG paths. BuildError on bad input.

    `out_dir` (default `<root>/snapshots`) is replaced as a whole, like build/. Pass a
    Playwright `browser` to reuse one that is already running (launched with
    `fonts.environ(fonts.setup(root))`, as `chromium()` does, for the same pixels). `issues`
    limits the screenshots to these issues, packs or pack steps (`PACK/STEP`);
    `progress(done, total, what)` is called after each screenshot.
    """
    root = Path(root)
    out_dir = Path(out_dir) if out_dir else root / "snapshots"
    project, _ = load(root)
    sources = project_sources(root, project.config)
    check_out_dir(out_dir, sources)  # refused before Chromium starts
    variants = build_variants(project)
    if issues:
        chosen = {m.id for m in resolve(project, issues)}
        variants = [v for v in variants if v.issue.id in chosen]
    outputs = [(output, html) for output in render(project, Timer(), variants=variants)
               if (html := html_of(output)) is not None]
    if not outputs:
        raise BuildError([Diagnostic(Severity.ERROR, "nothing to photograph: no message has HTML",
                                     Location("content/issues/"), "no-html")])
    files: dict[str, bytes] = {}
    with (nullcontext(browser) if browser is not None else chromium(executable, root)) as running:
        camera = Camera(running, project.assets, project.config.project.base_url)
        try:
            total = len(outputs) * len(WIDTHS) * 2
            for output, html in outputs:
                for width in WIDTHS:
                    for dark in (False, True):
                        name = snapshot_name(output, width, dark)
                        files[name] = camera.shoot(html, width, dark)
                        if progress:
                            progress(len(files), total, name)
        finally:
            camera.close()
    write_tree(out_dir, files, source_date_epoch(), sources=sources)
    return [out_dir / name for name in sorted(files)]
