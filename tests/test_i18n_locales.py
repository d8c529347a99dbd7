"""Every shipped locale: footer, dates and numbers in HTML and text, complete catalogs."""

import re
import shutil
from datetime import date

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from newsletter.build import build
from newsletter.core.i18n import CATALOGS, catalog_for, long_date, number, translations

from .conftest import FIXTURES, REPO

SHIPPED = ["pt_BR", "ru", "zh_CN"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("i18n") / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    return build(root, root / "build")


@pytest.mark.parametrize("audience, footer, unsubscribe, day", [
    ("new-readers", "You are receiving this because you are part of the Lumen Books community.",
     "Unsubscribe", "October 5, 2026"),
    ("leitores-br", "Você recebe este e-mail porque faz parte da comunidade Lumen Books.",
     "Cancelar inscrição", "5 de outubro de 2026"),
    ("chitateli-ru", "Вы получили это письмо, потому что состоите в сообществе Lumen Books.",
     "Отписаться", "5 октября 2026\u202fг."),
    ("book-clubs", "您收到这封邮件，是因为您是 Lumen Books 社区的一员。", "退订", "2026年10月5日"),
])
def test_footer_and_date_in_both_parts(built, audience, footer, unsubscribe, day):
    folder = built.out_dir / "issues/2026-10" / audience
    html = (folder / "email.html").read_text(encoding="utf-8")
    text = (folder / "email.txt").read_text(encoding="utf-8")
    assert footer in html and f">{unsubscribe}</a>" in html
    assert f">{day}</div>" in html  # once, under the logo in the header
    assert footer in " ".join(text.split())
    assert f"\n{unsubscribe}: https://lumen.example/unsubscribe?t=preview-not-a-recipient\n" in text
    assert f"\n\n{day}\n\n" in text


def test_long_dates_and_numbers_per_locale():
    day = date(2026, 11, 1)
    # Babel writes a narrow no-break space before the Russian "г.".
    assert [long_date(day, tag) for tag in ("en", "pt-BR", "ru", "zh-CN")] == [
        "November 1, 2026", "1 de novembro de 2026", "1 ноября 2026\u202fг.", "2026年11月1日"]
    assert [number(1234.5, tag) for tag in ("en", "pt-BR", "ru", "zh-CN")] == [
        "1,234.5", "1.234,5", "1\xa0234,5", "1,234.5"]


def test_catalog_chosen_for_each_locale():
    assert {tag: catalog_for(tag) for tag in ("en", "pt-BR", "pt", "pt-PT", "ru", "ru-UA", "zh-CN", "zh",
                                              "zh-SG", "zh-TW", "ar")} == {
        "en": None, "pt-BR": "pt_BR", "pt": "pt_BR", "pt-PT": "pt_BR", "ru": "ru", "ru-UA": "ru",
        "zh-CN": "zh_CN", "zh": "zh_CN", "zh-SG": "zh_CN", "zh-TW": None, "ar": "ar"}


def test_plural_forms_follow_each_language():
    def issues(tag, n):
        return translations(tag).ngettext("%(num)s issue", "%(num)s issues", n) % {"num": n}

    assert [issues("ru", n) for n in (1, 2, 5, 21)] == ["1 выпуск", "2 выпуска", "5 выпусков", "21 выпуск"]
    assert [issues("pt-BR", n) for n in (0, 1, 2)] == ["0 edição", "1 edição", "2 edições"]
    assert [issues("en", n) for n in (1, 2)] == ["1 issue", "2 issues"]
    assert issues("zh-CN", 3) == "共 3 期"


def test_the_pot_is_current_with_templates_and_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(REPO / "babel.cfg"), "--no-location",
                                "--sort-output", "--omit-header", "-o", str(fresh), str(REPO)])
    assert fresh.read_text(encoding="utf-8") == (CATALOGS / "messages.pot").read_text(encoding="utf-8"), \
        "run `make i18n-extract` and translate the new strings"


@pytest.mark.parametrize("folder", SHIPPED)
def test_every_string_is_translated_with_its_placeholders(folder):
    with (CATALOGS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    with (CATALOGS / folder / "LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=folder)
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert wanted <= set(have), f"untranslated in {folder}: {sorted(wanted - set(have))}"
    for key in wanted:
        message = have[key]
        assert not message.fuzzy, f"{folder}: {key!r} is fuzzy"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{folder}: {key!r} has no translation"
        placeholders = set(re.findall(r"%\(\w+\)s", key))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == placeholders, f"{folder}: {key!r} -> {string!r}"


def test_archive_index_counts_issues_in_the_default_language(built):
    html = (built.out_dir / "web/index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in html and "<h1>Past issues</h1>" in html and "<p>1 issue</p>" in html


def test_quotation_marks_and_commas_per_locale_from_cldr():
    from newsletter.core.i18n import comma, quoted
    assert [quoted("x", tag) for tag in ("en", "pt-BR", "ru", "zh-CN", "es", "ar", "de")] == [
        "“x”", "“x”", "«x»", "“x”", "“x”", "”x“", "„x“"]
    assert [comma(tag) for tag in ("en", "ar", "zh-CN")] == [", ", "، ", "，"]


def test_customer_display_name_per_locale(minimal):
    """A customer's name can be given per locale; the facts around it stay shared."""
    from .conftest import edit
    story = minimal / "content/stories/mei-spotlight.md"
    edit(story, "  name: 林梅\n", "  name: 林梅\n  names: {en: Lin Mei}\n")
    edit(story, "audiences: [book-clubs]", "audiences: [book-clubs, new-readers]")
    edit(story, "locale: zh-CN\n", "")
    out = build(minimal, minimal / "build").out_dir
    en = (out / "issues/2026-10/new-readers/email.txt").read_text(encoding="utf-8")
    zh = (out / "issues/2026-10/book-clubs/email.txt").read_text(encoding="utf-8")
    assert "Lin Mei, 上海周末读书会" in en
    assert "林梅，上海周末读书会" in zh and "Lin Mei" not in zh
