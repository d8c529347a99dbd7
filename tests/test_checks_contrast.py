"""The color-contrast check and the config-time warning point at the colour's line in newsletter.toml."""

from click.testing import CliRunner

from newsletter.cli import main

from .checkhelpers import findings


def add_colors(root, block: str) -> None:
    path = root / "newsletter.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('website = "https://lumen.example"\n',
                                 'website = "https://lumen.example"\n\n[brand.colors]\n' + block, 1), encoding="utf-8")


def line_of(root, needle: str) -> int:
    lines = (root / "newsletter.toml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_failing_accent_is_reported_at_its_line_with_the_nearest_shade(minimal):
    add_colors(minimal, 'accent = "#e0a458"\n')
    line = line_of(minimal, "accent =")
    found = findings(minimal, "color-contrast", "new-readers")
    assert found == [("error", f"newsletter.toml:{line}:1",
                      "accent #e0a458 on surface #ffffff is 2.18:1 for section and story labels (12 px bold); "
                      "WCAG 2.1 AA needs 4.5:1",
                      'use accent = "#a5691f" (same hue, the nearest lightness that passes)')]


def test_config_time_warning_before_anything_is_built(minimal):
    add_colors(minimal, 'primary = "#8fb8de"\n')
    result = CliRunner().invoke(main, ["build", "-p", str(minimal), "-q"])
    line = line_of(minimal, "primary =")
    assert f"newsletter.toml:{line}:1:" in result.output
    assert "brand.colors.primary: white #ffffff" not in result.output  # the literal ink prints as a colour
    assert "#ffffff on primary #8fb8de" in result.output and "nearest passing shade: primary = " in result.output


def test_default_palette_passes(minimal):
    assert findings(minimal, "color-contrast") == []
