"""Standards-correct .eml files: multipart/alternative, text then HTML, RFC 2047 headers."""

from __future__ import annotations

import binascii
import hashlib
import re
from datetime import datetime, time, timezone
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from ..content.config import Config
from .unsubscribe import preview_url


def message_id(key: str, html: str, domain: str) -> str:
    """A Message-ID that depends only on the content, so rebuilds are byte-identical."""
    digest = hashlib.sha256(f"{key}\n{html}".encode("utf-8")).hexdigest()[:20]
    # A readable prefix, kept short so the header stays on one 78-character line.
    return f"<{key.replace('/', '.')[:24].strip('.')}.{digest}@{domain}>"


def build_eml(*, config: Config, key: str, subject: str, text: str, html: str,
              sent: datetime, to: str | None = None, unsubscribe_url: str | None = None) -> bytes:
    """Serialise one message; every line stays under 998 bytes through quoted-printable.

    `unsubscribe_url` is the recipient's own one-click URL (the preview URL if omitted).
    The headers go through the email package (address quoting, RFC 2047, folding); the two
    parts are written here with binascii's quoted-printable, which is C code: the email
    package's generator and its pure-Python encoder took most of a message's build time.
    """
    msg = EmailMessage(policy=SMTP)
    sender_domain = config.sender.email.rsplit("@", 1)[1]
    msg["From"] = Address(config.sender.name, addr_spec=config.sender.email)
    # Without To, spam filters score the message up; ESPs replace it per recipient anyway.
    msg["To"] = to or Address(config.list.name or config.brand.name, addr_spec=config.sender.email)
    if config.sender.reply_to:
        msg["Reply-To"] = config.sender.reply_to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = message_id(key, html, sender_domain)
    list_name = config.list.name or config.brand.name
    msg["List-Id"] = f"{list_name} <{config.list.id}>"
    msg["List-Unsubscribe"] = f"<{unsubscribe_url or preview_url(config)}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["MIME-Version"] = "1.0"
    # The email package would pick a random boundary; derive it from the content instead.
    boundary = "=_nl_" + hashlib.sha256(f"{text}\n{html}".encode("utf-8")).hexdigest()[:32]
    msg["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    # The headers folded as the email package's generator folds them, then the blank line.
    head = b"".join(SMTP.fold_binary(name, value) for name, value in msg.items()) + b"\r\n"
    head = _encode_subject(head, subject)
    delimiter = b"--" + boundary.encode("ascii")
    out = [head]
    for subtype, content in (("plain", text), ("html", html)):
        out += [delimiter, b"\r\n", b'Content-Type: text/', subtype.encode("ascii"),
                b'; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
                quoted_printable(content), b"\r\n"]
    out += [delimiter, b"--\r\n"]
    return b"".join(out)


def quoted_printable(content: str) -> bytes:
    """UTF-8 text as quoted-printable with CRLF line ends (RFC 2045: lines of at most 76).

    The text's own line breaks stay hard breaks; the part always ends with one, as the
    email package writes it, so the boundary that follows starts a line of its own.
    """
    lines = content.encode("utf-8").splitlines()
    # With CRLF in the first line end, b2a_qp writes CRLF for every hard and soft break.
    return binascii.b2a_qp(b"\r\n".join(lines) + b"\r\n", quotetabs=False, istext=True, header=False)


_SUBJECT = re.compile(rb"^Subject:.*?\r\n(?![ \t])", re.S | re.M)


def _encode_subject(data: bytes, subject: str) -> bytes:
    """Re-encode the Subject with email.header.Header.

    The email package's folding of long non-ASCII subjects puts the space between two
    encoded words outside them, where RFC 2047 says decoders drop it ("дома без" arrives
    as "домабез"); Header keeps every space inside an encoded word.
    """
    encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")
    return _SUBJECT.sub(lambda _: b"Subject: " + encoded.encode("ascii") + b"\r\n", data, count=1)


def send_time(day, hour: int = 9) -> datetime:
    """The Date header: the issue's date at a fixed morning hour, in UTC."""
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)
