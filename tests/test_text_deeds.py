"""What a customer did, told apart from praise, in each language; rewards and drafts."""

import pytest

from newsletter.checks.text.deeds import concrete, deeds, placeholder, reward


@pytest.mark.parametrize("language, text", [
    ("en", "Ana moved her weekly order to Thursday nights. She picks it up at 7:30 on Fridays."),
    ("pt", "A Júlia separou os pedidos por bairro. Toda sexta ela entrega tudo de bicicleta."),
    ("es", "Marta apuntó cada pedido en una libreta. Cada lunes revisa lo que falta."),
    ("ru", "Ольга составила список для всего подъезда. Каждую пятницу она забирает заказ."),
    ("zh", "小王把订单改成了每周五自动下单。他每次提前一天确认数量。"),
])
def test_concrete_actions_count(language, text):
    assert len(deeds([text], language).concrete) == 2


@pytest.mark.parametrize("language, text", [
    ("en", "Thank you, Ana! You are simply the best and we love having you. Five stars from all of us."),
    ("pt", "Obrigada, Júlia! Você é maravilhosa e querida por todos. Temos muita sorte."),
    ("ru", "Спасибо, Ольга! Вы замечательный человек. Нам очень повезло."),
    ("zh", "谢谢小王！他是我们最喜爱的客户。有他在是我们的幸运。"),
])
def test_praise_is_not_an_action(language, text):
    told = deeds([text], language)
    assert told.concrete == () and told.praise == told.total


def test_a_case_action_in_words_is_concrete():
    assert concrete("She split the book into four parts, one per meeting.", "en")


def test_reward_and_placeholder():
    assert reward("Ana received a free month of coffee for sharing this story.", "en")
    assert reward("A Júlia ganhou um mês grátis por participar desta matéria.", "pt")
    assert reward("Ana has ordered every week since 2021.", "en") is None
    assert placeholder("TODO: what Ana did") == "TODO: what Ana did"
    assert placeholder("Ela vem todo sábado.") is None  # "todo" is Portuguese


def test_arabic_habits_and_praise():
    told = deeds(["ليلى تقرأ مع صديقاتها عشرين دقيقة كل مساء. يختار النادي كتابًا واحدًا كل أسبوعين."], "ar")
    assert len(told.concrete) == 2
    assert deeds(["شكرًا ليلى، أنتِ رائعة!"], "ar").concrete == ()
