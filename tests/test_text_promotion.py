"""Offers read from the words, in each language; near misses (a price in passing, a free
event) are not offers. Sentences here are new, not taken from the corpus."""

from pathlib import Path

import pytest
import yaml

from newsletter.checks.text.promotion import describe, signals, verdict

LAUNCH_TEXTS = yaml.safe_load((Path(__file__).parent / "corpus" / "launch-words.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language, text", [
    ("en", "Our spring blend is back: 15% off until Sunday, so grab yours now."),
    ("en", "New: the travel grinder, $59. Order yours today before they sell out."),
    ("pt", "Use o cupom VERAO10 e ganhe descontos na primeira caixa."),
    ("pt", "Lançamento: o moedor de viagem por R$ 299. Peça já o seu!"),
    ("es", "Llévate la cafetera con un 25% de descuento solo hasta el viernes."),
    ("ru", "Скидку 20% на годовую подписку получите по промокоду VESNA20."),
    ("ru", "Новинка за 1 990 ₽ — закажите до воскресенья."),
    ("zh", "春季新品限时九折，立即下单！"),
    ("zh", "买二送一，活动只到本周日。"),
])
def test_offers_in_every_language(language, text):
    assert verdict(signals(text, language)), describe(signals(text, language))


@pytest.mark.parametrize("language, text", [
    ("en", "Most paperbacks on our teen table cost around £8, and the library has many of them."),
    ("en", "Book your free technique check in the app: it takes 30 minutes."),
    ("pt", "Garanta sua vaga no encontro de sábado: a inscrição é gratuita."),
    ("ru", "Откройте приложение и включите уведомления о каждой покупке."),
    ("zh", "打开小程序，每周六上午十点取货。"),
])
def test_near_misses_are_not_offers(language, text):
    assert verdict(signals(text, language)) is None


def test_morphology_matches_every_form_of_a_word():
    # Snowball stems: the plural and the oblique cases still mean a discount.
    assert any(s.kind == "discount" for s in signals("Temos descontos para você.", "pt"))
    assert any(s.kind == "discount" for s in signals("Со скидкой для постоянных читателей.", "ru"))


def test_signals_are_worked_out_once_per_text_and_each_caller_gets_its_own_list():
    from newsletter.checks.text.promotion import signals
    text = "Use code SPRING20 at checkout: 20% off until Friday."
    first = signals(text, "en")
    kinds = [s.kind for s in first]
    assert "coupon code" in kinds and "discount" in kinds
    first.clear()  # a caller's list is its own: the kept result stays whole
    assert [s.kind for s in signals(text, "en")] == kinds
    assert "coupon code" not in [s.kind for s in signals("Use code spring20 at checkout.", "en")]


def test_lexicon_signals_come_in_the_order_a_reader_meets_them():
    # Sentence by sentence; within one sentence, in the lexicon's order (discount, then launch).
    assert [s.kind for s in signals("Our new grinder is here. It comes with a coupon.", "en")] == \
        ["launch", "discount"]
    assert [s.kind for s in signals("A new coupon for you.", "en")] == ["discount", "launch"]
    assert [s.kind for s in signals("新品。一个 coupon", "en")][-1] == "discount"


def _launch_errors(held_out: bool) -> tuple[list[str], list[str]]:
    """(false offers, missed offers) of the verdict on tests/corpus/launch-words.yml, by title."""
    texts = [item for item in LAUNCH_TEXTS if bool(item.get("held_out")) == held_out]
    judged = [(item, verdict(signals(item["text"], item["language"])) is not None) for item in texts]
    return ([item["text"].split("\n")[0] for item, offer in judged if offer and not item["offer"]],
            [item["text"].split("\n")[0] for item, offer in judged if item["offer"] and not offer])


def test_new_said_of_people_time_or_a_way_announces_nothing_for_sale():
    # Every text ends with a call to buy. Before, any "new" was a launch: 16 false offers in
    # the 31 texts the word lists were written from, and 1 missed ("Brand-new travel mugs").
    false_offers, missed = _launch_errors(held_out=False)
    assert false_offers == [] and missed == []


def test_held_out_launch_texts_do_not_get_worse():
    # Written after the word lists, not tuned on: before, 7 of 7 non-offers were called offers
    # and 1 of 6 offers was missed; the lists foresee only "a new record" of them. A "new"
    # said of other people or things (neighbours, roasters, a new start) is still a launch.
    false_offers, missed = _launch_errors(held_out=True)
    assert len(false_offers) <= 6 and missed == ["Just in: our single-origin Ethiopian"]


@pytest.mark.parametrize("language, text", [
    ("en", "Meet the new Barista Pro grinder. Buy now."),  # a people word in a product's name
    ("en", "How Ana Trained Six New Baristas. Book now."),  # a capitalised title is no name
])
def test_a_capitalised_word_after_a_lower_case_new_is_a_name(language, text):
    found = {s.kind for s in signals(text, language)}
    assert ("launch" in found) == text.startswith("Meet")
