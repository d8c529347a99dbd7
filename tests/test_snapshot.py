"""Screenshots in headless Chromium: PNGs of the right width, stable, and Chinese in real glyphs."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from newsletter.render import fonts
from newsletter.build import load, render
from newsletter.core.timing import Timer
from newsletter.preview.snapshot import CHROMIUM, CHROMIUM_ARGS, Camera, html_of, take

PNG = b"\x89PNG\r\n\x1a\n"
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
TOFU = "\U0010fffd"  # a private-use character no font has: always the missing-glyph box
NO_SKIP_INK = "<style>* { text-decoration-skip-ink: none !important; }</style>"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def shots(browser, minimal, tmp_path):
    return take(minimal, tmp_path / "shots", browser=browser)


def chinese_html(root: Path) -> str:
    project, _ = load(root)
    output = next(o for o in render(project, Timer()) if o.variant.locale == "zh-CN")
    return html_of(output)


def test_every_variant_at_both_widths_and_dark(shots, tmp_path):
    names = sorted(p.relative_to(tmp_path / "shots").as_posix() for p in shots)
    assert names == sorted(f"2026-10/{audience}-{width}{dark}.png" for audience in ("new-readers", "book-clubs")
                           for width in (600, 375) for dark in ("", "-dark"))
    for path in shots:
        data = path.read_bytes()
        width, height = png_size(data)
        assert width == int(re.search(r"-(\d+)", path.name).group(1)), path.name
        assert height > 1000, "full page: the whole email, not one screen"
        assert len(data) > 10_000


def test_the_same_input_gives_the_same_images(browser, minimal, shots, tmp_path):
    again = take(minimal, tmp_path / "again", browser=browser)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in shots]


def test_chinese_renders_in_real_glyphs(browser, minimal, shots, tmp_path):
    """Two checks that fail on a machine without CJK fonts (where Chinese is empty boxes).

    1. In Chromium, two different Chinese characters draw different pixels in the email's
       font; missing glyphs all draw the same box.
    2. The Chinese variant's screenshot differs from a screenshot of the same email with
       every CJK character replaced by a character that no font has.
    """
    page = browser.new_page()
    try:
        page.set_content("<p>.</p>")
        same = page.evaluate("""() => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 64;
            const ctx = canvas.getContext('2d');
            const draw = text => {
                ctx.clearRect(0, 0, 64, 64);
                ctx.font = '48px Helvetica, Arial, sans-serif';
                ctx.fillText(text, 4, 52);
                return Array.from(ctx.getImageData(0, 0, 64, 64).data).join();
            };
            return {pair: draw('读') === draw('书'), tofu: draw('读') === draw('\\u{10FFFD}'),
                    blank: draw('读') === draw(' ')};
        }""")
    finally:
        page.close()
    assert same == {"pair": False, "tofu": False, "blank": False}

    html = chinese_html(minimal)
    assert len(CJK.findall(html)) > 100
    shot = (tmp_path / "shots/2026-10/book-clubs-375.png").read_bytes()
    project, _ = load(minimal)
    camera = Camera(browser, project.assets, project.config.project.base_url)
    try:
        assert camera.shoot(html, 375) == shot  # the same camera gives the file's bytes
        tofu = camera.shoot(CJK.sub(TOFU, html), 375)
    finally:
        camera.close()
    assert tofu != shot


def test_without_cjk_fonts_the_check_would_fail(browser, minimal, tmp_path):
    """The control: our fontconfig without the CJK files, and Chinese looks exactly like boxes."""
    latin = list(fonts.DEBIAN_FONTS["fonts-dejavu-core"])
    config = tmp_path / "fonts.conf"
    config.write_text(fonts.config_xml(latin, sorted({str(Path(n).parent) for n in latin}),
                                       str(tmp_path / "fc-cache")), encoding="utf-8")
    bare = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                       env={**os.environ, "FONTCONFIG_FILE": str(config)})
    # Underlines skip the ink of boxes but not of Chinese text (a rule of the script, not of
    # fonts): draw them without skipping in both.
    html = chinese_html(minimal).replace("</head>", NO_SKIP_INK + "</head>", 1)
    project, _ = load(minimal)
    camera = Camera(bare, project.assets, project.config.project.base_url)
    try:
        assert camera.shoot(html, 375) == camera.shoot(CJK.sub(TOFU, html), 375)
    finally:
        camera.close()
        bare.close()


def test_command_writes_snapshots_folder(minimal):
    program = Path(sys.executable).parent / "newsletter"
    done = subprocess.run([str(program), "snapshot", "-p", str(minimal)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "8 screenshot(s) in snapshots" in done.stdout
    width, _ = png_size((minimal / "snapshots/2026-10/new-readers-600-dark.png").read_bytes())
    assert width == 600


def test_one_welcome_pack_step_alone_with_progress(browser, example, tmp_path):
    seen = []
    shots = take(example, tmp_path / "step", browser=browser, issues=["first-90-days/welcome"],
                 progress=lambda done, total, name: seen.append((done, total, name)))
    names = [p.relative_to(tmp_path / "step").as_posix() for p in shots]
    assert names and all(name.startswith("first-90-days/welcome/") for name in names)
    assert len(names) % 4 == 0  # each message at two widths, light and dark
    assert [done for done, _, _ in seen] == list(range(1, len(names) + 1))
    assert {total for _, total, _ in seen} == {len(names)}


def test_dark_snapshot_is_the_email_s_own_dark_design(shots):
    """The dark shot uses the email's dark styles: not the light one, and not an inverted one."""
    for light in (p for p in shots if not p.stem.endswith("-dark")):
        dark = light.with_name(light.stem + "-dark.png")
        assert dark.read_bytes() != light.read_bytes(), light.name
