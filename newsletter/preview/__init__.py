"""The local preview: every built message as the recipient sees it, rebuilt on every save.

`serve(root)` runs it until Ctrl+C; `Preview(root, port=0)` starts it in the background
(tests, scripts). `newsletter.preview.snapshot.take(root)` writes PNG screenshots.

May import every stage, newsletter.build, esp and customers; only the commands import it.
"""

from .app import Preview, serve

__all__ = ["Preview", "serve"]
