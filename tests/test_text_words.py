"""Plain words, sentences and stems."""

from newsletter.checks.text.words import count_words, language_of, plain, sentences, stem, tokens, stems
from newsletter.core import merge


def test_plain_fills_fallbacks_and_drops_markdown():
    assert plain(merge.parse("**Hi** {{ first_name | there }}, see [this](https://x.example)")).split() == \
        ["Hi", "there,", "see", "this"]


def test_sentences_split_on_stops_and_list_items():
    assert sentences("One. Two!\n1. Three\n2. Four。五") == ["One.", "Two!", "1. Three", "2. Four。", "五"]


def test_counts_and_stems():
    assert count_words("two words 三个字") == 5
    assert language_of("pt-BR") == "pt" and language_of(None) == "en"
    assert stem("скидку", "ru") == stem("скидка", "ru")
    assert tokens("Os descontos acabam", "pt").has(stems(["desconto"], "pt")) == "descontos"


def test_first_words_are_the_first_tokens_of_the_sentences_with_a_lexicon_stem():
    from newsletter.checks.text.words import first_words

    lexicon = {"discount": stems(["desconto", "cupom"], "pt"), "launch": stems(["novo"], "pt")}
    text = "Chegou o café. Os NOVOS moedores!\nUse os Descontos e o cupom 三个字 novo."
    found = first_words(text, "pt", lexicon)
    assert found == {"launch": (text.index("NOVOS"), "novos"), "discount": (text.index("Descontos"), "descontos")}
    # The same words, sentence by sentence, as `tokens` reads them.
    for name, roots in lexicon.items():
        expected = next(word for s in sentences(text) if (word := tokens(s, "pt").has(roots)))
        assert found[name][1] == expected
    assert first_words("Nada aqui.", "pt", lexicon) == {}
