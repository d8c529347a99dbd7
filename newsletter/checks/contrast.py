"""Pre-send checklist: the brand colours give readable text in light and dark mode (WCAG 2.1 AA)."""

from __future__ import annotations

from ..core.contrast import DARK_PAIRS, PAIRS, dark_palette, problems
from ..core.diagnostics import Location
from ..core.names import CONFIG_FILE
from ..core.sourcemap import load_toml
from .registry import Finding, check


def colour_location(root, role: str) -> Location:
    """The line of `[brand.colors] role` in newsletter.toml (the section's line for a default)."""
    path = root / CONFIG_FILE
    _, smap = load_toml(path.read_text(encoding="utf-8"))
    line, col = smap.locate(("brand", "colors", role))
    return Location(CONFIG_FILE, line, col)


def palette_findings(root, colors) -> list[Finding]:
    """Each failing text/background pair, in light and in dark mode, at the colour's line."""
    light = colors.model_dump()
    findings = []
    for problem in problems(light, PAIRS):
        hint = (f'use {problem.pair.adjust} = "{problem.suggestion}" (same hue, the nearest lightness that '
                f"passes)" if problem.suggestion else "pick a lighter or darker colour")
        findings.append(Finding(problem.message, colour_location(root, problem.pair.adjust), hint))
    for problem in problems(dark_palette(light), DARK_PAIRS):
        role = "primary" if problem.pair.adjust == "fill" else problem.pair.adjust
        findings.append(Finding(f"dark mode: {problem.message}", colour_location(root, role),
                                f"pick a {role} colour that reads on both light and dark backgrounds"))
    return findings


@check("color-contrast", "checklist", "error",
       "Every text/background pair the templates draw from `[brand.colors]` reaches WCAG 2.1 AA "
       "(4.5:1), in light mode and in the derived dark palette.")
def color_contrast(ctx):
    if not ctx.html:  # SMS and other channels without markup have no colours
        return
    memo = ctx.own_memo.setdefault("color-contrast", {})
    if "findings" not in memo:  # one palette per project: judged once, reported on each message
        memo["findings"] = palette_findings(ctx.root, ctx.config.brand.colors)
    if memo["findings"]:
        yield from memo["findings"]
    else:
        yield Finding(f"{len(PAIRS)} colour pairs reach 4.5:1 in light and dark mode", None, passed=True)
