"""The preview's HTTP server: pages, the personalised emails, server-sent events and build files.

Routes (GET and HEAD only):

    /                                     index of everything built
    /message/<issue>/<audience>/<channel> one message (?sample=ID&width=mobile&scheme=dark)
    /render/<issue>/<audience>/<channel>  that email's HTML for the iframe, personalised in memory
    /grid/<issue>                         every audience's variant side by side
    /source/<path>                        a project source file with line numbers (findings link here)
    /results                              what happened after the send (content/results/)
    /events                               server-sent events: "building", then "reload"
    /static/<name>                        the preview's CSS and JS
    /build/<path>                         a file of the current build

Only files inside the build folder are served from /build/; `..`, encoded `..`, backslashes,
absolute paths and symlinks that lead out of it are 404, and folders are never listed.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from ..results.page import render_results_page
from . import site
from .catalog import SCHEMES, framed
from .customers_page import render_customers_page
from .state import State

STATIC = {name: (Path(__file__).parent / "static" / name).read_bytes()
          for name in ("preview.css", "preview.js")}
PAGE_CSP = ("default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; frame-src 'self'; frame-ancestors 'none'")
# Emails never run scripts; they may load their (remote) images and inline styles.
EMAIL_CSP = ("default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; "
             "font-src https: data:; frame-ancestors 'self'")
KEEPALIVE = 15.0
#: Longer URL paths name no file of a project (file systems stop at 4096 bytes, most at 255 a name).
MAX_PATH = 1024
TYPES = {".eml": "message/rfc822", ".txt": "text/plain; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".json": "application/json"}


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def safe_file(base: Path, raw: str) -> Path | None:
    """The file `raw` (a URL path, still percent-encoded) names inside `base`, or None.

    Refused: longer than MAX_PATH, empty, `.` or `..` segments (so `//` and `%2e%2e` too), backslashes, NUL,
    absolute paths, anything whose real path (symlinks followed) leaves `base`, and folders.
    """
    if len(raw) > MAX_PATH:
        return None
    decoded = unquote(raw)
    for text in (raw, decoded):
        if not text or "\\" in text or "\x00" in text or text.startswith("/"):
            return None
    if any(part in ("", ".", "..") for part in decoded.split("/")):
        return None
    base = base.resolve()
    try:
        target = (base / decoded).resolve()
        # A name the file system refuses (too long, say) is a file that is not there.
        if not target.is_relative_to(base) or not target.is_file():
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    return target


class Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    server_version = "newsletter-preview"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass  # a line per request would drown the rebuild messages

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def _refuse(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def _send(self, status: int, body: bytes, ctype: str, head: bool, csp: str = PAGE_CSP) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _page(self, html: str, head: bool, status: int = 200) -> None:
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8", head)

    def _not_found(self, head: bool, what: str = "This page") -> None:
        self._page(site.not_found_page(self.server.state.view(), what), head, 404)

    def _host_ok(self) -> bool:
        """On loopback, only loopback names: a web page that rebinds its own domain to
        127.0.0.1 (DNS rebinding) must not be able to read unsent emails."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0]
        return is_loopback(name)

    def _handle(self, head: bool) -> None:
        if not self._host_ok():
            self._send(403, b"unexpected Host header", "text/plain; charset=utf-8", head)
            return
        try:
            parts = urlsplit(self.path)
        except ValueError:  # e.g. "//[" reads as an unclosed IPv6 host
            parts = None
        if parts is None or len(parts.path) > MAX_PATH:
            self._not_found(head)
            return
        path, params = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            self._route(path, params, head)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # a bug in a page must not take the server down
            # The terminal gets the details; the page none (they may hold file system paths).
            self.server.log(f"error serving {path[:200]}: {type(exc).__name__}: {exc}")
            self._send(500, b"preview error: the terminal running `newsletter preview` says what failed",
                       "text/plain; charset=utf-8", head)

    def _route(self, path: str, params: dict[str, str], head: bool) -> None:
        view = self.server.state.view()
        catalog = view.catalog
        if path == "/":
            self._page(site.index_page(view), head)
        elif path == "/events":
            self._events(params.get("since", ""), head)
        elif path.startswith("/static/") and path[len("/static/"):] in STATIC:
            name = path[len("/static/"):]
            ctype = "text/css; charset=utf-8" if name.endswith(".css") else "text/javascript; charset=utf-8"
            self._send(200, STATIC[name], ctype, head)
        elif path.startswith("/build/"):
            self._build_file(path[len("/build/"):], head)
        elif path.startswith("/source/"):
            self._source(path[len("/source/"):], head)
        elif path == "/customers":
            # Computed on request from the customer export; personal data never reaches build/.
            self._page(render_customers_page(self.server.state.root), head)
        elif path == "/results":
            # Computed on request from content/results/; recipient addresses never reach the page.
            self._page(render_results_page(self.server.state.root), head)
        elif catalog is None:
            self._not_found(head, "Nothing")
        elif path.startswith("/message/") and unquote(path[9:]) in catalog.by_key:
            entry = catalog.by_key[unquote(path[9:])]
            self._page(site.message_page(view, entry, params.get("sample"), params.get("width", ""),
                                         params.get("scheme", "")), head)
        elif path.startswith("/render/") and unquote(path[8:]) in catalog.by_key:
            entry = catalog.by_key[unquote(path[8:])]
            shown = catalog.personalise(entry, catalog.sample(entry, params.get("sample")))
            scheme = params.get("scheme", "light")
            html = framed(shown.html, scheme if scheme in SCHEMES else "light",
                          catalog.result.project.config.project.base_url)
            self._send(200, html.encode("utf-8"), "text/html; charset=utf-8", head, EMAIL_CSP)
        elif path.startswith("/grid/") and unquote(path[6:]) in catalog.groups:
            group = catalog.groups[unquote(path[6:])]
            self._page(site.grid_page(view, group, params.get("width", ""),
                                      params.get("samples", "")), head)
        else:
            self._not_found(head)

    def _build_file(self, raw: str, head: bool) -> None:
        target = safe_file(self.server.out_dir, raw)
        if target is None:
            self._not_found(head, "This file")
            return
        try:
            body = target.read_bytes()
        except OSError:  # replaced by a rebuild between the check and the read
            self._not_found(head, "This file")
            return
        ctype = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, body, ctype, head, EMAIL_CSP)

    def _source(self, raw: str, head: bool) -> None:
        root = self.server.state.root
        name = unquote(raw)
        target = safe_file(root, raw) if site.is_source_path(name) else None
        allowed = [root.resolve() / "newsletter.toml", root.resolve() / "content",
                   root.resolve() / "templates"]
        if target is None or not any(target == a or target.is_relative_to(a) for a in allowed):
            self._not_found(head, "This file")
            return
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self._not_found(head, "This file")
            return
        self._page(site.source_page(self.server.state.view(), name, text), head)

    def _events(self, since: str, head: bool) -> None:
        """Server-sent events until the page goes away: `building` (1/0) and `reload`."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if head:
            return
        view = state.view()
        generation, building = view.generation, False
        self.wfile.write(b"retry: 500\n\n")
        if since.isdigit() and int(since) != generation:
            # The page was rendered before a rebuild finished: it is already stale.
            self.wfile.write(f"event: reload\ndata: {generation}\n\n".encode())
        if view.building:
            building = True
            self.wfile.write(b"event: building\ndata: 1\n\n")
        self.wfile.flush()
        while True:
            new_generation, new_building, closed = state.wait(generation, building, KEEPALIVE)
            if closed:
                return
            if new_generation != generation:
                message = f"event: reload\ndata: {new_generation}\n\n"
            elif new_building != building:
                message = f"event: building\ndata: {int(new_building)}\n\n"
            else:
                message = ": keep-alive\n\n"
            generation, building = new_generation, new_building
            self.wfile.write(message.encode())
            self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows the preview state and the build folder."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: State, out_dir: Path,
                 log: Callable[[str], None] = lambda message: None):
        self.state = state
        self.log = log
        self.out_dir = Path(out_dir)
        self.loopback = is_loopback(address[0])
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
