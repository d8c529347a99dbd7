"""The running preview: a first build, the watcher that rebuilds, and the HTTP server."""

from __future__ import annotations

import threading
import time
import webbrowser
from pathlib import Path
from typing import Callable

from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from .catalog import Catalog
from .server import PreviewServer
from .state import State
from .watch import Rebuilder, Watcher

Log = Callable[[str], None]


class Preview:
    """Build once, then serve and rebuild on every save until `close()`.

    `port=0` picks a free port (tests); `url` tells which. Usable as a context manager.
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000,
                 out_dir: Path | None = None, log: Log | None = None, watch: bool = True):
        self.root = Path(root)
        if not self.root.is_dir():
            raise BuildError([Diagnostic(Severity.ERROR, "no such project folder", Location(str(root)),
                                         "no-project")])
        self.log = log or (lambda message: None)
        self.state = State(self.root)
        self.rebuilder = Rebuilder(self.root, out_dir)
        self.watcher = Watcher(self.root, self._changed) if watch else None
        self.server = PreviewServer((host, port), self.state, self.rebuilder.out_dir, self.log)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        # Listening on every address: this machine's own is the one to open.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"

    def rebuild(self, changed: set[str] | None = None) -> None:
        """Rebuild after `changed` (None: everything) and tell the open pages."""
        with self._lock:  # the first build and the watcher's must not overlap
            self.state.started()
            try:
                rebuild = self.rebuilder.rebuild(changed)
                catalog = Catalog(rebuild.result, rebuild.samples)
            except BuildError as exc:
                self.state.failed(exc.diagnostics)
                self.log(f"build failed ({len(exc.diagnostics)} problem(s)); "
                         "still showing the last good build")
                for diagnostic in exc.diagnostics:
                    self.log(f"  {diagnostic}")
                return
            except Exception as exc:  # e.g. a disk error writing build/: show it, keep serving
                self.state.failed([Diagnostic(Severity.ERROR, f"{type(exc).__name__}: {exc}",
                                              None, "internal")])
                self.log(f"build failed: {type(exc).__name__}: {exc}")
                return
            summary = (f"rendered {len(rebuild.rendered)} of {len(rebuild.result.outputs)} "
                       f"message(s) in {rebuild.seconds * 1000:.0f} ms")
            self.state.succeeded(catalog, f"built {time.strftime('%H:%M:%S')} · {summary}")
            self.log(summary)

    def _warm(self) -> None:
        with self._lock:
            try:
                self.rebuilder.warm()
            except Exception:  # nothing is lost: the next rebuild renders and checks, and reports
                pass

    def _changed(self, paths: set[str]) -> None:
        self.log("changed: " + ", ".join(sorted(paths)))
        self.rebuild(paths)

    def start(self) -> "Preview":
        """Watch first (so no save during the first build is lost), build, then serve."""
        if self.watcher:
            self.watcher.start()
        self.rebuild(None)
        # The first reload's one-off costs, paid while the marketer opens the page (a save
        # meanwhile waits for it, as it would wait for a rebuild).
        threading.Thread(target=self._warm, daemon=True, name="preview-warm").start()
        # A short poll interval makes close() quick; the cost is a wake-up every 0.1 s.
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.1,), daemon=True,
                                        name="preview-http")
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until Ctrl+C."""
        while self._thread and self._thread.is_alive():
            time.sleep(0.2)

    def close(self) -> None:
        self.state.close()
        if self.watcher:
            self.watcher.stop()
        self.server.shutdown()
        self.server.server_close()
        with self._lock:  # after any rebuild the watcher started
            self.rebuilder.close()

    def __enter__(self) -> "Preview":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True,
          log: Log | None = print) -> None:
    """Run the preview of the project at `root` until Ctrl+C."""
    preview = Preview(root, host, port, log=log)
    try:
        preview.start()
        if log:
            log(f"preview at {preview.url}  (Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(preview.url)
        preview.wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
