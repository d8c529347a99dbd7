"""The print channel read back: PDFs rendered to PNG, text extracted, paper sizes, fonts.

Needs poppler-utils (pdftoppm, pdftotext, pdfinfo, pdffonts) and Debian's fonts-noto-cjk;
`make test` installs both. Without them these tests fail, saying what to install.
"""

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from newsletter.build import build
from newsletter.channels import print_channel

from .conftest import FIXTURES, edit

ISSUE = "issues/2026-10"
POSTAL = "Lumen Books, 12 Quay Street, Bristol BS1 4DJ, UK"


def poppler(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: install the Debian package poppler-utils (make test does)"
    return subprocess.run([path, *args], capture_output=True, check=True, timeout=120).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    matched = subprocess.run(["fc-match", "-f", "%{family}", "Noto Sans CJK SC"], capture_output=True,
                             text=True, check=False).stdout
    assert "Noto Sans CJK SC" in matched, "Noto Sans CJK is missing: install the Debian package fonts-noto-cjk"
    root = tmp_path_factory.mktemp("print") / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    return build(root, root / "build")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and raw RGB rows of an 8-bit RGB PNG, as pdftoppm writes it."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour = header[:4]
    assert (depth, colour) == (8, 2), "expected 8-bit RGB"
    raw, stride, rows, previous = zlib.decompress(idat), width * 3, [], bytearray(width * 3)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):  # undo the PNG filter of this row (RFC 2083 6)
            left = line[x - 3] if x >= 3 else 0
            up, corner = previous[x], previous[x - 3] if x >= 3 else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def ink(pdf: Path, out: Path) -> list[float]:
    """Per page, the share of pixels that are not near-white, rendered at 50 dpi."""
    poppler("pdftoppm", "-png", "-r", "50", str(pdf), str(out))
    shares = []
    for page in sorted(out.parent.glob(out.name + "-*.png")):
        width, height, rows = png_pixels(page.read_bytes())
        dark = sum(1 for row in rows for i in range(0, len(row), 3) if min(row[i:i + 3]) < 200)
        shares.append(dark / (width * height))
    return shares


@pytest.mark.parametrize("audience, expected", [
    ("new-readers", ["Tom's first month", "Lumen Books customer", "October 5, 2026", "Hi there,",
                     "Also in this issue", "Build a 20-minute reading habit", "With best wishes,",
                     "Read more: https://news.lumen.example/web/issues/2026-10/new-readers/"]),
    ("chitateli-ru", ["Клуб Ольги читает четыре книги в месяц", "Клиент Lumen Books", "5 октября 2026\u202fг.",
                      "Здравствуйте, друг!", "ГЕРОЙ МЕСЯЦА", "клиент с 2020 года", "Также в этом выпуске",
                      "С наилучшими пожеланиями,", "История клуба Ольги: https://lumen.example/ru/olga"]),
    ("book-clubs", ["林梅的读书会每月读完四本书", "Lumen Books 客户", "2026年10月5日", "朋友，你好！",
                    "客户聚焦", "自 2021 年起的客户", "本期还有", "读书会提问的三个步骤", "祝好，"]),
])
def test_letter_text_and_pages(built, tmp_path, audience, expected):
    for name in ("print-a4.pdf", "print-letter.pdf"):
        pdf = built.out_dir / ISSUE / audience / name
        text = " ".join(poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())
        for words in expected + [POSTAL]:
            assert " ".join(words.split()) in text, f"{words!r} not in {audience}/{name}"
        shares = ink(pdf, tmp_path / f"{audience}-{name}")
        assert shares and all(share > 0.01 for share in shares), f"blank page in {audience}/{name}: {shares}"


LETTERS = [(audience, name) for audience in ("new-readers", "chitateli-ru", "book-clubs", "qurra-ar")
           for name in ("print-a4.pdf", "print-letter.pdf")]


def pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    return poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")[:-1]


@pytest.mark.parametrize("audience, name", LETTERS)
def test_each_letter_is_one_page(built, audience, name):
    """US Letter is 17 mm shorter than A4: a letter that fits A4 must not spill a line over."""
    pdf = built.out_dir / ISSUE / audience / name
    assert re.search(r"Pages:\s+1\n", poppler("pdfinfo", str(pdf))), f"{audience}/{name}"
    assert len(pages(pdf)) == 1


def test_example_welcome_letters_are_two_full_pages(example, tmp_path):
    """The example's longer welcome letters use both sides of the sheet, the back not blank;
    the footer of each page is the postal address on one line, then brand and website on the
    next, with no word of either left alone on a line (A4 and US Letter alike)."""
    result = build(example, tmp_path / "build")
    letters = sorted(result.out_dir.glob("welcome/*/*/*/print-*.pdf"))
    assert len(letters) == 4
    address = "Cafezal Roasters Ltda., Rua Fradique Coutinho 1200, Pinheiros, São Paulo - SP, 05416-001, Brazil"
    for pdf in letters:
        text = pages(pdf)
        assert len(text) == 2, pdf
        assert len(text[1].split()) > 40, f"near-blank second page in {pdf}: {text[1]!r}"
        for page in text:
            lines = page.splitlines()
            assert address in lines, f"the postal address is split across lines in {pdf}"
            after = lines[lines.index(address) + 1]
            assert after == "Cafezal Roasters · https://cafezal.example", f"{pdf}: {after!r}"


def test_the_sign_off_never_stands_alone_on_a_page(tmp_path):
    """A letter that runs over takes "Also in this issue" and the sign-off to the next page
    together: the metrics of the fonts decide where the page ends, never a lone sign-off."""
    root = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    for lines in range(1, 12):  # lengthen the story a line at a time until it runs over
        edit(root / "content/stories/olga-spotlight.md", "3. На встрече обсуждают только один вопрос.",
             "3. На встрече обсуждают только один вопрос.\n\nОльга читает каждый день.")
        result = build(root, tmp_path / f"build-{lines}")
        text = pages(result.out_dir / ISSUE / "chitateli-ru/print-letter.pdf")
        if len(text) > 1:
            break
    assert len(text) == 2
    assert "Также в этом выпуске" in text[1] and "С наилучшими пожеланиями" in text[1]
    assert "Также в этом выпуске" not in text[0]


def test_chinese_and_cyrillic_are_drawn_with_real_fonts(built):
    chinese = poppler("pdffonts", str(built.out_dir / ISSUE / "book-clubs/print-a4.pdf"))
    assert "Noto-Sans-CJK-SC" in chinese
    for audience in ("book-clubs", "chitateli-ru", "new-readers", "qurra-ar"):
        listing = poppler("pdffonts", str(built.out_dir / ISSUE / audience / "print-a4.pdf"))
        rows = listing.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), f"a font is not embedded: {listing}"


@pytest.mark.parametrize("name, size", [("print-a4.pdf", "595.276 x 841.89 pts (A4)"),
                                        ("print-letter.pdf", "612 x 792 pts (letter)")])
def test_paper_sizes_and_metadata(built, name, size):
    info = poppler("pdfinfo", str(built.out_dir / ISSUE / "new-readers" / name))
    assert re.search(r"Page size:\s+" + re.escape(size), info)
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Title:\s+October 2026 · Lumen Books\n", info)
    # Dated by the issue, never by the clock, so rebuilds are byte-identical.
    assert re.search(r"CreationDate:\s+Mon Oct  5 09:00:00 2026 UTC", info)
    assert re.search(r"ModDate:\s+Mon Oct  5 09:00:00 2026 UTC", info)


def test_two_builds_give_byte_identical_pdfs(built, tmp_path):
    print_channel.pdf.cache_clear()  # lay every letter out again, not from memory
    again = build(built.project.root, tmp_path / "again")
    pdfs = sorted(p.relative_to(built.out_dir) for p in built.out_dir.rglob("*.pdf"))
    assert len(pdfs) == 8
    for relative in pdfs:
        assert (again.out_dir / relative).read_bytes() == (built.out_dir / relative).read_bytes(), relative


def test_only_audiences_that_prefer_mail_get_a_letter(built):
    letters = sorted(o.variant.audience.id for o in built.outputs if o.variant.channel == "print")
    assert letters == ["book-clubs", "chitateli-ru", "new-readers", "qurra-ar"]


def test_local_images_are_embedded_and_nothing_is_fetched(built):
    letter = next(o for o in built.outputs if o.variant.channel == "print" and o.variant.audience.id == "book-clubs")
    html = letter.extra["html_tokens"]
    assert '<img src="data:image/png;base64,' in html
    assert not re.search(r'src="https?:', html)
    assert "utm_medium=print" in html


def test_a_long_letter_is_flagged(tmp_path):
    root = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    edit(root / "content/stories/olga-spotlight.md", "3. На встрече обсуждают только один вопрос.",
         "3. На встрече обсуждают только один вопрос.\n\n" + "Ольга читает каждый день. " * 400)
    result = build(root)
    report = result.report.for_key("2026-10/chitateli-ru/print")
    [finding] = [r for r in report.results if r.check.id == "print-pages" and not r.finding.passed]
    assert finding.severity == "warning"
    assert finding.finding.message.startswith("the letter runs over one sheet: print-a4.pdf has ")
