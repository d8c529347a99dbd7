"""Our fontconfig: printed letters and screenshots do not change with the machine's fonts.

The machine "has other fonts" in two ways: `make test` installs fonts-dejavu-extra and
fonts-liberation system-wide (so the golden PDFs are checked against them), and the tests
here drop a font into the user's font folder ($XDG_DATA_HOME/fonts) that the system's
fontconfig would pick for "Helvetica" (the brand font), plus a user fonts.conf that changes
hinting. The letters and screenshots must stay byte-identical; the controls show that the
same changes do alter what WeasyPrint and Chromium draw under the system's fontconfig.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from newsletter.render import fonts
from newsletter.build import load, render
from newsletter.core.diagnostics import BuildError
from newsletter.core.timing import Timer
from newsletter.preview.snapshot import CHROMIUM, CHROMIUM_ARGS, Camera, html_of

from .conftest import FIXTURES, edit

DEJAVU_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
USER_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>
<match target="font"><edit name="hintstyle" mode="assign"><const>hintfull</const></edit>
<edit name="rgba" mode="assign"><const>rgb</const></edit></match></fontconfig>"""


def renamed_font(source: str, family: str, target: Path) -> Path:
    """A copy of a font file that calls itself `family` (a stand-in for any installed font)."""
    font = TTFont(source)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


def home(folder: Path, *, extra_fonts: bool) -> dict[str, str]:
    """XDG folders of a user, with or without a font and fonts.conf the system would read."""
    env = {name: str(folder / name.lower()) for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    for path in env.values():
        Path(path).mkdir(parents=True, exist_ok=True)
    if extra_fonts:
        # DejaVu Serif's shapes and widths under the brand font's name: it would win "Helvetica".
        renamed_font(DEJAVU_SERIF, "Helvetica", folder / "xdg_data_home/fonts/Helvetica.ttf")
        conf = folder / "xdg_config_home/fontconfig/fonts.conf"
        conf.parent.mkdir(parents=True)
        conf.write_text(USER_CONF, encoding="utf-8")
    return env


def system_env(env: dict[str, str]) -> dict[str, str]:
    """The environment with the system's fontconfig (none of ours)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("FONTCONFIG_")}
    return {**base, **env}


def fc(tool: str, *args: str, env: dict[str, str]) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True, env=env, timeout=120).stdout


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    root = tmp_path_factory.mktemp("homes")
    return {"plain": home(root / "plain", extra_fonts=False), "extra": home(root / "extra", extra_fonts=True)}


def test_the_system_would_pick_the_dropped_font(homes):
    """The premise of the tests below: the system's fontconfig sees the user's font."""
    for query in ("Helvetica", "Helvetica:lang=ru"):
        assert fc("fc-match", "-f", "%{file}", query, env=system_env(homes["extra"])).endswith("/Helvetica.ttf")
        assert not fc("fc-match", "-f", "%{file}", query, env=system_env(homes["plain"])).endswith("/Helvetica.ttf")


def test_our_config_lists_exactly_our_files(homes):
    ours = sorted(name for names in fonts.DEBIAN_FONTS.values() for name in names)
    for env in homes.values():
        config = fonts.environ(fonts.setup(), system_env(env))
        listed = sorted(set(fc("fc-list", "--format", "%{file}\n", env=config).split()))
        assert listed == ours
    everything = set(fc("fc-list", "--format", "%{file}\n", env=system_env(homes["extra"])).split())
    assert set(ours) < everything  # the machine has more: at least the user's font


@pytest.mark.parametrize("query, expected", [
    ("sans-serif", "DejaVu Sans"), ("serif", "DejaVu Serif"), ("monospace", "DejaVu Sans Mono"),
    ("Helvetica", "DejaVu Sans"), ("Arial:lang=ru", "DejaVu Sans"), ("Helvetica:lang=zh-cn", "Noto Sans CJK SC"),
    ("sans-serif:lang=ja", "Noto Sans CJK JP"), ("sans-serif:lang=ko", "Noto Sans CJK KR"),
    ("sans-serif:lang=zh-tw", "Noto Sans CJK TC"), ("serif:lang=zh-cn", "Noto Serif CJK SC"),
])
def test_families(homes, query, expected):
    config = fonts.environ(fonts.setup(), system_env(homes["extra"]))
    assert fc("fc-match", "-f", "%{family[0]}", query, env=config) == expected


def test_italic_and_bold_without_their_files_are_synthesised(homes):
    """fonts-dejavu-core has no oblique face: italic is DejaVu Sans slanted, as on Debian."""
    config = fonts.environ(fonts.setup(), system_env(homes["plain"]))
    italic = fc("fc-match", "-f", "%{file} %{matrix}", "sans-serif:italic", env=config)
    assert italic == "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf 1 0.2 0 1"
    bold = fc("fc-match", "-f", "%{file} %{embolden}", "Noto Sans Mono CJK SC:bold", env=config)
    assert bold.startswith("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def built_pdfs(project: Path, out: Path, env: dict[str, str]) -> dict[str, bytes]:
    """`newsletter build` in a fresh process (fresh fontconfig) with the user's folders in env."""
    program = Path(sys.executable).parent / "newsletter"
    done = subprocess.run([str(program), "build", "-q", "-p", str(project), "-o", str(out)],
                          capture_output=True, text=True, env=system_env(env), timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}


def plain_weasyprint(html: Path, env: dict[str, str]) -> bytes:
    """The letter's HTML through WeasyPrint with the system's fontconfig: the control."""
    script = ("import sys, weasyprint; sys.stdout.buffer.write(weasyprint.HTML(string=open(sys.argv[1], "
              "encoding='utf-8').read()).write_pdf(pdf_identifier=b'control'))")
    done = subprocess.run([sys.executable, "-c", script, str(html)], capture_output=True,
                          env=system_env(env), timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def multichannel(tmp_path_factory):
    root = tmp_path_factory.mktemp("fonts") / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    return root


def test_letters_are_the_same_whatever_fonts_the_machine_has(multichannel, homes, tmp_path):
    plain = built_pdfs(multichannel, tmp_path / "plain", homes["plain"])
    extra = built_pdfs(multichannel, tmp_path / "extra", homes["extra"])
    assert len(plain) == 8
    assert extra == plain


def test_control_the_system_fontconfig_would_change_the_letters(multichannel, homes, tmp_path):
    """Without our fontconfig the user's font would change every Latin and Cyrillic letter."""
    project, _ = load(multichannel)
    letters = {o.variant.audience.id: o.extra["html_tokens"] for o in render(project, Timer())
               if o.variant.channel == "print"}
    for audience in ("new-readers", "chitateli-ru"):
        html = tmp_path / f"{audience}.html"
        html.write_text(letters[audience], encoding="utf-8")
        assert plain_weasyprint(html, homes["extra"]) != plain_weasyprint(html, homes["plain"]), audience


def shots(root: Path, out: Path, env: dict[str, str]) -> dict[str, bytes]:
    """`newsletter snapshot` (its own Chromium) with the user's folders in its environment."""
    program = Path(sys.executable).parent / "newsletter"
    done = subprocess.run([str(program), "snapshot", "-p", str(root), "-o", str(out)],
                          capture_output=True, text=True, env=system_env(env), timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.png"))}


def test_screenshots_are_the_same_whatever_fonts_the_machine_has(minimal, homes, tmp_path):
    plain = shots(minimal, tmp_path / "plain", homes["plain"])
    extra = shots(minimal, tmp_path / "extra", homes["extra"])
    assert len(plain) == 8
    assert extra == plain


def test_control_the_system_fontconfig_would_change_the_screenshots(browser, minimal, homes):
    project, _ = load(minimal)
    output = next(o for o in render(project, Timer()) if o.variant.locale == "en")
    html = html_of(output)
    images = {}
    for name, env in homes.items():
        system = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                             env=system_env(env))
        camera = Camera(system, project.assets, project.config.project.base_url)
        try:
            images[name] = camera.shoot(html, 600)
        finally:
            camera.close()
            system.close()
    assert images["extra"] != images["plain"]


def test_a_project_font_is_used_for_letters(multichannel, homes, tmp_path):
    """A brand font in `<project>/fonts/` is seen by our fontconfig and embedded in the letter."""
    root = tmp_path / "branded"
    shutil.copytree(multichannel, root)
    renamed_font(DEJAVU_SERIF, "Lumen Brand", root / "fonts/LumenBrand.ttf")
    edit(root / "newsletter.toml", "[brand]", '[brand]\nfont = "\'Lumen Brand\', Helvetica, sans-serif"')
    pdfs = built_pdfs(root, tmp_path / "out", homes["plain"])
    letter = tmp_path / "out/issues/2026-10/new-readers/print-a4.pdf"
    listing = subprocess.run(["pdffonts", str(letter)], capture_output=True, text=True, check=True).stdout
    assert "Lumen-Brand" in listing or "LumenBrand" in listing, listing
    assert "DejaVu-Sans" not in listing.replace("DejaVu-Sans-", "")
    assert len(pdfs) == 8


def test_a_missing_debian_font_is_one_line_saying_what_to_install(monkeypatch):
    monkeypatch.setitem(fonts.DEBIAN_FONTS, "fonts-noto-cjk", ("/usr/share/fonts/opentype/noto/Missing.ttc",))
    with pytest.raises(BuildError) as error:
        fonts.setup()
    message = str(error.value.diagnostics[0])
    assert "\n" not in message
    assert "apt-get install fonts-noto-cjk" in message and "Missing.ttc" in message


def test_a_project_font_is_used_for_screenshots(minimal, homes, tmp_path):
    plain = shots(minimal, tmp_path / "plain", homes["plain"])
    renamed_font(DEJAVU_SERIF, "Lumen Brand", minimal / "fonts/LumenBrand.ttf")
    edit(minimal / "newsletter.toml", "[brand]", '[brand]\nfont = "\'Lumen Brand\', Helvetica, sans-serif"')
    branded = shots(minimal, tmp_path / "branded", homes["plain"])
    assert sorted(branded) == sorted(plain)
    assert all(branded[name] != plain[name] for name in plain)
