"""The voice of a message: the impersonal form letter, and whether it speaks to the reader.

Boilerplate is recognised by patterns with their variants, not by a list of fixed phrases:
a generic salutation is a courtesy word (dear, valued, prezado, уважаемый, 尊敬的...)
followed by a generic noun for the reader (customer, cliente, покупатель, 用户...) in any
of its forms, and the form-letter voice by the officialese that comes with it ("please
find enclosed", "vimos por meio deste", "доводим до вашего сведения", "现将……通报如下").
A respectful salutation to a named person ("Уважаемая Нина Петровна") is not boilerplate.
"""

from __future__ import annotations

import re

_NOUNS = {
    "en": r"(?:customers?|clients?|subscribers?|members?|users?|account[ -]?holders?|card ?holders?|patrons?|shoppers?"
          r"|readers?|partners?|sirs?|madam|sir or madam)",
    "pt": r"(?:client[ea]s?|cliente\(s\)|client[ea]\(a\)|associad[oa]s?|assinantes?|usuári[oa]s?|correntistas?|consumidor(?:es|a)?"
          r"|parceir[oa]s?|leitor(?:es|a)?|senhor(?:es|a)?)",
    "es": r"(?:client[ea]s?|socio[as]?|suscriptor(?:es|a)?|usuari[oa]s?|consumidor(?:es|a)?|señor(?:es|a)?|lector(?:es|a)?)",
    "ru": r"(?:клиент\w*|покупател\w*|абонент\w*|пользовател\w*|подписчик\w*|вкладчик\w*|партн[её]р\w*|участник\w*|держател\w*"
          r"|господ\w*|читател\w*)",
    "zh": r"(?:客户|用户|会员|顾客|客人|先生|女士|各位|读者|合作伙伴|持卡人|储户)",
    "ar": r"(?:العميل|العميلة|العملاء|عميلنا|عملاءنا|المشترك|المشتركين|المستخدم|السادة)",
}
_SALUTATIONS = {
    "en": rf"\b(?:dear|hello|greetings|attention)[ ,]+(?:(?:valued|loyal|esteemed|dear|new|all)\s+)*{_NOUNS['en']}\b"
          rf"|\bvalued\s+{_NOUNS['en']}\b|\bto whom it may concern|\bdear sir\b",
    "pt": rf"\b(?:prezad[oa]s?(?:\(a\))?|car[oa]s?(?:\(a\))?|estimad[oa]s?(?:\(a\))?|ilustríssim[oa])\s+(?:sr\.?\s+|sra\.?\s+)?{_NOUNS['pt']}",
    "es": rf"\b(?:estimad[oa]s?(?:\(a\))?|apreciad[oa]s?|querid[oa]s?|distinguid[oa]s?)\s+{_NOUNS['es']}",
    "ru": rf"(?<!\w)(?:уважаем|дорог|многоуважаем|любезн)\w*\s+{_NOUNS['ru']}",
    "zh": rf"(?:尊敬的|亲爱的|敬爱的){_NOUNS['zh']}",
    "ar": rf"(?:عزيزي|عزيزتي|أعزاءنا|السيد|حضرة)\s+{_NOUNS['ar']}|{_NOUNS['ar']}\s+(?:العزيز|الكرام|الكريم)",
}
_FORM_LETTER = {
    "en": r"\bwe acknowledge receipt|\bplease (?:be advised|find (?:enclosed|below|attached))|\b(?:are|is) (?:hereby )?(?:advised|reminded)"
          r"|\bherewith\b|\bhereby\b|\bkindly note\b|\bwe regret to inform|\bdo not hesitate to contact|\byours faithfully"
          r"|\bwould like to take this opportunity|\bwe are pleased to (?:enclose|inform)|\bfor further information",
    "pt": r"\bvimos por meio deste|\binformamos (?:que|abaixo|a seguir|aos)|\bcomunicamos (?:que|a seguir)|\bsolicitamos a gentileza"
          r"|\bpermanecemos à disposição|\bseguem? (?:abaixo|em anexo)|\bpara maiores esclarecimentos|\bfavor contatar"
          r"|\bvenho por meio deste|\bagradece a (?:abertura|preferência)",
    "es": r"\bpor medio de la presente|\ble informamos (?:que|de)|\bquedamos a su (?:entera )?disposición|\bsin otro particular"
          r"|\ble comunicamos",
    "ru": r"доводим до (?:вашего |вашего |Вашего )?сведения|настоящим (?:сообщаем|уведомляем|информируем)|просим (?:внимательно|обращаться)"
          r"|ниже(?:изложенн| приведен)|информируем вас|уведомляем вас|сообщаем о запуске",
    "ar": r"نحيطكم علم|نود إعلامكم|تحية طيبة وبعد|نفيدكم",
    "zh": r"现将.{0,30}(?:通报|告知|通知)如下|现就.{0,30}通知如下|特此(?:通知|提示|告知)|敬请(?:查阅|知悉|留意)|兹通知|此致|敬礼",
}
_SECOND_PERSON = {
    "en": r"\b(?:you|your|you're|yours|yourself)\b",
    "pt": r"\b(?:você|vocês|seu|sua|seus|suas|te|teu|tua)\b",
    "es": r"\b(?:tú|tu|tus|te|ti|usted|ustedes|su|sus|vosotros)\b",
    "ru": r"(?<!\w)(?:вы|вас|вам|вами|ваш\w*|ты|тебя|тебе|твой\w*|твоя|твоё)(?!\w)",
    "zh": r"你|您",
    # The attached pronoun -ك / -كم ("your", "you"), written with or without its vowel sign, on
    # any word but the common ones that merely end in ك (ذلك "that", هناك "there", ...).
    "ar": r"(?<!\w)(?:أنت|أنتِ|أنتم|لك|لكِ|لكم|معك|معكم|إليك|إليكم|عليك|بك|منك)(?!\w)"
          r"|(?<!\w)(?!(?:[وفب]?(?:ذلك|لذلك|كذلك|هناك|تلك|ملك|شك|بنك|سمك|مشترك|مشتركة))(?!\w))\w+(?:ك|كَ|كِ|كم)(?!\w)",
}
_SALUTE = {k: re.compile(v, re.I) for k, v in _SALUTATIONS.items()}
_FORM = {k: re.compile(v, re.I) for k, v in _FORM_LETTER.items()}
_YOU = {k: re.compile(v, re.I) for k, v in _SECOND_PERSON.items()}


def boilerplate(text: str, language: str) -> str | None:
    """The impersonal salutation or form-letter phrase in a plain text, or None."""
    for table in (_SALUTE, _FORM):
        pattern = table.get(language)
        if pattern is None:
            continue
        match = pattern.search(text)
        if match:
            return " ".join(match.group(0).split())
    if language != "en":  # an English "Dear valued customer" left in any issue
        match = _SALUTE["en"].search(text)
        if match:
            return " ".join(match.group(0).split())
    return None


def addresses_reader(text: str, language: str) -> bool | None:
    """Whether the text speaks to the reader in the second person (None: language not known)."""
    pattern = _YOU.get(language)
    return bool(pattern.search(text)) if pattern else None
