"""A fontconfig of our own, so printed letters and screenshots look the same on every machine.

WeasyPrint (the print channel) and Chromium (screenshots) find fonts through fontconfig. The
system's configuration sees every font installed on the machine and in the user's home, with
rules that differ between machines: one extra package (fonts-liberation, fonts-dejavu-extra)
changes which font draws "Helvetica" or italic Cyrillic, the layout, the page count and the
bytes. So both run under a configuration written here that names exactly the font files of
Debian's fonts-dejavu-core and fonts-noto-cjk (the packages `make build` installs), plus the
project's own `fonts/` folder, includes nothing from the system, sets the rendering options
(antialiasing, hinting) itself, and keeps its cache in our own folder.

`setup(root)` writes that configuration (once; it only changes with the project's fonts) and
says where it is; `environ(setup)` is the environment for a subprocess (Chromium);
`active(setup)` sets it for fontconfig calls made in this process (WeasyPrint).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping
from xml.sax.saxutils import escape

from ..core.diagnostics import BuildError, Diagnostic, Severity

#: The font files we draw with, by the Debian package that installs them. Other files that
#: land in the same folders (fonts-dejavu-extra's oblique and condensed faces,
#: fonts-noto-cjk-extra's weights) are left out on purpose: they would change the output.
DEBIAN_FONTS = {
    "fonts-dejavu-core": tuple(f"/usr/share/fonts/truetype/dejavu/{name}.ttf" for name in (
        "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono", "DejaVuSansMono-Bold",
        "DejaVuSerif", "DejaVuSerif-Bold")),
    "fonts-noto-cjk": tuple(f"/usr/share/fonts/opentype/noto/{name}.ttc" for name in (
        "NotoSansCJK-Regular", "NotoSansCJK-Bold", "NotoSerifCJK-Regular", "NotoSerifCJK-Bold")),
}
#: The project's own fonts (a brand font): every font file under `<project>/fonts/`.
PROJECT_FONTS = "fonts"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
#: What a CSS generic family means here: DejaVu for Latin, Greek, Cyrillic and Arabic, then
#: Noto CJK for Chinese, Japanese and Korean.
GENERIC = {"sans-serif": ("DejaVu Sans", "Noto Sans CJK SC"),
           "serif": ("DejaVu Serif", "Noto Serif CJK SC"),
           "monospace": ("DejaVu Sans Mono", "Noto Sans Mono CJK SC")}
#: Chinese, Japanese and Korean text in a generic family gets the CJK face of its language
#: first (glyph shapes differ between them), as Debian's 70-fonts-noto-cjk.conf does.
CJK_LANGUAGES = {"ja": "JP", "ko": "KR", "zh-cn": "SC", "zh-sg": "SC", "zh-tw": "TC", "zh-hk": "HK",
                 "zh-mo": "TC"}
CJK_GENERIC = {"sans-serif": "Noto Sans CJK", "serif": "Noto Serif CJK", "monospace": "Noto Sans Mono CJK"}


@dataclass(frozen=True)
class FontSetup:
    """Our fontconfig file, and a fingerprint of the font files it names (a cache key)."""

    config: Path
    fingerprint: str


def _cache_home() -> Path:
    """Where the configuration and fontconfig's cache live: ~/.cache/newsletter/fontconfig,
    or a folder in the temporary directory when the home is not writable."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "newsletter" / "fontconfig"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    folder = Path(tempfile.gettempdir()) / f"newsletter-fontconfig-{os.getuid()}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def project_fonts(root: Path | None) -> list[Path]:
    """The font files under `<project>/fonts/`, sorted (none without a project or folder)."""
    folder = Path(root) / PROJECT_FONTS if root is not None else None
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.resolve() for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def _match_all(edits: str, tests: str = "") -> str:
    return f'<match target="font">{tests}{edits}</match>'


def config_xml(files: list[str], folders: list[str], cache: str) -> str:
    """A fontconfig configuration that sees exactly `files` (found by scanning `folders`)."""
    accepted = "".join(f"<glob>{escape(name)}</glob>" for name in files)
    aliases = "".join(
        f'<alias binding="same"><family>{generic}</family><prefer>'
        + "".join(f"<family>{family}</family>" for family in families) + "</prefer></alias>"
        for generic, families in GENERIC.items())
    by_language = "".join(
        f'<match target="pattern"><test name="lang"><string>{lang}</string></test>'
        f'<test name="family"><string>{generic}</string></test><edit name="family" mode="prepend" binding="strong">'
        f"<string>{family} {region}</string></edit></match>"
        for lang, region in CJK_LANGUAGES.items() for generic, family in CJK_GENERIC.items())
    assign = "".join(f'<edit name="{name}" mode="assign">{value}</edit>' for name, value in (
        ("antialias", "<bool>true</bool>"), ("hinting", "<bool>true</bool>"),
        ("autohint", "<bool>false</bool>"), ("hintstyle", "<const>hintslight</const>"),
        ("rgba", "<const>none</const>"), ("lcdfilter", "<const>lcddefault</const>"),
        ("embeddedbitmap", "<bool>false</bool>")))
    # Synthetic oblique and bold for faces that have no italic or bold file (Debian's
    # 90-synthetic.conf): DejaVu Sans has no oblique in fonts-dejavu-core.
    oblique = _match_all(
        '<edit name="matrix" mode="assign"><times><name>matrix</name><matrix><double>1</double>'
        '<double>0.2</double><double>0</double><double>1</double></matrix></times></edit>'
        '<edit name="slant" mode="assign"><const>oblique</const></edit>',
        '<test name="slant"><const>roman</const></test>'
        '<test target="pattern" name="slant" compare="not_eq"><const>roman</const></test>')
    bold = _match_all(
        '<edit name="embolden" mode="assign"><bool>true</bool></edit>'
        '<edit name="weight" mode="assign"><const>bold</const></edit>',
        '<test name="weight" compare="less_eq"><const>medium</const></test>'
        '<test target="pattern" name="weight" compare="more_eq"><const>bold</const></test>')
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<!-- Written by newsletter (newsletter/render/fonts.py): the fonts printed letters and "
            "screenshots use, and nothing else from this machine. -->\n<fontconfig>\n"
            + "".join(f"<dir>{escape(folder)}</dir>\n" for folder in folders)
            + f"<cachedir>{escape(cache)}</cachedir>\n"
            + f"<selectfont><acceptfont>{accepted}</acceptfont>"
            "<rejectfont><glob>*</glob></rejectfont></selectfont>\n"
            # Any family we do not have falls back to the generic sans-serif below.
            + '<match target="pattern"><edit name="family" mode="append_last">'
            "<string>sans-serif</string></edit></match>\n"
            + by_language + "\n" + aliases + "\n" + _match_all(assign) + "\n" + oblique + "\n" + bold + "\n</fontconfig>\n")


def setup(root: Path | None = None) -> FontSetup:
    """Write (if it changed) our fontconfig file for a project and return it.

    BuildError, in one line, when a Debian font file is missing.
    """
    missing = {package: [name for name in names if not Path(name).is_file()]
               for package, names in DEBIAN_FONTS.items()}
    missing = {package: names for package, names in missing.items() if names}
    if missing:
        packages = " ".join(missing)
        raise BuildError([Diagnostic(
            Severity.ERROR, f"printed letters and screenshots draw text with Debian's {packages} "
            f"(missing: {', '.join(n for names in missing.values() for n in names)}); install them: "
            f"apt-get install {packages} (make build does it as root)", None, "fonts-missing")])
    own = project_fonts(root)
    files = [name for names in DEBIAN_FONTS.values() for name in names] + [str(p) for p in own]
    folders = sorted({str(Path(name).parent) for name in files})
    home = _cache_home()
    xml = config_xml(files, folders, str(home / "cache"))
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()[:16]
    config = home / f"fonts-{digest}.conf"
    if not config.is_file() or config.read_text(encoding="utf-8") != xml:
        handle, temporary = tempfile.mkstemp(dir=home, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(xml)
        os.replace(temporary, config)
    # The files' sizes and times: a new version of the brand font lays letters out anew.
    stats = [(name, Path(name).stat()) for name in files]
    fingerprint = hashlib.sha256(repr([(name, s.st_size, s.st_mtime_ns) for name, s in stats])
                                 .encode("utf-8")).hexdigest()[:16]
    return FontSetup(config, fingerprint)


def environ(fonts: FontSetup, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a subprocess that should see only our fonts (Chromium)."""
    env = dict(os.environ if base is None else base)
    for name in ("FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"):
        env.pop(name, None)  # both would redirect or prefix where our file is read
    env["FONTCONFIG_FILE"] = str(fonts.config)
    return env


@contextmanager
def active(fonts: FontSetup) -> Iterator[None]:
    """Within the block, fontconfig configurations loaded in this process are ours.

    fontconfig reads FONTCONFIG_FILE each time a configuration is loaded (WeasyPrint loads
    one per document), so setting it around that moment is enough; it is restored after.
    """
    names = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")
    saved = {name: os.environ.get(name) for name in names}
    for name in names[1:]:
        os.environ.pop(name, None)
    os.environ["FONTCONFIG_FILE"] = str(fonts.config)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
