"""Output invariants: what must never reach a built, exported or sent file."""

import re
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from newsletter.build import build
from newsletter.cli import main
from newsletter.output import invariants
from newsletter.output.invariants import (InvariantError, Provenance, _delimiters, enforce, literal_in_file,
                                   literal_text, provider_matches, texts, violations)
from newsletter.render.templating import default_templates_dir
from tests.conftest import edit


def messages(files, provenance=Provenance()):
    return [(str(d.location), d.message) for d in violations(files, provenance)]


def test_a_private_use_character_is_reported_with_file_and_byte_offset():
    [(where, message)] = messages({"a/email.txt": "Olá \ue000first_name\ue001\ue002".encode()})
    assert where == "a/email.txt"
    assert message.startswith("internal bug, nothing was written: byte 5: ")  # "Olá " is 5 bytes
    assert "'U+E000' [private-use]" in message


def test_mrml_escaped_token_in_an_attribute_is_reported():
    page = '<div aria-label="\\u{e000}first_name\\u{e001}\\u{e002}, hi">'.encode()
    [(_, message)] = messages({"email.html": page})
    assert "byte 17" in message and "'\\\\u{e000}'" in message


def test_an_unresolved_tag_of_ours_is_reported_unless_content_writes_it_literally():
    files = {"email.txt": b"Hi {{ first_name |\n> there }}, {% if unused_benefits %}x"}
    assert [m.split(": ", 2)[2][:40] for _, m in messages(files)] == [
        "a personalisation tag was never resolved"]
    literal = Provenance(frozenset({"{{ first_name | there }}", "{% if unused_benefits %}"}))
    assert messages(files, literal) == []


def test_literal_text_takes_story_tags_and_escaped_issue_tags_only(tmp_path):
    (tmp_path / "content/stories").mkdir(parents=True)
    (tmp_path / "content/issues").mkdir(parents=True)
    (tmp_path / "content/stories/a.md").write_text("Quote: {{ first_name | there }}\n")
    (tmp_path / "content/issues/i.md").write_text(
        "Hi {{ company | you }} and \\{% if unused_benefits %} literally\n")
    assert literal_text(tmp_path) == {"{{ first_name | there }}", "{% if unused_benefits %}"}


def test_what_a_file_writes_literally_is_kept_by_the_hash_of_its_bytes_not_its_text():
    body = "Ольга: {{ first_name | there }}\r\n" + "слово " * 2000
    found = literal_in_file(body.encode(), parsed=False)
    assert found == {"{{ first_name | there }}"}
    assert literal_in_file(body.encode(), parsed=False) is found  # not worked out again
    assert literal_in_file(body.encode(), parsed=True) == set()  # parsed: only escaped tags stay
    # The kept results hold no copy of the file's text (a 5000-story build held 17 MB of them).
    assert all(isinstance(key, bytes) and len(key) == 16 for key, _ in invariants._LITERAL_SEEN)


def test_provider_syntax_beyond_what_the_dialect_generated_is_reported():
    patterns = (r"\{\{\{?[^{}]*\}\}\}?",)
    escaped = (r"\\\{\{[\s\S]*?(?=\\{0,2}\{\{|\Z)",)
    text = "Hi {{first_name}}, \\{{first_name}}, \\{{{x}}} and {{first_name}}"
    assert [m.group(0) for m in provider_matches(text, patterns, escaped)] == [
        "{{first_name}}", "{{first_name}}"]
    expected = {"t.txt": Counter({"{{first_name}}": 1})}
    [(_, message)] = messages({"t.txt": text.encode()},
                              Provenance(our_syntax=False, provider=patterns, escaped=escaped,
                                         expected=expected))
    assert f"byte {text.rindex('{{first_name}}')}" in message and "[provider-syntax]" in message


def test_zip_entries_and_eml_parts_are_read_decoded():
    import io
    import zipfile
    from email.message import EmailMessage
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<p>\ue002</p>")
    eml = EmailMessage()
    eml["Subject"] = "ok"
    eml.set_content("text \ue001 here", cte="quoted-printable")
    found = messages({"m.zip": buffer.getvalue(), "m.eml": bytes(eml), "print.pdf": b"%PDF\xff\xee\x80\x80"})
    assert [where for where, _ in found] == ["m.eml (text/plain part)", "m.zip:index.html"]


def test_a_written_eml_is_read_part_by_part_and_header_by_header(minimal):
    """What build_eml writes (CRLF, multipart/alternative, quoted-printable, RFC 2047) is read
    decoded: a token character hidden by the transfer encoding in either part, or a tag in an
    encoded Subject, is found where it is."""
    from newsletter.build import load
    from newsletter.render.mime import build_eml, send_time

    project, _ = load(minimal)
    long_line = "Привет " * 40  # soft line breaks of quoted-printable run through it

    def eml(subject="Olá", text="plain", html="<p>h</p>"):
        return build_eml(config=project.config, key="k", subject=subject, text=text, html=html,
                         sent=send_time(project.issues["2026-10"].meta.date))

    assert messages({"m.eml": eml(text=long_line, html=f"<p>{long_line}</p>")}) == []
    found = messages({"a.eml": eml(html=f"<p>{long_line}\ue002</p>"), "b.eml": eml(text=f"{long_line}\ue000"),
                      "c.eml": eml(subject="Olá {{ first_name | amigo }}, " + "é" * 60)})
    assert [where for where, _ in found] == ["a.eml (text/html part)", "b.eml (text/plain part)", "c.eml (headers)"]
    assert "[private-use]" in found[0][1] and "[our-syntax]" in found[2][1]
    assert "Subject: Olá {{ first_name | amigo }}" in dict(texts("c.eml", eml(subject="Olá {{ first_name | amigo }}")))[
        "c.eml (headers)"]


def test_an_eml_the_boundary_reading_does_not_take_is_read_by_the_full_parser():
    """Base64 parts and a message inside a message go through the email package's parser."""
    from email.message import EmailMessage
    inner = EmailMessage()
    inner.set_content("inner \ue001", cte="quoted-printable")
    outer = EmailMessage()
    outer.set_content("outer \ue000", cte="base64")
    outer.add_attachment(inner)
    assert [where for where, _ in messages({"m.eml": bytes(outer)})] == [
        "m.eml (text/plain part)", "m.eml (text/plain part)"]


def test_a_broken_template_fails_the_build_and_leaves_the_previous_one(minimal):
    build(minimal)
    before = sorted(p.relative_to(minimal) for p in (minimal / "build").rglob("*"))
    footer = default_templates_dir() / "partials/footer.mjml.j2"
    target = minimal / "templates/partials/footer.mjml.j2"
    target.parent.mkdir(parents=True)
    shutil.copy(footer, target)
    edit(target, "{{ mailing_list.postal_address }}",
         "{{ mailing_list.postal_address }} {% raw %}{{ first_name | friend }}{% endraw %}")
    with pytest.raises(InvariantError):
        build(minimal)
    result = CliRunner().invoke(main, ["build", "-p", str(minimal)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "[internal-bug]" in line]
    assert lines and all("byte " in line and "{{ first_name | friend }}" in line for line in lines)
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(minimal) for p in (minimal / "build").rglob("*")) == before


def test_the_example_builds_with_no_token_left_and_a_readable_aria_label(example):
    result = build(example)
    for name, data in result.files.items():
        if name.endswith((".html", ".txt", ".json")):
            text = data.decode("utf-8")
            assert "\\u{" not in text and not any("\ue000" <= c <= "\ue0ff" for c in text), name
    page = result.files["issues/2026-10/home-brewers-ru/email.html"].decode("utf-8")
    assert 'aria-label="Друг, ваш бесплатный каппинг ещё не использован"' in page
    enforce(result.files, Provenance(literal_text(example)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"--b", b"--b--", b"-", b"b", b" ", b"\t", b"\r", b"\n", b"x", b"--"]),
                max_size=30))
def test_mime_delimiters_are_found_as_the_boundary_pattern_finds_them(pieces):
    # The boundary is found by bytes.find, not a pattern compiled per message: the same
    # delimiters, at the same places, as the pattern the reading used before.
    body = b"".join(pieces)
    pattern = re.compile(rb"--" + re.escape(b"b") + rb"(--)?[ \t]*(?:\r?\n|\Z)")
    expected = [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(body)]
    assert [(at, end.end(), end.group(1)) for at, end in _delimiters(body, b"--b")] == expected
