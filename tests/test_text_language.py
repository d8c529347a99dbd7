"""Language and Chinese script of a text against the audience's locale."""

import pytest

from newsletter.checks.text.language import chinese_script, mismatch


@pytest.mark.parametrize("text, locale, found", [
    ("Three habits that keep a sourdough starter alive", "pt-BR", "English"),
    ("Como manter o fermento vivo durante as férias", "en", "Portuguese"),
    ("How to read more this winter", "ru", "English"),
    ("欢迎加入学堂", "pt-BR", "Chinese"),
    ("讀書會每月讀完四本書，我們很高興", "zh-CN", "Traditional Chinese"),
    ("读书会每月读完四本书，我们很高兴", "zh-TW", "Simplified Chinese"),
])
def test_wrong_language_is_named(text, locale, found):
    assert mismatch(text, locale).found == found


@pytest.mark.parametrize("text, locale", [
    ("November 2026", "en"),  # as German as it is English: the audience's language keeps its chance
    ("Письмо, октябрь 2026", "ru"),
    ("TODO：标题", "zh-CN"),
    ("Hi {{ first_name }}", "en"),
    ("Dicas para o fim de semana", "pt-BR"),
])
def test_right_or_undecidable_texts_pass(text, locale):
    assert mismatch(text, locale) is None


def test_chinese_script_from_locale():
    assert chinese_script("zh-CN") == "Hans" and chinese_script("zh-Hant") == "Hant" and chinese_script("zh-TW") == "Hant"
