"""Colour contrast of the brand palette: WCAG 2.x ratios, nearest passing shades, the dark palette.

The templates draw text in a handful of fixed combinations of the `[brand.colors]` roles
(body text on the card, section labels in the accent colour, white on the primary colour in
the header and buttons...). `PAIRS` lists them, so a colour that would produce unreadable
text is caught from the configuration alone, before any message is built, and the fix
offered is the same hue made lighter or darker just enough to pass.

Dark mode uses a palette derived here from the light one: dark card and page, light text,
and the brand colours lightened until they read on the dark card. The same pairs are
checked on it.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache

WHITE = "#ffffff"
AA = 4.5  # WCAG 2.x 1.4.3 for text under 18 pt (24 px) or 14 pt bold: every label we draw
ROLES = ("primary", "accent", "background", "surface", "text", "muted")


@dataclass(frozen=True)
class Pair:
    """Text in colour `ink` on `paper` (roles or literal colours); `adjust` is the role to change."""

    ink: str
    paper: str
    use: str
    adjust: str
    minimum: float = AA


#: Every text/background combination the bundled templates produce from the brand colours.
PAIRS = (
    Pair("text", "surface", "body text on the card", "text"),
    Pair("text", "background", "quotes and reminders in tinted boxes", "text"),
    Pair("muted", "surface", "customer lines and metric labels", "muted"),
    Pair("muted", "background", "the footer and 'view in your browser'", "muted"),
    Pair("accent", "surface", "section and story labels (12 px bold)", "accent"),
    Pair("primary", "surface", "links, headlines and metric values", "primary"),
    Pair("primary", "background", "labels and authors in tinted boxes", "primary"),
    Pair(WHITE, "primary", "white header text and button labels on the primary colour", "primary"),
)


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(color: str) -> float:
    """Relative luminance as WCAG 2.x defines it (sRGB, linearised)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(ink: str, paper: str) -> float:
    """The WCAG contrast ratio of two colours, 1.0 to 21.0."""
    a, b = sorted((luminance(ink), luminance(paper)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def with_lightness(color: str, lightness: float) -> str:
    """The same hue and saturation at another HLS lightness (0 black, 1 white)."""
    h, _, s = colorsys.rgb_to_hls(*_rgb(color))
    return _hex(colorsys.hls_to_rgb(h, lightness, s))


def nearest_passing(color: str, against: list[tuple[str, float]]) -> str | None:
    """The shade of `color` closest in lightness that reaches each (paper, minimum) in `against`.

    `color` itself when it already passes; None when no lightness of that hue passes them all
    (a colour between a dark and a light paper it must read on).
    """
    def passes(candidate: str) -> bool:
        return all(ratio(candidate, paper) >= minimum for paper, minimum in against)

    if passes(color):
        return color
    _, start, _ = colorsys.rgb_to_hls(*_rgb(color))
    steps = [i / 400 for i in range(401)]
    for lightness in sorted(steps, key=lambda value: (abs(value - start), value)):
        candidate = with_lightness(color, lightness)
        if passes(candidate):
            return candidate
    return None


def _resolve(name: str, palette: dict[str, str]) -> str:
    return palette.get(name, name)


@dataclass(frozen=True)
class Problem:
    """One pair below the minimum, the role to change and the nearest shade that passes."""

    pair: Pair
    ink: str
    paper: str
    ratio: float
    suggestion: str | None

    @property
    def message(self) -> str:
        ink = self.pair.ink if self.pair.ink.startswith("#") else f"{self.pair.ink} {self.ink}"
        return (f"{ink} on {self.pair.paper} {self.paper} is {self.ratio:.2f}:1 for {self.pair.use}; "
                f"WCAG 2.1 AA needs {self.pair.minimum}:1")


def problems(palette: dict[str, str], pairs: tuple[Pair, ...] = PAIRS) -> list[Problem]:
    """Every pair of `palette` (role -> colour) under its minimum, with a suggested shade."""
    found = []
    for pair in pairs:
        ink, paper = _resolve(pair.ink, palette), _resolve(pair.paper, palette)
        value = ratio(ink, paper)
        if value >= pair.minimum:
            continue
        # The suggested shade must pass every pair its role takes part in, not only this one.
        target = palette[pair.adjust]
        against = []
        for other in pairs:
            if other.adjust != pair.adjust:
                continue
            partner = other.paper if other.ink == pair.adjust else other.ink
            against.append((_resolve(partner, palette), other.minimum))
        found.append(Problem(pair, ink, paper, value, nearest_passing(target, against)))
    return found


def dark_palette(palette: dict[str, str]) -> dict[str, str]:
    """The light palette turned for dark mode: dark page and card, light text, brand colours
    lightened until they reach AA on both. `fill` keeps the light primary for header bands and
    buttons, where white text already reads."""
    return dict(_dark_palette(tuple(sorted(palette.items()))))


@lru_cache(maxsize=64)
def _dark_palette(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    # Once per brand palette, not once per message: finding the shades tries hundreds of them.
    palette = dict(items)
    h, _, s = colorsys.rgb_to_hls(*_rgb(palette["background"]))
    background = _hex(colorsys.hls_to_rgb(h, 0.07, min(s, 0.2)))
    surface = _hex(colorsys.hls_to_rgb(h, 0.12, min(s, 0.2)))
    papers = [(surface, AA), (background, AA)]
    th, _, ts = colorsys.rgb_to_hls(*_rgb(palette["text"]))
    text = _hex(colorsys.hls_to_rgb(th, 0.9, min(ts, 0.2)))

    def lift(color: str) -> str:
        return nearest_passing(color, papers) or WHITE

    return tuple({"background": background, "surface": surface, "text": text,
                  "muted": lift(palette["muted"]), "accent": lift(palette["accent"]),
                  "primary": lift(palette["primary"]), "fill": palette["primary"]}.items())


#: The pairs as dark mode draws them (header and buttons keep the light primary as `fill`).
DARK_PAIRS = tuple(Pair(p.ink, "fill", p.use, "fill") if p.paper == "primary" else p for p in PAIRS)
