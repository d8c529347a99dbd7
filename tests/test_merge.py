import pytest

from newsletter.core import merge


def test_tag_becomes_token_and_resolves_to_value_or_fallback():
    text = merge.parse("Hi {{ first_name | there & friends }}!")
    assert "{{" not in text and merge.OPEN in text
    assert merge.resolve(text) == "Hi there &amp; friends!"
    assert merge.resolve(text, {"first_name": "<Ana>"}) == "Hi &lt;Ana&gt;!"
    assert merge.plain(text) == "Hi there & friends!"
    assert merge.tags(text) == [merge.MergeTag("first_name", "there & friends")]


def test_tag_without_fallback_and_escaped_tag():
    text = merge.parse("{{company}} and \\{{ literal }}")
    assert merge.plain(text) == " and {{ literal }}"
    assert merge.plain(text, {"company": "Acme"}) == "Acme and {{ literal }}"


@pytest.mark.parametrize("source, message", [
    ("{{ firstname }}", "unknown personalisation field 'firstname'"),
    ("{{ first name }}", "malformed personalisation tag"),
    ("{% if nope %}x{% endif %}", "unknown condition 'nope'"),
    ("{% if unused_benefits %}x", "never closed"),
    ("x{% endif %}", "without an open"),
    ("{% else %}", "without an open"),
    ("{% for x in y %}", "unknown block tag"),
])
def test_syntax_errors_carry_offset(source, message):
    with pytest.raises(merge.MergeSyntaxError) as info:
        merge.parse("ab " + source)
    assert message in str(info.value)
    assert info.value.offset >= 3


def test_conditional_blocks_for_each_recipient():
    text = merge.parse("A\n\n{% if unused_benefits %}\nVoucher!\n{% else %}\nNone.\n{% endif %}\n\n"
                       "{% if not onboarding_behind %}On track.{% endif %}\nZ")
    assert merge.plain(text, {"unused_benefits": True}) == "A\n\nVoucher!\n\nOn track.\nZ"
    assert merge.plain(text, {"onboarding_behind": True}) == "A\n\nNone.\n\nZ"


def test_blocks_lifted_out_of_markdown_paragraphs():
    html = "<p>\ue000#if\ue001unused_benefits\ue002</p>\n<p>Voucher</p>\n<p>\ue000#end\ue001\ue002</p>\n<p>End</p>"
    assert merge.resolve(html, {}) == "<p>End</p>"
    assert merge.resolve(html, {"unused_benefits": 1}) == "<p>Voucher</p>\n<p>End</p>"


def test_translate_escapes_literal_text_only():
    text = merge.parse("Hi {{ first_name | there }}, *|FNAME|*")
    out = merge.translate(text, lambda tag: f"*|{tag.field.upper()}|*",
                          lambda s: s.replace("*|", "*&#124;"))
    assert out == "Hi *|FIRST_NAME|*, *&#124;FNAME|*"


def test_story_text_cannot_forge_tokens():
    forged = "\ue000first_name\ue00174\ue002"
    assert merge.strip_sentinels(forged) == "first_name74"


def test_error_offsets_are_in_the_text_as_written():
    text = "{% if unused_benefits %}X{% endif %}\nCompany: {{ compnay | your team }}."
    with pytest.raises(merge.MergeSyntaxError) as info:
        merge.parse(text)
    assert text[info.value.offset:].startswith("{{ compnay")


def test_inline_branches_wrap_on_their_own():
    from newsletter.render.plaintext import TextRenderer
    source = merge.parse("{% if unused_benefits %}You have a voucher you haven't used yet."
                         "{% else %}Thanks for being with us.{% endif %}\n"
                         "{% if not onboarding_behind %}You're on track.{% endif %}")
    text = TextRenderer(width=40).markdown(source)
    assert merge.plain(text, {}) == "Thanks for being with us.\nYou're on track."
    assert merge.plain(text, {"unused_benefits": 1, "onboarding_behind": 1}) == "You have a voucher you haven't used yet."
