"""Per-recipient unsubscribe URLs for the messages we send ourselves (send-test, .eml).

`[list] unsubscribe_url` may hold `{token}`; a real send replaces it with
HMAC-SHA256(secret, "<address>\\n<list id>") in lower-case hex, so the URL identifies
both the recipient and the list (RFC 8058 one-click needs that) and nobody can forge one
for somebody else. The secret only ever comes from the environment variable
NEWSLETTER_UNSUBSCRIBE_SECRET. Built files are previews for no one in particular: they
carry PREVIEW_TOKEN instead, which the unsubscribe endpoint must reject.

Provider exports do not use any of this: each provider writes its own per-recipient link
(see newsletter.esp).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from urllib.parse import quote

from ..content.config import Config
from ..core.diagnostics import BuildError, Diagnostic, Location, Severity
from ..core.names import CONFIG_FILE

PLACEHOLDER = "{token}"
ENV_SECRET = "NEWSLETTER_UNSUBSCRIBE_SECRET"
#: What built previews carry in place of a token: obviously not a recipient's.
PREVIEW_TOKEN = "preview-not-a-recipient"


def is_personal(url: str) -> bool:
    """Whether the configured URL can identify a recipient (it has the {token} slot)."""
    return PLACEHOLDER in url


def token(secret: str, address: str, list_id: str) -> str:
    """The recipient's token: HMAC-SHA256 of the lower-cased address and the list id."""
    message = f"{address.strip().lower()}\n{list_id}".encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def preview_url(config: Config) -> str:
    """The URL in built files: the configured one with the preview placeholder token."""
    return config.list.unsubscribe_url.replace(PLACEHOLDER, PREVIEW_TOKEN)


def recipient_url(config: Config, address: str, environ: Mapping[str, str] | None = None) -> str:
    """The URL for one real recipient; BuildError (one line) when the secret is missing."""
    url = config.list.unsubscribe_url
    if not is_personal(url):
        return url
    secret = (os.environ if environ is None else environ).get(ENV_SECRET, "")
    if not secret:
        raise BuildError([Diagnostic(
            Severity.ERROR, f"[list] unsubscribe_url has {PLACEHOLDER} but the environment "
            f"variable {ENV_SECRET} is empty: export the secret your unsubscribe endpoint "
            "checks tokens with", Location(CONFIG_FILE), "unsubscribe-secret")])
    return url.replace(PLACEHOLDER, quote(token(secret, address, config.list.id), safe=""))
