"""Tests for newsletter.render.wrapping: lines wrapped by display width, with kinsoku."""

from newsletter.render.wrapping import SOFT, display_width, join_soft, wrap

from .sample_texts import CHINESE

RUSSIAN = (
    "Наш новый эспрессо-бленд сочетает бразильский и эфиопский кофе: плотное тело, "
    "ноты молочного шоколада и лёгкая ягодная кислинка. Попробуйте его в капучино "
    "или флэт уайте в любой нашей кофейне до конца месяца со скидкой десять процентов."
)


def test_wrap_chinese_by_display_width():
    lines = wrap(CHINESE)
    assert len(lines) > 3
    assert "".join(lines) == CHINESE
    for line in lines:
        assert display_width(line) <= 72
        assert not line.startswith(("，", "。", "、", "！"))
    # Most lines should be nearly full: CJK may break between any two characters.
    assert max(display_width(line) for line in lines) >= 70


def test_wrap_chinese_pushes_closing_punctuation_with_previous_char():
    text = "一二三四五，六七"  # "，" would start line 2 at width 10
    assert wrap(text, 10) == ["一二三四", "五，六七"]


def test_wrap_russian_never_splits_words():
    lines = wrap(RUSSIAN, 40)
    assert all(display_width(line) <= 40 for line in lines)
    assert " ".join(lines) == RUSSIAN
    assert set(" ".join(lines).split()) == set(RUSSIAN.split())


def test_long_url_stays_whole():
    url = "https://cafezal.example/subscriptions/manage?utm_source=newsletter&utm_campaign=autumn-2026"
    lines = wrap(f"Manage your subscription at {url} whenever you like.", 40)
    assert lines == ["Manage your subscription at", url, "whenever you like."]


def test_url_inside_chinese_text_stays_whole():
    url = "https://cafezal.example/zh/菜单"
    lines = wrap(f"请访问{url}。查看完整的秋季菜单和门店营业时间", 30)
    assert any(url in line for line in lines)
    assert all(not line.startswith("。") for line in lines)


def test_sentinel_is_one_token_of_width_8():
    token = "\ue000first name\ue001dear friend\ue002"
    assert display_width(token) == 8
    assert display_width(f"Hi {token}!") == 12
    lines = wrap(f"Good morning {token}, your beans ship today. " * 4, 30)
    assert sum(line.count(token) for line in lines) == 4
    assert all(display_width(line) <= 30 for line in lines)


def test_blank_text_wraps_to_no_lines():
    assert wrap("   ") == []


def test_soft_breaks_join_with_a_space_except_between_cjk_characters():
    assert join_soft(f"Fresh beans{SOFT}every Monday.") == "Fresh beans every Monday."
    assert join_soft(f"新鲜咖啡豆{SOFT}每周一到货。") == "新鲜咖啡豆每周一到货。"
    assert join_soft(f"到货{SOFT}Monday") == "到货 Monday"


from hypothesis import given, settings, strategies as st  # noqa: E402

# Characters each break rule turns on: CJK and kana, full-width and Latin punctuation of both
# kinds, letters, digits, a combining mark, ZWJ, an emoji, a link-number placeholder.
_MIXED = "中文字。、，！）（「」ー々かナabcZ09.,;:!?)]}([{-%\u0301\u200d\U0001f600\ue100＃"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_MIXED, min_size=1, max_size=24))
def test_a_word_is_cut_where_the_rules_allow_character_by_character(word):
    from newsletter.render.wrapping import _pieces, _pieces_by_atoms

    assert _pieces(word) == _pieces_by_atoms(word)
    assert "".join(_pieces(word)) == word


def test_a_word_with_a_url_or_a_sentinel_keeps_them_whole():
    from newsletter.render.wrapping import _pieces

    assert _pieces("见https://x.example/a。更多") == ["见", "https://x.example/a。", "更", "多"]
    assert _pieces("你好\ue000first_name\ue002。") == ["你", "好", "\ue000first_name\ue002。"]


def test_placeholders_stand_for_digits():
    # A link number's placeholder is one column and never breaks a word: the lines are those
    # of the text with the number in its place.
    text = "see [\ue100\ue101] and [\ue102]: " + "word " * 9
    assert display_width("[\ue100\ue101]") == 4
    assert [line.translate({0xE100: "1", 0xE101: "2", 0xE102: "3"}) for line in wrap(text, 12)] == \
        wrap(text.translate({0xE100: "1", 0xE101: "2", 0xE102: "3"}), 12)
