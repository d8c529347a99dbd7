"""Project translations: `newsletter translations init|status`, and translations/<locale>.po in a build."""

from click.testing import CliRunner

from newsletter.build import build
from newsletter.cli import main
from newsletter.core.translations import template_strings, untranslated

from .checkhelpers import findings
from .conftest import edit


def set_locale(root, audience: str, locale: str) -> None:
    edit(root / "content/audiences.yml", f"id: {audience}\n", f"id: {audience}\n")  # the audience exists
    text = (root / "content/audiences.yml").read_text(encoding="utf-8")
    block = text.split(f"- id: {audience}\n", 1)[1].split("\n- id:", 1)[0]
    old = next(line for line in block.splitlines() if line.strip().startswith("locale:"))
    edit(root / "content/audiences.yml", old, f"  locale: {locale}")


def test_init_writes_a_catalog_prefilled_from_the_bundled_one(minimal):
    runner = CliRunner()
    result = runner.invoke(main, ["translations", "init", "pt-BR", "-p", str(minimal)])
    assert result.exit_code == 0, result.output
    po = (minimal / "translations/pt-BR.po").read_text(encoding="utf-8")
    assert 'msgid "Unsubscribe"\nmsgstr "Cancelar inscrição"' in po
    assert "every template string is translated for pt-BR" in result.output
    again = runner.invoke(main, ["translations", "init", "pt-BR", "-p", str(minimal)])
    assert again.exit_code == 1 and "already exists: not overwriting it" in again.output


def test_a_new_language_lists_what_is_left_and_a_project_string_wins(minimal):
    runner = CliRunner()
    result = runner.invoke(main, ["translations", "init", "de", "-p", str(minimal)])
    assert result.exit_code == 0
    assert f"{len(template_strings(minimal))} string(s) untranslated for de" in result.output
    path = minimal / "translations/de.po"
    path.write_text(path.read_text(encoding="utf-8").replace('msgid "Unsubscribe"\nmsgstr ""',
                                                            'msgid "Unsubscribe"\nmsgstr "Abmelden"'), encoding="utf-8")
    assert "Unsubscribe" not in untranslated(minimal, "de")
    status = runner.invoke(main, ["translations", "status", "de", "-p", str(minimal)])
    assert status.exit_code == 1 and "Case study" in status.output


def test_project_catalog_overrides_a_bundled_label_in_both_parts(minimal):
    (minimal / "translations").mkdir()
    (minimal / "translations/pt-BR.po").write_text('msgid "Unsubscribe"\nmsgstr "Sair da lista"\n', encoding="utf-8")
    set_locale(minimal, "new-readers", "pt-BR")
    out = build(minimal, minimal / "build").out_dir
    html = (out / "issues/2026-10/new-readers/email.html").read_text(encoding="utf-8")
    text = (out / "issues/2026-10/new-readers/email.txt").read_text(encoding="utf-8")
    assert ">Sair da lista</a>" in html and "\nSair da lista: https://lumen.example/unsubscribe?t=" in text
    # The bundled pt-BR catalog still gives every other string.
    assert "Você recebe este e-mail porque faz parte da comunidade Lumen Books." in html


def test_label_language_check_fails_on_english_labels_and_passes_once_translated(minimal):
    set_locale(minimal, "new-readers", "de")
    found = findings(minimal, "label-language", "new-readers")
    assert ("error", "content/audiences.yml:1:7", "the label 'Unsubscribe' is in English in a de message",
            "translate it in translations/de.po (`newsletter translations init de` creates the file)") in found
    CliRunner().invoke(main, ["translations", "init", "de", "-p", str(minimal)])
    po = minimal / "translations/de.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Unsubscribe"\nmsgstr ""',
                                                        'msgid "Unsubscribe"\nmsgstr "Abmelden"'), encoding="utf-8")
    labels = [m for _, _, m, _ in findings(minimal, "label-language", "new-readers")]
    assert "the label 'Unsubscribe' is in English in a de message" not in labels
    assert all(w == "translations/de.po" for _, w, _, _ in findings(minimal, "label-language", "new-readers"))


def test_bundled_languages_have_no_english_labels(minimal):
    assert findings(minimal, "label-language") == []
    for tag in ("pt-BR", "ru", "zh-CN", "es", "ar"):
        assert untranslated(minimal, tag) == [], tag
