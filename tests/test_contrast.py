"""WCAG ratios, nearest passing shades and the dark palette, against published reference values."""

from newsletter.core.contrast import (DARK_PAIRS, PAIRS, WHITE, dark_palette, nearest_passing, problems,
                                 ratio)
from newsletter.content.config import Colors

EXAMPLE = {"primary": "#6b3e26", "accent": "#a96628", "background": "#f6f1eb", "surface": "#ffffff",
           "text": "#2b2118", "muted": "#7a6a5d"}


def test_ratios_match_the_wcag_reference_values():
    assert round(ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(ratio("#ffffff", "#ffffff"), 2) == 1.0
    # WebAIM's contrast checker gives 4.54:1 for #767676 on white, the lightest grey that passes AA.
    assert round(ratio("#767676", WHITE), 2) == 4.54
    assert ratio("#777777", WHITE) < 4.5


def test_the_old_kicker_orange_fails_and_the_suggestion_keeps_its_hue():
    palette = dict(EXAMPLE, accent="#c7782f")
    [problem] = problems(palette)
    assert problem.pair.adjust == "accent" and round(problem.ratio, 2) == 3.41
    assert problem.suggestion == "#a96628"
    assert ratio(problem.suggestion, WHITE) >= 4.5
    # The nearest shade: one step lighter no longer passes.
    assert nearest_passing("#c7782f", [(WHITE, 4.5)]) == "#a96628"


def test_a_suggestion_passes_every_pair_of_its_role():
    palette = dict(EXAMPLE, muted="#b0a090")
    found = {p.pair.paper: p.suggestion for p in problems(palette)}
    suggestion = found["surface"]
    assert suggestion == found["background"]
    assert ratio(suggestion, EXAMPLE["surface"]) >= 4.5 and ratio(suggestion, EXAMPLE["background"]) >= 4.5


def test_white_on_a_light_primary_blames_the_primary():
    [problem] = [p for p in problems(dict(EXAMPLE, primary="#7fb3e0")) if p.pair.ink == WHITE]
    assert problem.pair.adjust == "primary" and ratio(WHITE, problem.suggestion) >= 4.5


def test_defaults_example_and_dark_palettes_pass():
    assert problems(Colors().model_dump()) == []
    assert problems(EXAMPLE) == []
    dark = dark_palette(EXAMPLE)
    assert problems(dark, DARK_PAIRS) == []
    assert ratio(dark["text"], dark["surface"]) > 10  # light on dark, not an inverted brand
    assert dark["fill"] == EXAMPLE["primary"] and dark["primary"] != EXAMPLE["primary"]


def test_every_pair_names_known_roles():
    roles = set(EXAMPLE)
    for pair in PAIRS:
        assert {pair.ink, pair.paper} - {WHITE} <= roles and pair.adjust in roles
