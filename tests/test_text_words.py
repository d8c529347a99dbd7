"""Plain words, sentences and stems."""

from newsletter.checks.text.words import (count_words, first_words, language_of, plain, sentences, spans, stem,
                                          stems, tokens)
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


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab Zé中文字'’-_9. \n\u3400\uf900ж", max_size=40))
def test_words_are_counted_as_words_plus_cjk_characters(text):
    # The one-pass count agrees with its definition: words once CJK characters are spaces,
    # plus one for each CJK character.
    import re

    from newsletter.checks.text.words import _CJK_CHAR, _WORD, cjk_count

    assert count_words(text) == len(_WORD.findall(_CJK_CHAR.sub(" ", text))) + cjk_count(text)
    assert count_words(re.sub(r"\s+", " ", text)) == count_words(text)


def test_spans_are_the_words_first_words_reads_where_they_start():
    text = "Our brand-new blend, 两杯 and Barista's pick."
    found = spans(text)
    assert [word for _, word in found] == ["Our", "brand-new", "blend", "and", "Barista's", "pick"]
    assert all(text[start:start + len(word)] == word for start, word in found)
    first = first_words(text, "en", {"x": stems(["pick"], "en")})
    assert first["x"] == next((start, word.lower()) for start, word in found if word == "pick")


def test_stems_come_from_snowballs_c_stemmers_and_match_the_pure_python_ones():
    """PyStemmer is what `stem` uses (20-30 times faster); it must give the stems snowballstemmer's
    own algorithms give, on every word of the labelled corpora, or a check's verdicts would
    depend on which of the two a machine has."""
    import importlib
    import re
    from pathlib import Path

    import Stemmer

    from newsletter.checks.text.words import STEMMERS, _stemmer

    corpus = Path(__file__).parent / "corpus"
    words = set()
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            words |= {w.lower() for w in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8"))}
    assert len(words) > 3000
    for language, name in STEMMERS.items():
        assert isinstance(_stemmer(language), Stemmer.Stemmer)
        module = importlib.import_module(f"snowballstemmer.{name}_stemmer")
        python = getattr(module, f"{name.capitalize()}Stemmer")()
        different = {w: (stem(w, language), python.stemWord(w.replace("ё", "е")))
                     for w in sorted(words) if stem(w, language) != python.stemWord(w.replace("ё", "е"))}
        assert not different, (language, list(different.items())[:5])
