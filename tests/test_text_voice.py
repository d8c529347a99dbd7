"""The form-letter voice recognised by pattern, with variants; a named, respectful greeting is fine."""

import pytest

from newsletter.checks.text.voice import addresses_reader, boilerplate


@pytest.mark.parametrize("language, text", [
    ("en", "Dear Valued Cardholder, please find enclosed your statement."),
    ("en", "Hello all customers, this is an update."),
    ("pt", "Prezada Assinante, segue abaixo o informativo."),
    ("pt", "Caro(a) cliente, informamos que o horário mudou."),
    ("es", "Estimados socios: le informamos que..."),
    ("ru", "Дорогие покупатели! Сообщаем о новом графике."),
    ("ru", "Настоящим уведомляем вас об изменениях."),
    ("zh", "尊敬的持卡人：您好！"),
    ("zh", "现将有关事项通知如下。"),
])
def test_boilerplate_variants(language, text):
    assert boilerplate(text, language)


@pytest.mark.parametrize("language, text", [
    ("en", "Hi there, here is what Ana did this month."),
    ("ru", "Уважаемая Нина Петровна, спасибо, что вы с нами."),
    ("zh", "朋友，你好！这个月我们想给你讲讲小王。"),
])
def test_personal_greetings_are_not_boilerplate(language, text):
    assert boilerplate(text, language) is None


def test_second_person():
    assert addresses_reader("Here is how you can do it.", "en")
    assert addresses_reader("Здесь рассказано, как это сделать.", "ru") is False
    assert addresses_reader("Texto qualquer.", "xx") is None


def test_arabic_form_letter():
    assert boilerplate("عزيزي العميل، نحيطكم علمًا بتحديث الخدمة.", "ar") == "عزيزي العميل"
    assert boilerplate("مرحبًا يا صديقنا، إليك ما فعلته ليلى.", "ar") is None
