"""Standards-correct .eml files: multipart/alternative, text then HTML, RFC 2047 headers."""

from __future__ import annotations

import binascii
import hashlib
from datetime import datetime, time, timezone
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from functools import lru_cache

from ..content.config import Config
from .unsubscribe import preview_url


def message_id(key: str, html: str | bytes, domain: str) -> str:
    """A Message-ID that depends only on the content, so rebuilds are byte-identical.

    `html` may be given as its UTF-8 bytes (the same digest, without encoding it again).
    """
    digest = hashlib.sha256(f"{key}\n".encode("utf-8"))
    digest.update(html if isinstance(html, bytes) else html.encode("utf-8"))
    digest = digest.hexdigest()[:20]
    # A readable prefix, kept short so the header stays on one 78-character line.
    return f"<{key.replace('/', '.')[:24].strip('.')}.{digest}@{domain}>"


def build_eml(*, config: Config, key: str, subject: str, text: str, html: str,
              sent: datetime, to: str | None = None, unsubscribe_url: str | None = None) -> bytes:
    """Serialise one message; every line stays under 998 bytes through quoted-printable.

    `unsubscribe_url` is the recipient's own one-click URL (the preview URL if omitted).
    The header fields go through the email package (address quoting, RFC 2047, folding),
    each field on its own, and those that recur from message to message only once; the two
    parts are written here with binascii's quoted-printable, which is C code: the email
    package's generator and its pure-Python encoder took most of a message's build time.
    """
    sender_domain = config.sender.email.rsplit("@", 1)[1]
    list_name = config.list.name or config.brand.name
    # Without To, spam filters score the message up; ESPs replace it per recipient anyway.
    recipient = to or (list_name, config.sender.email)
    # The email package would pick a random boundary; derive it from the content instead.
    # Each part is encoded to UTF-8 once, for the digests and for quoted-printable.
    text_bytes, html_bytes = text.encode("utf-8"), html.encode("utf-8")
    boundary = "=_nl_" + hashlib.sha256(b"".join((text_bytes, b"\n", html_bytes))).hexdigest()[:32]
    fields = [_folded("From", (config.sender.name, config.sender.email)), _folded("To", recipient)]
    if config.sender.reply_to:
        fields.append(_folded("Reply-To", config.sender.reply_to))
    fields += [_subject(subject), _folded("Date", format_datetime(sent)),
               _fold("Message-ID", message_id(key, html_bytes, sender_domain)),
               _folded("List-Id", f"{list_name} <{config.list.id}>"),
               _folded("List-Unsubscribe", f"<{unsubscribe_url or preview_url(config)}>"),
               _folded("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), _folded("MIME-Version", "1.0"),
               _content_type(len(boundary)).replace(_BOUNDARY_MARK[:len(boundary)].encode("ascii"),
                                                    boundary.encode("ascii"), 1),
               b"\r\n"]  # the blank line that ends the header block
    head = b"".join(fields)
    delimiter = b"--" + boundary.encode("ascii")
    out = [head]
    for subtype, content in (("plain", text_bytes), ("html", html_bytes)):
        out += [delimiter, b"\r\n", b'Content-Type: text/', subtype.encode("ascii"),
                b'; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
                quoted_printable(content), b"\r\n"]
    out += [delimiter, b"--\r\n"]
    return b"".join(out)


def quoted_printable(content: str | bytes) -> bytes:
    """UTF-8 text (or its bytes) as quoted-printable with CRLF line ends (RFC 2045: lines of at most 76).

    The text's own line breaks stay hard breaks; the part always ends with one, as the
    email package writes it, so the boundary that follows starts a line of its own.
    """
    lines = (content if isinstance(content, bytes) else content.encode("utf-8")).splitlines()
    # With CRLF in the first line end, b2a_qp writes CRLF for every hard and soft break.
    return binascii.b2a_qp(b"\r\n".join(lines) + b"\r\n", quotetabs=False, istext=True, header=False)


def _fold(name: str, value: str | tuple[str, str]) -> bytes:
    """One header field as the email package's generator writes it (SMTP policy: parsed,
    folded under 78 columns, CRLF); a (name, address) pair is an Address."""
    msg = EmailMessage(policy=SMTP)
    msg[name] = Address(value[0], addr_spec=value[1]) if isinstance(value, tuple) else value
    [(name, header)] = msg.items()
    return SMTP.fold_binary(name, header)


#: The fields that are the same in many messages (From, To, List-Id, a Date) are folded once:
#: a field is folded on its own, whatever the others are.
_folded = lru_cache(maxsize=1024)(_fold)

#: A stand-in for the boundary while Content-Type is folded: folding depends only on the
#: length of the boundary and its kind of characters (here letters and digits, no spaces).
_BOUNDARY_MARK = "=_nl_" + "0" * 59


@lru_cache(maxsize=8)
def _content_type(length: int) -> bytes:
    """The Content-Type field, folded, with a boundary of this length still to fill in."""
    return _fold("Content-Type", f'multipart/alternative; boundary="{_BOUNDARY_MARK[:length]}"')


def _subject(subject: str) -> bytes:
    """The Subject field, encoded with email.header.Header.

    The email package's folding of long non-ASCII subjects puts the space between two
    encoded words outside them, where RFC 2047 says decoders drop it ("дома без" arrives
    as "домабез"); Header keeps every space inside an encoded word.
    """
    if "\n" in subject or "\r" in subject:  # as the email package refuses it: no header injection
        raise ValueError("Header values may not contain linefeed or carriage return characters")
    return b"Subject: " + Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n").encode("ascii") + b"\r\n"


def send_time(day, hour: int = 9) -> datetime:
    """The Date header: the issue's date at a fixed morning hour, in UTC."""
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)
