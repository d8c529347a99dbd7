"""What a customer story says the customer did, as opposed to praise and thanks.

A sentence is *praise* when it thanks, admires or rates ("one of our most treasured
readers", "nota 10!", "五星好评") or only says how long someone has been a customer. A
sentence is *concrete* when it is not praise and tells something done: a doing verb
(matched by Snowball stem: "reserves", "reservou", "заказывает"), a habit or frequency
("every Friday", "toda semana", "каждую субботу", "每周"), or a number. Length does not
count: a long tribute has many sentences and none of them concrete.

The same module recognises a story that says its customer was rewarded for it (a material
connection that must be disclosed) and scaffold placeholders (`TODO`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import sentences, stems, tokens

_PRAISE = {
    "en": r"\bthank|\bgrateful|\bgratitude|\btreasur|\blovel|\bwonderful|\bamazing|\bawesome|\bfantastic|\bbest\b"
          r"|\blove[sd]?\b|\blucky\b|\bincredibl|\binfectious|\bloyal\b|\bgenerous|\bwarmth|\brecommend|\bstars?\b"
          r"|\bcan'?t imagine|\bdreams? of|\bmake[s]? our day|\bfavourite (?:customer|reader|member)|\bsimply the"
          r"|\bgood things|\bexcellent|\bsuperb|\bperfect\b|\bso glad|\bkindest|\bnicest",
    "pt": r"obrigad|agradec|querid|maravilh|incrível|fantástic|\bmelhor(?:es)?\b|\bamo\b|\badoro|sorte\b|contagiante"
          r"|\bfiel\b|generos|\bluz\b|recomendo|\bnota 10|estrelas|\bvaleu|não tenho palavras|coração|carinho|\bsuper\b"
          r"|\bperfeit|excelente|sensacional|\bnota dez",
    "es": r"gracias|agradec|querid|maravill|increíble|fantástic|\bmejor(?:es)?\b|encantador|suerte\b|contagios"
          r"|\bfiel\b|generos|recomiendo|estrellas|corazón|cariño|excelente|perfect",
    "ru": r"спасибо|благодар|любим|замечательн|прекрасн|лучш|восхитительн|повезло|заразительн|верн(?:ая|ый|ые)\b"
          r"|щедр|светл(?:ая|ый|ой|ые)\b|рекоменд|звёзд|звезд|от всей души|супер|отличн|идеальн|чудесн|обожа|не знаю, что ещё сказать",
    "ar": r"شكر|ممتن|رائع|أفضل|نحب|محبوب|مميز|أنصح|نجوم|محظوظ|ممتاز|لا أجد كلمات",
    "zh": r"谢谢|感谢|最喜爱|最喜欢|美好|太好|好用|超赞|推荐|好评|五星|幸运|感染力|忠实|慷慨|温暖|最好|最棒|厚爱|完美|优秀|不知道还能说什么|心底",
}
# How long someone has been a customer says nothing about what they do.
_TENURE = {
    "en": r"\b(?:has|have) been (?:with|a \w+ (?:customer|member|reader|client)|one of)|\bcustomer (?:for|since)\b",
    "pt": r"\b(?:está|estão) com a gente há|\bé (?:cliente|leitor[a]?|sóci[oa]) há|\bhá mais de \w+ anos",
    "es": r"\blleva con nosotros|\bes (?:cliente|socio|socia) desde|\bdesde hace más de",
    "ru": r"\bс нами (?:уже |больше |более )?|\bклиент\w* (?:уже |больше |более )?\d*\s*(?:лет|год)",
    "ar": r"معنا منذ|عميل(?:ة)? منذ|منذ أكثر من",
    "zh": r"陪伴我们|用了[一二三四五六七八九十\d]+年|已经[一二三四五六七八九十\d]+多?年",
}
_FREQUENCY = {
    "en": r"\bevery\b|\beach\b|\bdaily\b|\bweekly\b|\bmonthly\b|\bmondays?|\btuesdays?|\bwednesdays?|\bthursdays?|\bfridays?"
          r"|\bsaturdays?|\bsundays?|\bmornings?\b|\bevenings?\b|\bnight\b|\ba\.m\.|\bp\.m\.|\bonce a\b|\btwice\b|\bweekend",
    "pt": r"\btod[oa]s? (?:o |a |os |as )?(?:dia|semana|mês|ano|manhã|noite|sábado|domingo|segunda|terça|quarta|quinta|sexta)"
          r"|\bcada\b|\bpor (?:semana|mês|dia)\b|\bsábado|\bdomingo|\bsegunda|\bterça|\bquarta|\bquinta|\bsexta|\bàs \d|\bmanhã|\bnoite",
    "es": r"\btod[oa]s? (?:los |las |el |la )?(?:días|semanas|lunes|martes|miércoles|jueves|viernes|sábados|domingos|mañanas|noches|mes)"
          r"|\bcada\b|\bpor (?:semana|mes|día)\b|\bsábado|\bdomingo|\blunes|\bviernes|\ba las \d|\bmañana|\bnoche",
    "ru": r"кажд\w+|ежедневн|еженедельн|по (?:понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям|утрам|вечерам)"
          r"|\bраз в\b|утром|вечером|суббот|воскресень|пятниц|понедельник",
    "ar": r"(?<!\w)كل\s|يوميًا|يوميا|أسبوعيًا|أسبوعيا|شهريًا|شهريا|صباح|مساء|السبت|الأحد|الإثنين|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة",
    "zh": r"每[天周月年次个晚早周日]|周[一二三四五六日末]|星期|早上|晚上|\d+点|提前|固定",
}
# Doing verbs, in dictionary and common past/present forms; matched by stem.
_DOING = {
    "en": "set start started move moved split write wrote book booked reserve reserved switch switched cut add added ask asked "
          "turn turned keep kept order ordered use used run ran pin pinned plan planned put freeze froze bring brought pick picked "
          "repeat repeated choose chose drop dropped make made build built open opened check checked track tracked log logged "
          "swap swapped print printed cross crossed remove removed train trained teach taught invite invited organise organised "
          "organize organized create created raise raised pay paid round rounded fix fixed note noted label labelled list listed "
          "post posted share shared buy bought bake baked brew brewed grind ground weigh weighed tag tagged scale scaled "
          "collect collected host hosted lead led prepare prepared mark marked send sent set-up schedule scheduled tick "
          "save saved go went join joined sign signed count counted record recorded pack packed",
    "pt": "começar começou criar criou separar separa separou anotar anota anotou reservar reserva reservou encomendar encomenda "
          "encomendou fatiar fatia fatiou congelar congela congelou programar programou montar montou dividir dividiu escrever "
          "escreveu escreve organizar organiza organizou convidar convidou trocar trocou mudar mudou usar usa usou levar leva levou "
          "marcar marcou abrir abriu pesar pesa pesou colocar colocou pôs fazer faz fez gravar grava gravou mandar manda mandou "
          "comprar compra comprou ativar ativou cortar cortou acrescentar acrescentou deixar deixa deixou preparar prepara preparou "
          "passar passa passou pedir pede pediu juntar junta juntou guardar guarda guardou treinar treina treinou ensinar ensinou "
          "registrar registra registrou conduzir conduz conduziu buscar busca buscou definir define definiu",
    "es": "empezar empezó crear creó separar separa separó anotar anota anotó reservar reserva reservó encargar encarga encargó "
          "congelar congela congeló programar programó montar montó dividir dividió escribir escribió organizar organiza organizó "
          "invitar invitó cambiar cambió usar usa usó llevar lleva llevó marcar marcó abrir abrió pesar pesa pesó poner puso "
          "hacer hace hizo comprar compra compró activar activó preparar prepara preparó pedir pide pidió guardar guarda guardó "
          "apuntar apunta apuntó dejar deja dejó",
    "ru": "начать начала начал начинает поставить поставила поставил ставит завести завела завел перевести перевела перевел "
          "переводит записать записала записал записывает заказать заказала заказал заказывает собрать собрала собрал собирает "
          "разделить разделила разделил делит составить составила составил открыть открыла открыл придумать придумала придумал "
          "сделать сделала сделал делает настроить настроила настроил откладывать откладывает отложила оставлять оставляет "
          "оставила принести принесла принёс приносит организовать организовала организовал провести провела провёл проводит "
          "пригласить пригласила пригласил выбрать выбрала выбрал выбирает повесить повесила повесил отправлять отправляет "
          "отправила купить купила купил покупает читать читает готовить готовит приготовила писать пишет написала написал "
          "сократить сократила сократил добавить добавила добавил забирать забирает забрала ведёт вести вела взять взяла взял "
          "берёт нарезать нарезала замораживать замораживает заморозила брать использовать использует использовала "
          "перейти перешла перешёл переключить переключила сменить сменила сменил",
}
_DOING_ZH = re.compile(r"把|设了|设置|设好|开始|改成|换成|预订|预约|下单|订了|记下|记录|写了|写下|分成|切|冷冻|转进|转到|存了|"
                       r"组织|发起|建了|打开|留出|带着|主持|拿出|分装|烫|安排|坚持|报名|选好|取货|搬|挂断|拨打|回拨|回电")
_DOING_STEMS = {lang: stems(words.split(), lang) for lang, words in _DOING.items()}
# Verb morphology that tells of something done whatever the verb: past tenses (en "-ed",
# pt "-ou/-eu/-iu", es "-ó/-ió", ru "-ал/-ила/-ели...") and the Russian present of habits
# ("-ает/-яет/-ует", reflexive "-ется/-ится").
_DONE = {
    "en": re.compile(r"\b[a-z]{3,}ed\b", re.I),
    "pt": re.compile(r"\b\w{3,}(?:ou|eu|iu)\b", re.I),
    "es": re.compile(r"\b\w{3,}(?:ó|ió)\b", re.I),
    "ru": re.compile(r"(?<!\w)\w{2,}(?:[аеиоуыяю]л[аио]?(?:сь|ся)?|[аяу]ет|[аяу]ют|[еи]тся)(?!\w)", re.I),
    # Chinese marks a completed action with 了 between the verb and its object (挂了电话).
    "zh": re.compile(r"[\u4e00-\u9fff]了[\u4e00-\u9fff]"),
}
_COMPILED = {name: {lang: re.compile(p, re.I) for lang, p in table.items()}
             for name, table in (("praise", _PRAISE), ("tenure", _TENURE), ("frequency", _FREQUENCY))}
_DIGIT = re.compile(r"\d")

# A story that says its customer got something for taking part (FTC 16 CFR 255.5).
_REWARD = {
    "en": r"\b(?:received|got|was given|were given|was paid|were paid|earned|was sent)\b[^.]{0,80}\b(?:for|in exchange for|in return for)"
          r"\s+(?:taking part|sharing|this|her|his|their|the|a|writing|reviewing)\b[^.]{0,40}(?:story|review|testimonial|interview|feature|post|words)"
          r"|\bin exchange for (?:a|an|her|his|their|this) (?:review|testimonial|story|interview)|\bsponsored by\b|\bpaid partnership",
    "pt": r"\b(?:ganhou|recebeu|ganharam|receberam)\b[^.]{0,80}\bpor (?:participar|contar|dar|esta|este|esse|essa|gravar)"
          r"|\bem troca d[eoa]s? (?:depoimento|avaliação|entrevista|matéria)|\bpatrocinad",
    "es": r"\b(?:recibió|ganó|obtuvo)\b[^.]{0,80}\bpor (?:participar|contar|dar|esta|este|grabar)"
          r"|\ba cambio de (?:su|una|un|este|esta) (?:testimonio|reseña|entrevista)|\bpatrocinad",
    "ru": r"получил\w*[^.]{0,80}\bза (?:участие|отзыв|этот|эту|это|интервью|рассказ)|\bв обмен на (?:отзыв|интервью)|\bспонсор",
    "zh": r"因参与|因为参与|作为(?:感谢|回报|答谢)[^。]{0,20}(?:获得|送|赠)|获得了?[^。]{0,20}(?:免费|奖励|报酬|折扣)[^。]{0,10}(?:作为|因|为)"
          r"|参与本文[^。]{0,10}获得|赞助",
}
_REWARD_RE = {lang: re.compile(p, re.I) for lang, p in _REWARD.items()}
#: A draft left unfinished (`newsletter suggest --scaffold` writes these).
# Upper case only: "todo" is a Portuguese and Spanish word ("todo sábado").
PLACEHOLDER = re.compile(r"\b(?:TODO|TBD|FIXME)\b|TODO[:：]|(?i:lorem ipsum)|待填写|待补充|\[(?:name|title|quote)\]")


def _lexicon(name: str, language: str) -> re.Pattern:
    table = _COMPILED[name]
    return table.get(language, table["en"])


@dataclass(frozen=True)
class Deeds:
    """Sentences of a story that say what the customer did, and how many only praise them."""

    concrete: tuple[str, ...]
    praise: int
    total: int


def _concrete(sentence: str, language: str) -> bool:
    if _lexicon("praise", language).search(sentence) or _lexicon("tenure", language).search(sentence):
        return False
    if _DIGIT.search(sentence) or _lexicon("frequency", language).search(sentence):
        return True
    if language == "zh":
        return bool(_DOING_ZH.search(sentence) or _DONE["zh"].search(sentence))
    done = _DONE.get(language)
    if done is not None and done.search(sentence):
        return True
    roots = _DOING_STEMS.get(language, _DOING_STEMS["en"])
    return tokens(sentence, language).has(roots) is not None


def deeds(texts: list[str], language: str) -> Deeds:
    """What the given plain texts (summary, body, quote...) show the customer doing."""
    concrete, praise, total = [], 0, 0
    for text in texts:
        for sentence in sentences(text):
            total += 1
            if _lexicon("praise", language).search(sentence):
                praise += 1
            elif _concrete(sentence, language):
                concrete.append(sentence)
    return Deeds(tuple(concrete), praise, total)


def concrete(text: str, language: str) -> bool:
    """Whether one plain text (a case study's `action`, a quote) tells something done."""
    return any(_concrete(s, language) for s in sentences(text))


def reward(text: str, language: str) -> str | None:
    """The words that say the customer was rewarded for the story, or None."""
    pattern = _REWARD_RE.get(language, _REWARD_RE["en"])
    match = pattern.search(text)
    return match.group(0) if match else None


def placeholder(text: str) -> str | None:
    """A scaffold placeholder left in the text (`TODO: what Lena did`), or None."""
    match = PLACEHOLDER.search(text)
    if not match:
        return None
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    return text[line_start:line_end if line_end >= 0 else None].strip()[:60]
