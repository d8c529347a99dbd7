from datetime import date

import pytest
from click.testing import CliRunner

from newsletter.build import build
from newsletter.cli import main
from newsletter.inspect import check_project
from newsletter.scaffold import init_project


def test_starter_builds_and_passes_every_check(tmp_path):
    root = tmp_path / "larder"
    written = init_project(root, brand="Larder & Co", website="https://larder.example/",
                           sender="news@larder.example", today=date(2026, 11, 25))
    assert root / "newsletter.toml" in written
    result = build(root)
    assert result.diagnostics == []
    assert [o.variant.audience.id for o in result.outputs] == ["new-customers", "regulars"]
    report, _ = check_project(root, expensive=False)
    assert report.errors == 0 and report.warnings == 0
    assert result.outputs[0].subject == "There, what our best customers did first"


@pytest.mark.parametrize("locale, greeting", [("pt-BR", "Olá, "), ("ru", "Здравствуйте, "), ("zh-CN", "，您好"),
                                              ("ar", "مرحبًا ")])
def test_starter_passes_every_check_in_every_language(tmp_path, locale, greeting):
    root = tmp_path / "shop"
    init_project(root, brand="Sol", website="https://sol.example", sender="oi@sol.example",
                 locale=locale, today=date(2026, 11, 25))
    assert greeting in (root / "content/issues/first-issue.md").read_text(encoding="utf-8")
    report, diagnostics = check_project(root, expensive=False)
    assert diagnostics == []
    problems = [f"{v.key}: {r.finding.message}" for v in report.variants for r in v.results
                if r.severity in ("error", "warning")]
    assert problems == []


def test_starter_in_portuguese_has_a_localised_title(tmp_path):
    root = tmp_path / "padaria"
    init_project(root, brand="Padaria Sol", website="https://padaria.example", sender="oi@padaria.example",
                 locale="pt-BR", today=date(2026, 11, 25))
    assert "title: Novembro de 2026" in (root / "content/issues/first-issue.md").read_text(encoding="utf-8")
    assert build(root).outputs[0].variant.locale == "pt-BR"


def test_refuses_to_overwrite_and_bad_values(tmp_path):
    runner = CliRunner()
    args = ["init", str(tmp_path / "p"), "--brand", "B", "--website", "https://b.example", "--sender", "n@b.example"]
    assert runner.invoke(main, args).exit_code == 0
    again = runner.invoke(main, args)
    assert again.exit_code == 1 and "already exists: not overwriting a project" in again.output
    bad = runner.invoke(main, ["init", str(tmp_path / "q"), "--brand", "B", "--website", "http://b.example",
                               "--sender", "n@b.example"])
    assert bad.exit_code == 1 and "must be an https:// URL" in bad.output
    assert "Traceback" not in bad.output


def test_starter_colours_pass_contrast(tmp_path):
    """`init` proposes only colours that pass WCAG AA, light and dark."""
    from newsletter.content.config import Colors
    from newsletter.core.contrast import DARK_PAIRS, dark_palette, problems
    from newsletter.core.sourcemap import load_toml
    root = tmp_path / "p"
    init_project(root, brand="P", website="https://p.example", sender="n@p.example", today=date(2026, 11, 25))
    data, _ = load_toml((root / "newsletter.toml").read_text(encoding="utf-8"))
    palette = Colors(**data["brand"]["colors"]).model_dump()
    assert problems(palette) == [] and problems(dark_palette(palette), DARK_PAIRS) == []
