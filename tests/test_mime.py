"""The .eml files read back with Python's email package."""

from email import message_from_bytes, policy
from email.policy import SMTP
from email.header import decode_header, make_header

import pytest

from newsletter.build import build
from newsletter.render.mime import quoted_printable


@pytest.fixture
def built(minimal, tmp_path):
    return build(minimal, tmp_path / "out")


def read(result, audience):
    data = result.files[f"issues/2026-10/{audience}/email.eml"]
    return data, message_from_bytes(data, policy=policy.default)


def test_structure_text_first_then_html(built):
    _, msg = read(built, "new-readers")
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert all(p["Content-Transfer-Encoding"] == "quoted-printable" for p in parts)
    # On the wire lines end in CRLF; the files on disk use LF.
    assert parts[0].get_content().replace("\r\n", "\n") == built.files["issues/2026-10/new-readers/email.txt"].decode()
    assert parts[1].get_content().replace("\r\n", "\n") == built.files["issues/2026-10/new-readers/email.html"].decode()


def test_lines_are_short_and_crlf(built):
    for audience in ("new-readers", "book-clubs"):
        data, _ = read(built, audience)
        lines = data.split(b"\r\n")
        assert max(len(line) for line in lines) <= 998
        assert b"\n" not in data.replace(b"\r\n", b"")


def test_headers(built):
    data, msg = read(built, "book-clubs")
    raw_headers = data.split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # RFC 2047: non-ASCII subjects are encoded words
    assert b"=?utf-8?" in raw_headers
    assert str(make_header(decode_header(msg["Subject"]))) == "朋友，读书会的秘密"
    assert msg["From"].addresses[0].addr_spec == "news@lumen.example"
    assert msg["Date"] == "Mon, 05 Oct 2026 09:00:00 +0000"
    assert msg["List-Id"] == "Lumen Books <readers.lumen.example>"
    # A built .eml is a preview for nobody: its token is the marked placeholder.
    assert msg["List-Unsubscribe"].strip() == "<https://lumen.example/unsubscribe?t=preview-not-a-recipient>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Message-ID"].startswith("<2026-10.book-clubs.email.") and msg["Message-ID"].endswith("@lumen.example>")
    assert msg["MIME-Version"] == "1.0"
    assert len(msg.get_all("MIME-Version")) == 1


def test_personalisation_uses_fallback_and_story_text_is_literal(built):
    _, msg = read(built, "new-readers")
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert msg["Subject"] == "Reader, the 20-minute habit"
    assert "Hi there," in text and "Hi there," in html
    # A quote that contains other tools' merge syntax is printed literally.
    assert "*|FNAME|* and {{first_name}}" in text
    assert "*|FNAME|* and {{first_name}}" in html


def test_long_non_ascii_subject_keeps_its_spaces(minimal):
    """Python's folding drops the space between encoded words; ours keeps it inside one."""
    from email.header import decode_header, make_header

    from newsletter.build import load
    from newsletter.render.mime import build_eml, send_time

    project, _ = load(minimal)
    subject = "Друг, хороший кофе дома без кофемашины и без лишних слов совсем"
    data = build_eml(config=project.config, key="k", subject=subject, text="t", html="<p>h</p>",
                     sent=send_time(project.issues["2026-10"].meta.date))
    msg = message_from_bytes(data, policy=policy.default)
    assert msg["Subject"] == subject
    assert str(make_header(decode_header(msg["Subject"]))) == subject
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_header_lines_stay_under_78(built):
    for audience in ("new-readers", "book-clubs"):
        data, _ = read(built, audience)
        headers = data.split(b"\r\n\r\n", 1)[0]
        assert max(len(line) for line in headers.split(b"\r\n")) <= 78


@pytest.mark.parametrize("text", [
    "plain ASCII line\nsecond line\n",
    "trailing space \nand a tab\t\n",
    "x" * 300 + "\n" + "=" * 100 + "\n",
    "Привет, мир! " * 20 + "\n中文内容没有空格" * 15 + "\n",
    "no final newline",
    "\n\nblank lines around\n\n",
    ".\nA lone dot line above\nFrom the start of a line\n",
])
def test_quoted_printable_parts_decode_to_the_text(text):
    encoded = quoted_printable(text)
    lines = encoded.split(b"\r\n")
    assert encoded.endswith(b"\r\n") and b"\n" not in encoded.replace(b"\r\n", b"")
    assert all(len(line) <= 76 for line in lines)
    assert all(not line.endswith((b" ", b"\t")) for line in lines)
    message = message_from_bytes(b"Content-Type: text/plain; charset=utf-8\r\n"
                                 b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + encoded,
                                 policy=policy.default)
    expected = "\n".join(text.splitlines()) + "\n"  # line ends are the message's own (CRLF)
    assert message.get_content().replace("\r\n", "\n") == expected


@pytest.mark.parametrize("to", [None, "Zoë Ngũgĩ <zoe@example.org>", "plain@example.org"])
def test_header_fields_are_folded_as_the_email_package_folds_them(minimal, to):
    """Each field is folded on its own (and a recurring one once): the header block is the
    one the email package's generator writes for the same fields, Subject aside (Header)."""
    import re as regex
    from email.headerregistry import Address
    from email.message import EmailMessage

    from newsletter.build import load
    from newsletter.render.mime import build_eml, send_time

    project, _ = load(minimal)
    config = project.config
    sent = send_time(project.issues["2026-10"].meta.date)
    for key in ("2026-10/new-readers", "2026-10/a-much-longer-audience-name-that-folds"):
        data = build_eml(config=config, key=key, subject="Hi", text="t", html="<p>h</p>", sent=sent, to=to)
        head = data.split(b"\r\n\r\n", 1)[0] + b"\r\n"
        msg = EmailMessage(policy=SMTP)
        for name, value in message_from_bytes(head, policy=policy.compat32).items():
            if name == "Subject":
                continue
            if name == "From":
                value = Address(config.sender.name, addr_spec=config.sender.email)
            msg[name] = regex.sub(r"\r\n(?=[ \t])", "", value).strip() if isinstance(value, str) else value
        expected = b"".join(SMTP.fold_binary(name, value) for name, value in msg.items())
        assert regex.sub(rb"^Subject:.*?\r\n(?![ \t])", b"", head, flags=regex.S | regex.M) == expected
        assert msg["Content-Type"].params["boundary"].encode() in data.split(b"\r\n\r\n", 1)[1]
    with pytest.raises(ValueError):  # a line break would start a header of its own
        build_eml(config=config, key="k", subject="Hi\r\nBcc: x@example.org", text="t", html="h", sent=sent)
