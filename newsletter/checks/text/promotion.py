"""Promotion read from what a text says: discounts, coupon codes, prices, urgency, calls to buy.

Each language has its own patterns, written for its morphology (Russian and Portuguese
words are matched by Snowball stem, Chinese by substring). One signal alone is rarely an
offer (a guide may mention a price; a reminder may have a deadline); a discount or a
coupon code is, and so is a price, a launch or a deadline joined to a call to buy.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ...core.memo import text_memo
from .folding import CasePattern, lowered
from .words import SENTENCE_END, first_words, spans, stem, stems

DISCOUNT, CODE, PRICE, URGENCY, CALL, LAUNCH = "discount", "coupon code", "price", "urgency", "call to buy", "launch"

_WEEKDAYS = {
    "en": "monday|tuesday|wednesday|thursday|friday|saturday|sunday|midnight|tonight|tomorrow",
    "pt": "segunda|terça|quarta|quinta|sexta|sábado|domingo|meia-noite|amanhã",
    "es": "lunes|martes|miércoles|jueves|viernes|sábado|domingo|medianoche|mañana",
    "ru": "понедельник\\w*|вторник\\w*|сред\\w*|четверг\\w*|пятниц\\w*|суббот\\w*|воскресень\\w*|полуноч\\w*|завтр\\w*",
}
# Written in lower case, as every pattern matched case-insensitively here (see CasePattern).
_CURRENCY = r"(?:r\$|us\$|[$£€¥￥₽]|ر\.س|د\.إ)"
_PRICE_SOURCE = (rf"{_CURRENCY}\s?\d[\d.,\s]*\d|{_CURRENCY}\s?\d|\d[\d.,\s]*\s?(?:{_CURRENCY}|руб\w*|р\.|元|块钱|euros?|reais|dólares|dollars?)"
                    r"|\d+\s*元起")
_CODE = re.compile(r"(?:\bcode|\bcoupon|\bvoucher|\bcódigo|\bcupom|\bcupón|промокод\w*|\bкод\w*|优惠码|折扣码|券码|兑换码)"
                   r"\s*[:：]?\s*\**\s*[A-Z][A-Z0-9]{3,}\b")
#: What every coupon code match holds (its code): re finds it fast, and most texts have none.
_CODE_LIKE = re.compile(r"[A-Z][A-Z0-9]{3}")

#: Regular expressions per language, per signal.
_PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        DISCOUNT: r"\d+\s?%\s*off\b|\bsave\s+(?:up to\s+)?(?:\d+\s?%|[$£€]\s?\d[\d.,]*)|\bhalf[- ]price\b"
                  r"|\bbuy\s+(?:any\s+)?\w+(?:\s+\w+)?,?\s+get\s+(?:\w+\s+){0,3}(?:free|half)\b|\b\d+\s?%\s+discount",
        URGENCY: rf"\b(?:this week|today|tonight|this weekend|\d+ days?) only\b|\bonly until\b|\bonly (?:this|today)\b"
                 rf"|\b(?:offer|sale|deal|price|rate|it) (?:ends|expires|goes back up)\b|\bends (?:on )?(?:{_WEEKDAYS['en']})"
                 rf"|\bwhile (?:stocks?|supplies) last|\blimited (?:time|stock|offer|edition)|\bstock is limited"
                 rf"|\bdon'?t miss (?:out|it)|\blast chance\b|\bhurry\b|\bbefore (?:\w+ )?(?:at )?midnight"
                 rf"|\b(?:until|till|by|before) (?:{_WEEKDAYS['en']})\b|\bvalid until\b|\bsell out\b.*\bfavourites",
        CALL: r"\b(?:order|buy|grab|get|reserve|claim) (?:yours|one|it|them)?\s*(?:now|today)\b|\border yours\b"
              r"|\bshop (?:now|the|our)\b|\b(?:apply|upgrade|subscribe|sign up|book|join) (?:now|today)\b"
              r"|\btreat yourself\b|\badd to (?:cart|basket)\b|\bget the \w+(?: \w+)? now\b|\bupgrade to\b",
    },
    "pt": {
        DISCOUNT: r"\d+\s?%\s*(?:de\s+)?(?:off|desconto|menos)\b|\bleve\s+\d+\s*,?\s*(?:e\s+)?pague\s+\d+|\bpela metade do preço",
        URGENCY: rf"\bsó (?:até|hoje|esta semana|nesta semana|neste fim de semana)\b|\bsomente (?:até|hoje)\b"
                 rf"|\baté (?:o fim do dia|(?:a |o |esta |nesta )?(?:{_WEEKDAYS['pt']}))"
                 rf"|\búltim[oa]s? (?:dias|chance|unidades|horas)\b|\bnão (?:perca|fique de fora)\b"
                 rf"|\benquanto durar(?:em)? o?s? ?estoques?\b|\bestoque limitado\b|\bunidades (?:são )?limitadas"
                 rf"|\bpor tempo limitado\b|\bcorra\b|\boferta (?:relâmpago|válida)\b|\bacaba (?:nesta|na|hoje|amanhã)",
        # "Garanta sua vaga" (secure your spot) is a registration, not a sale.
        CALL: r"\b(?:compre|garanta|peça|encomende|assine|aproveite|contrate|reserve)\s+(?:já|agora|hoje|o seu|a sua|seu|sua)\b"
              r"(?!\s+(?:vaga|lugar|inscrição|presença))|\bquero o\b|\bcompre o\b|\bcomprar o\b",
    },
    "es": {
        DISCOUNT: r"\d+\s?%\s*(?:de\s+)?(?:descuento|dto)\b|\b2x1\b|\blleva\s+\d+\s*,?\s*paga\s+\d+",
        URGENCY: rf"\bsolo (?:hasta|hoy|esta semana|este fin de semana)\b|\bhasta (?:el |este )?(?:{_WEEKDAYS['es']})"
                 rf"|\búltim[oa]s? (?:días|unidades|horas|oportunidad)\b|\bno te (?:lo|la) pierdas\b"
                 rf"|\bhasta agotar (?:existencias|stock)\b|\bpor tiempo limitado\b|\bunidades limitadas\b",
        CALL: r"\b(?:compra|pide|reserva|consigue|aprovecha|encarga|suscríbete)\s+(?:ya|ahora|hoy|el tuyo|la tuya)\b"
              r"|\bcómpral[oa]\b|\bpídel[oa]\b",
    },
    "ru": {
        DISCOUNT: r"-\s?\d+\s?%|\d+\s?%\s*скидк|скидк\w*\s+(?:в\s+)?\d+\s?%|\d+\s+по\s+цене\s+\d+|\bбесплатн\w+ доставк",
        URGENCY: rf"только до\b|только (?:сегодня|на этой неделе|в эти выходные)|\bдо (?:конца (?:недели|месяца|дня)|(?:{_WEEKDAYS['ru']}))"
                 r"|успе(?:йте|ть|вайте)|не упустите|не пропустите|осталось (?:всего|только)|пока (?:есть в наличии|не закончил)"
                 r"|количество ограничено|ограниченн\w+ (?:серия|тираж|предложени)|последн\w+ шанс|предложение действует",
        CALL: r"(?<!\w)(?:закажите|купите|покупайте|заказывайте|оформите заказ|успейте купить|берите|заберите)(?!\w)"
              r"|(?<!\w)(?:оформите|откройте|подключите|подпишитесь) (?:сегодня|сейчас|прямо сейчас)",
    },
    "ar": {
        DISCOUNT: r"\d+\s?[٪%]\s*(?:خصم|تخفيض)|(?:خصم|تخفيض)\s+\d+\s?[٪%]|كوبون|رمز الخصم|اشتر\s+\S+\s+واحصل",
        URGENCY: r"لفترة محدودة|حتى نفاد الكمية|العرض (?:ينتهي|ساري)|اليوم فقط|هذا الأسبوع فقط|لا تفوت|آخر فرصة|الكمية محدودة",
        CALL: r"اطلب(?:ه|ها)? الآن|اشترِ? الآن|احجز الآن|تسوق الآن|اطلب اليوم|سارع",
    },
    "zh": {
        DISCOUNT: r"[一二三四五六七八九\d](?:\.\d)?折|打折|折扣|立减|立省|满\d+减\d+|买[一二三四五\d]+(?:本|件|盒|份)?送[一二三四五\d]+"
                  r"|半价|特价|促销|秒杀|包邮|省\d+%",
        URGENCY: r"限时|仅限|截止|只到|仅到|只剩|最后一天|最后机会|售完即止|数量有限|库存有限|名额有限|别错过|不要错过|抓紧|手慢无|赶快|赶紧|即将结束",
        CALL: r"立即(?:购买|下单|抢购|订购|开通|升级|办理)|马上(?:下单|抢|订|开通|升级|购买|办理)|快来(?:购买|抢)|今天就(?:下单|办|买)"
              r"|点击购买|去下单|加购|入手",
    },
}

_COMPILED = {lang: {signal: CasePattern(p) for signal, p in table.items()} for lang, table in _PATTERNS.items()}
_PRICE = CasePattern(_PRICE_SOURCE)
#: What every price match holds, lower-cased: most texts hold none, and `in` tells fast.
_PRICE_MARKS = ("$", "£", "€", "¥", "￥", "₽", "ر.س", "د.إ", "руб", "р.", "元", "块钱", "euro", "reais",
                "dólares", "dollar")


def _price(text: str, low: str | None) -> str | None:
    """The first price in the text, as written there (see CasePattern.search)."""
    if low is not None and not any(mark in low for mark in _PRICE_MARKS):
        return None
    return _PRICE.search(text, low)

#: Single words that mark an offer whatever their form (matched by stem).
_WORDS = {
    "en": {DISCOUNT: ["discount", "coupon", "promo"],
           LAUNCH: ["introducing", "launch", "landed", "new", "brand-new", "all-new"]},
    "pt": {DISCOUNT: ["desconto", "cupom", "promoção", "liquidação", "promocional"],
           LAUNCH: ["lançamento", "novidade", "chegou", "novo", "nova"]},
    "es": {DISCOUNT: ["descuento", "cupón", "rebaja", "promoción", "oferta"],
           LAUNCH: ["lanzamiento", "novedad", "nuevo", "nueva", "llegó"]},
    "ru": {DISCOUNT: ["скидка", "промокод", "распродажа", "акция"],
           LAUNCH: ["новинка", "новый", "новая", "представляем", "поступление"]},
}
_STEMS = {lang: {signal: stems(words, lang) for signal, words in table.items()} for lang, table in _WORDS.items()}
#: The launch words that only say "new": a launch when said of what the brand sells ("our new
#: blend"), not when said of people, of time or of a way of doing things (the nouns below,
#: by stem, among the next two words; in Portuguese and Spanish also the word before, where
#: the adjective may follow its noun: "clientes novos").
_NOVELTY = {"en": ["new"], "pt": ["novo", "nova"], "es": ["nuevo", "nueva"], "ru": ["новый", "новая"]}
_NOT_FOR_SALE = {
    "en": ["staff", "hire", "recruit", "starter", "barista", "customer", "client", "member", "subscriber", "reader",
           "team", "colleague", "employee", "people", "person", "friend", "owner", "manager", "volunteer", "parent",
           "year", "month", "week", "day", "way", "habit", "approach", "method", "routine", "skill", "record",
           "home", "job", "role"],
    "pt": ["equipe", "time", "barista", "cliente", "membro", "assinante", "leitor", "funcionário", "colaborador",
           "contratação", "colega", "pessoa", "amigo", "dono", "gerente", "voluntário", "ano", "mês", "semana",
           "dia", "jeito", "forma", "maneira", "hábito", "método", "rotina", "recorde", "casa", "emprego"],
    "es": ["equipo", "barista", "cliente", "miembro", "suscriptor", "lector", "empleado", "colaborador",
           "contratación", "compañero", "persona", "amigo", "dueño", "gerente", "voluntario", "año", "mes",
           "semana", "día", "forma", "manera", "hábito", "método", "rutina", "récord", "casa", "trabajo"],
    "ru": ["сотрудник", "бариста", "клиент", "покупатель", "участник", "подписчик", "читатель", "команда",
           "коллега", "работник", "друг", "владелец", "менеджер", "волонтёр", "год", "месяц", "неделя", "день",
           "способ", "привычка", "метод", "подход", "рекорд", "дом", "работа"],
}
_NOVELTY_STEMS = {lang: stems(words, lang) for lang, words in _NOVELTY.items()}
_NOT_FOR_SALE_STEMS = {lang: stems(words, lang) for lang, words in _NOT_FOR_SALE.items()}
_NOUN_BEFORE = ("pt", "es")
_ZH_LAUNCH = re.compile(r"新品|上新|全新|首发|推出|上市|新款")


@dataclass(frozen=True)
class Signal:
    kind: str
    words: str  # what the text says, as written


def signals(text: str, language: str) -> list[Signal]:
    """Every promotion signal in a plain text, in the language given ('en', 'pt', 'ru', 'zh', 'es')."""
    return list(_signals(text, language))


# A message's subject, preheader and intro recur in every audience; a story's text in every
# rebuild (kept in the build cache).
@text_memo("promotion-signals")
def _signals(text: str, language: str) -> tuple[Signal, ...]:
    found: list[Signal] = []
    low = lowered(text)
    patterns = _COMPILED.get(language, _COMPILED["en"])
    for kind, pattern in patterns.items():
        words = pattern.search(text, low)
        if words:
            found.append(Signal(kind, words.strip()))
    match = _CODE.search(text) if _CODE_LIKE.search(text) else None
    if match:
        found.append(Signal(CODE, match.group(0).strip(" *")))
    words = _price(text, low)
    if words:
        found.append(Signal(PRICE, words.strip()))
    if language == "zh":
        match = _ZH_LAUNCH.search(text)
        if match:
            found.append(Signal(LAUNCH, match.group(0)))
    else:
        found += _lexicon_signals(text, language, {s.kind for s in found})
    return tuple(found)


def _lexicon_signals(text: str, language: str, known: set[str]) -> list[Signal]:
    """For each kind of the language's lexicon not in `known`, its first word in the text;
    in the order a reader meets them: sentence by sentence, and in one sentence by kind."""
    lexicon = _STEMS.get(language, _STEMS["en"])
    wanted = {kind: roots for kind, roots in lexicon.items() if kind not in known}
    first = first_words(text, language, wanted) if wanted else {}
    if LAUNCH in first and stem(first[LAUNCH][1], language) in _NOVELTY_STEMS.get(language, ()):
        launch = _launch(text, language, lexicon[LAUNCH])
        if launch is None:
            del first[LAUNCH]
        else:
            first[LAUNCH] = launch
    if len(first) > 1:  # the sentence of each word: how many sentence ends come before it
        ends = [m.start() for m in SENTENCE_END.finditer(text)]
        order = {kind: (bisect_right(ends, start), list(wanted).index(kind)) for kind, (start, _) in first.items()}
        kinds = sorted(first, key=order.__getitem__)
    else:
        kinds = list(first)
    return [Signal(kind, first[kind][1]) for kind in kinds]


def _launch(text: str, language: str, roots: frozenset[str]) -> tuple[int, str] | None:
    """(start, lower-cased word) of the first launch word that announces something for sale,
    or None: a word that only says "new" does so unless it is said of people, time or a way
    of doing things (_NOT_FOR_SALE). Such a noun capitalised after a lower-case "new" is a
    name ("the new Barista Pro grinder"); in a capitalised title it is not ("Six New Baristas")."""
    novelty, not_for_sale = _NOVELTY_STEMS.get(language, frozenset()), _NOT_FOR_SALE_STEMS.get(language, frozenset())
    found = spans(text)
    root = {word: stem(word, language) for word in {word.lower() for _, word in found}}  # each word once
    roots_of = [root[word.lower()] for _, word in found]
    for index, (start, word) in enumerate(found):
        if roots_of[index] not in roots:
            continue
        if roots_of[index] in novelty:
            near = list(range(index + 1, min(index + 3, len(found))))
            if language in _NOUN_BEFORE and index:
                near.append(index - 1)
            said_of = [at for at in near if roots_of[at] in not_for_sale
                       and not (word[:1].islower() and found[at][1][:1].isupper())]
            if said_of:
                continue
        return start, word.lower()
    return None


def verdict(found: list[Signal]) -> list[Signal] | None:
    """The signals that make a text an offer, or None when it is not one."""
    kinds = {s.kind: s for s in found}
    if DISCOUNT in kinds or CODE in kinds:
        return [s for s in found if s.kind in (DISCOUNT, CODE, URGENCY, CALL)]
    if PRICE in kinds and (CALL in kinds or URGENCY in kinds):
        return [s for s in found if s.kind in (PRICE, CALL, URGENCY)]
    if CALL in kinds and (URGENCY in kinds or LAUNCH in kinds):
        return [s for s in found if s.kind in (CALL, URGENCY, LAUNCH)]
    return None


def describe(found: list[Signal]) -> str:
    """The signals as a reader would name them: discount '20% off', urgency 'only until Friday'."""
    return ", ".join(f"{s.kind} '{s.words}'" for s in found[:3])
