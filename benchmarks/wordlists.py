"""Word lists and phrase templates for the synthetic benchmark project, per locale.

Each locale has whole clauses rather than loose words, so the generated text reads like
real copy (and exercises wrapping, escaping and width rules with real scripts) while
staying deterministic: generate.py only ever picks from these lists with a seeded RNG.
Placeholders: {n} a small number, {name} a person, {company} a business.
"""

LOCALES = {
    "en": {
        "see": "See {link} for the details.",
        "first": ["Ana", "Lucy", "Dan", "Mira", "Tom", "Priya", "Sam", "Kofi", "Ella", "Noah", "Grace", "Omar"],
        "last": ["Hart", "Cole", "Okafor", "Reyes", "Nair", "Whitaker", "Mensah", "Brooks", "Patel", "Quinn"],
        "company": ["{last} & Sons Coffee", "Harbour Lane Coffee", "The Copper Kettle", "Northside Kitchen",
                    "Tidewater Café", "Hilltop Espresso", "{last}'s Corner"],
        "clauses": [
            "we weighed every dose for a week", "the morning rush got noticeably calmer",
            "{name} kept a brew log on an index card", "the team agreed on one recipe per blend",
            "binned shots fell by about {n} per cent", "customers started asking for the guest filter by name",
            "a finer grind fixed the sour cups", "the grinder was cleaned every Friday after close",
            "the new staff were pulling good shots in their first week", "water at 94 °C tasted sweeter",
            "{name} moved the retail shelf next to the till", "we tasted {n} coffees side by side",
            "the delivery size matched what they actually drank", "nobody wrote anything down before",
            "the filter menu paid for itself within a month", "regulars began replying to the newsletter",
        ],
        "joiners": [", and ", ", so ", ", but ", " once ", " because "],
        "headings": ["What changed", "The problem", "What they did", "The result", "Try it at home",
                     "What you need", "Step by step", "Why it works", "What's next"],
        "items": ["Weigh {n} g of coffee, not scoops", "Rinse the paper filter with hot water",
                  "Write down grind, time and taste", "Change only one thing at a time",
                  "Taste before you adjust", "Keep beans in an airtight tin", "Clean the group head daily",
                  "Use water you would happily drink", "Start the timer when you pour"],
        "links": ["the full recipe", "our Brew School lesson", "the wholesale programme", "the roast calendar",
                  "this short video"],
        "quotes": ["The sheet was the bit I expected staff to hate. It ended the arguments.",
                   "People don't want to be marketed at. They want to know who grew the coffee.",
                   "We doubled our morning trade without hiring anyone.",
                   "I stopped guessing and started tasting. That was the whole trick."],
        "titles": {"customer": ["How {name} turned {company} into a coffee destination",
                                "{name}: \"Our regulars actually reply now\"", "{company} cut waste by {n}%"],
                   "guide": ["Dial in espresso in {n} steps", "A three-brew way to find your grind",
                             "Keep beans tasting like roast week"],
                   "news": ["Brew School winter term opens", "A late roast batch, and what we changed",
                            "New single origin from Minas Gerais"],
                   "promo": ["{n}% off the festive blend for partners", "Free origin cards with every order"],
                   "reminder": ["Your free cupping seat is waiting", "{n} days left to use your voucher"]},
        "cta": ["Read the full story", "Book a seat", "Watch the lesson", "Order now", "See the recipe"],
        "metrics": ["Shots binned", "Retail bags a month", "Cups per day", "Open rate", "Time to result"],
        "case": ["each site pulled a different espresso and {n}% of shots were binned",
                 "all baristas took the espresso module and agreed one recipe",
                 "within ten weeks waste fell to {n}% and complaints stopped"],
        "issue": {"subject": "Hi {tag}, how our best customers spent the month",
                  "preheader": "A home brewer's cup log, a café that stopped binning shots, and one honest update.",
                  "you": "Here is what we picked for you this month.", "hello": "Hi {tag},", "sign": "The Cafezal team", "fallback": "there"},
    },
    "pt-BR": {
        "see": "Veja {link} para os detalhes.",
        "first": ["Juliana", "Rafael", "João", "Mariana", "Lucas", "Beatriz", "Thiago", "Camila"],
        "last": ["Costa", "Mendes", "Ribeiro", "Souza", "Oliveira", "Almeida", "Carvalho", "Lima"],
        "company": ["Café Aurora", "Casa Jangada", "Padaria {last}", "Torra {last}", "Empório São Bento"],
        "clauses": [
            "a equipe passou a pesar cada dose", "o movimento da manhã ficou mais tranquilo",
            "{name} anotava cada extração num caderno", "os shots descartados caíram {n} por cento",
            "o moedor passou a ser regulado pelo sabor", "os clientes começaram a pedir o coado do mês",
            "a água a 94 °C deixou a xícara mais doce", "todo mundo provou {n} cafés lado a lado",
            "o treino das terças durava só trinta minutos", "ninguém anotava nada antes",
            "a latte art melhorou em poucas semanas", "o leite que ia para o ralo virou treino",
        ],
        "joiners": [", e ", ", então ", ", mas ", " porque ", " quando "],
        "headings": ["O que mudou", "O problema", "O que eles fizeram", "O resultado", "Passo a passo",
                     "Do que você precisa", "Por que funciona"],
        "items": ["Pese {n} g de café", "Enxágue o filtro com água quente", "Anote moagem, tempo e sabor",
                  "Mude uma coisa de cada vez", "Prove antes de ajustar", "Guarde o café em pote fechado"],
        "links": ["a receita completa", "a aula da Brew School", "o programa de atacado", "este vídeo curto"],
        "quotes": ["A gente parou de chutar e começou a provar.", "Em doze semanas, todo mundo fazia rosetta.",
                   "O cliente percebe quando o café é o mesmo todo dia."],
        "titles": {"customer": ["Como {name} transformou o {company}", "{name}: \"o time inteiro evoluiu\"",
                                "{company} reduziu o desperdício em {n}%"],
                   "guide": ["Receita de espresso em {n} passos", "Guia de texturização de leite"],
                   "news": ["Throwdown em São Paulo com {n} vagas", "Novo café de Minas Gerais"],
                   "promo": ["{n}% de desconto no blend de festas"],
                   "reminder": ["Seu cupping gratuito está esperando", "Faltam {n} dias para usar seu voucher"]},
        "cta": ["Leia a história", "Garanta sua vaga", "Assista à aula", "Peça agora"],
        "metrics": ["Shots descartados", "Sacos vendidos por mês", "Xícaras por dia", "Taxa de abertura"],
        "case": ["cada barista fazia um espresso diferente e {n}% dos shots iam para o lixo",
                 "o time fez o módulo de espresso e combinou uma receita",
                 "em dez semanas o desperdício caiu para {n}%"],
        "issue": {"subject": "{tag}, o que a comunidade aprontou este mês",
                  "preheader": "Uma receita que o time inteiro repete e um throwdown com inscrições abertas.",
                  "you": "Separamos para você o melhor do mês.", "hello": "Olá, {tag}!", "sign": "Um abraço da equipe Cafezal", "fallback": "você"},
    },
    "ru": {
        "see": "Подробности — в разделе {link}.",
        "first": ["Анна", "Сергей", "Ольга", "Иван", "Мария", "Дмитрий", "Елена", "Алексей"],
        "last": ["Волкова", "Ким", "Смирнова", "Петров", "Орлова", "Соколов", "Ли", "Ковалёв"],
        "company": ["Кофейня «Зерно»", "Клуб «Воронка по субботам»", "Обжарка «Север»", "Кафе «{last}»"],
        "clauses": [
            "мы взвешивали каждую порцию целую неделю", "утренний поток стал заметно спокойнее",
            "каждую заварку записывали в тетрадь", "кислые чашки исчезли после более мелкого помола",
            "вода при 94 °C сделала вкус слаще", "мы попробовали {n} сорта кофе рядом",
            "новые гости стали приходить по субботам", "раньше никто ничего не записывал",
            "размер доставки совпал с тем, сколько они пьют", "кофемолку чистили каждую пятницу",
            "доля испорченных чашек упала на {n} процентов", "участники клуба теперь варят дома каждый день",
        ],
        "joiners": [", и ", ", поэтому ", ", но ", ", потому что ", ", когда "],
        "headings": ["Что изменилось", "Проблема", "Что сделали", "Результат", "Пять шагов",
                     "Что понадобится", "Зачем это всё"],
        "items": ["Взвесьте {n} г кофе", "Промойте фильтр горячей водой", "Запишите помол, время и вкус",
                  "Меняйте только одно за раз", "Пробуйте, прежде чем менять", "Храните зёрна в закрытой банке"],
        "links": ["полный рецепт", "урок Brew School", "видеоурок на русском", "календарь обжарки"],
        "quotes": ["Мы перестали гадать и начали пробовать.", "Точные граммы — не снобизм, а способ понять вкус.",
                   "Через год нас было уже сорок шесть человек."],
        "titles": {"customer": ["{name}: кофейный клуб по субботам", "{name}: «дома вкуснее, чем в кафе»",
                                "{company}: минус {n}% отходов"],
                   "guide": ["Первая воронка за {n} шагов", "Гид по воде для фильтра"],
                   "news": ["Новый набор в Brew School", "Запоздавшая обжарка: что мы изменили"],
                   "promo": ["Скидка {n}% на праздничный бленд"],
                   "reminder": ["Ваш бесплатный каппинг ждёт", "Осталось {n} дней, чтобы использовать ваучер"]},
        "cta": ["Читать историю", "Записаться", "Смотреть урок", "Заказать"],
        "metrics": ["Испорченные чашки", "Участников клуба", "Чашек в день", "Открываемость"],
        "case": ["каждый бариста варил по-своему и {n}% порций уходили в мусор",
                 "вся команда прошла модуль по эспрессо и договорилась об одном рецепте",
                 "за десять недель отходы снизились до {n}%"],
        "issue": {"subject": "{tag}, как наше сообщество провело этот месяц",
                  "preheader": "История кофейного клуба из Алматы и простой рецепт для воронки на каждый день.",
                  "you": "Ниже — истории, которые мы выбрали для вас.", "hello": "Привет, {tag}!", "sign": "Команда Cafezal", "fallback": "друг"},
    },
    "zh-CN": {
        "see": "详情请看{link}。",
        "first": ["芳", "伟", "敏", "洋", "静", "磊", "丽", "涛"],
        "last": ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"],
        "company": ["小巷咖啡", "山城咖啡馆", "{last}家烘焙坊", "南门咖啡实验室", "晨光咖啡"],
        "clauses": [
            "我们连续一周称量每一份粉量", "早高峰明显变得从容", "{name}把每次冲煮都记在卡片上",
            "研磨调细之后酸涩消失了", "九十四度的水让咖啡更甜", "我们并排品尝了{n}款咖啡",
            "新员工第一周就能做出稳定的浓缩", "以前没有人做任何记录", "倒掉的浓缩减少了百分之{n}",
            "熟客开始主动回复我们的邮件", "每周五打烊后都会清洁磨豆机", "配送量终于和实际饮用量一致",
        ],
        "joiners": ["，而且", "，所以", "，但是", "，因为", "，于是"],
        "headings": ["发生了什么变化", "问题", "他们做了什么", "结果", "分步指南", "你需要准备", "为什么有效"],
        "items": ["称量{n}克咖啡粉", "用热水冲洗滤纸", "记录研磨度、时间和风味", "每次只改变一个变量",
                  "先品尝再调整", "把咖啡豆放在密封罐里"],
        "links": ["完整配方", "咖啡学堂课程", "批发合作计划", "这段短视频"],
        "quotes": ["我不再靠猜，而是开始认真品尝。", "精确的克数不是讲究，而是理解风味的方法。",
                   "我们没有多雇一个人，早市营业额翻了一倍。"],
        "titles": {"customer": ["{name}如何让{company}成为咖啡目的地", "{name}：“熟客真的会回信了”",
                                "{company}把浪费减少了{n}%"],
                   "guide": ["{n}步调好你的浓缩", "三次冲煮找到合适研磨度"],
                   "news": ["咖啡学堂冬季班开始报名", "新到巴西单一产区咖啡"],
                   "promo": ["节日拼配豆{n}折优惠"],
                   "reminder": ["你的免费杯测名额还在等你", "你的杯测券还有{n}天有效"]},
        "cta": ["阅读完整故事", "立即预约", "观看课程", "马上订购"],
        "metrics": ["倒掉的浓缩", "每月零售袋数", "每日杯数", "打开率"],
        "case": ["每家门店的浓缩味道都不同，{n}%的浓缩被倒掉", "所有咖啡师参加了浓缩课程并统一了配方",
                 "十周之内浪费降到{n}%，投诉也消失了"],
        "issue": {"subject": "{tag}，看看我们最好的顾客这个月做了什么",
                  "preheader": "一位家庭咖啡爱好者的冲煮记录、一家不再倒掉浓缩的咖啡馆，以及一份坦诚的更新。",
                  "you": "下面是我们这个月为你挑选的内容。", "hello": "{tag}，你好！", "sign": "Cafezal 团队", "fallback": "朋友"},
    },
}

#: Section titles shared by every issue, per locale (issues give all four; each variant picks its own).
SECTIONS = [
    {"en": "From our community", "pt-BR": "Da nossa comunidade", "ru": "Из нашего сообщества", "zh-CN": "来自我们的社区"},
    {"en": "Brew better", "pt-BR": "Prepare melhor", "ru": "Варим лучше", "zh-CN": "冲得更好"},
    {"en": "What's new", "pt-BR": "Novidades", "ru": "Что нового", "zh-CN": "最新消息"},
    {"en": "Don't leave it unused", "pt-BR": "Não deixe de usar", "ru": "Не оставляйте без дела", "zh-CN": "别忘了使用"},
]

#: Customer archetypes: (id stem, name, stages, interests).
ARCHETYPES = [
    ("new-subscribers", "New subscribers", ["onboarding"], ["brewing-basics", "equipment", "subscription"]),
    ("cafe-owners", "Café owners", ["retention", "advocacy"], ["wholesale", "espresso", "staff-training", "menu"]),
    ("baristas", "Baristas", ["nurture", "retention"], ["espresso", "latte-art", "community"]),
    ("home-brewers", "Home brewers", ["onboarding", "nurture"], ["brewing-basics", "filter", "equipment"]),
    ("office-managers", "Office managers", ["acquisition", "retention"], ["wholesale", "equipment", "menu"]),
    ("lapsed-subscribers", "Lapsed subscribers", ["retention"], ["subscription", "filter", "community"]),
    ("gift-buyers", "Gift buyers", ["reach", "acquisition"], ["subscription", "equipment"]),
    ("roasters", "Partner roasters", ["advocacy"], ["wholesale", "community", "espresso"]),
]

#: Audience locales in the order audiences are created: English first, then a mix.
LOCALE_CYCLE = ["en", "pt-BR", "ru", "zh-CN", "en", "pt-BR", "en", "ru", "zh-CN", "en"]

#: newsletter.toml of the synthetic project: the example project's settings.
CONFIG = """\
# Synthetic benchmark project (benchmarks/generate.py), modelled on the example project.
[project]
base_url = "https://news.cafezal.example"
default_locale = "en"

[brand]
name = "Cafezal Roasters"
website = "https://cafezal.example"
logo = "https://cdn.cafezal.example/brand/cafezal-logo-white.png"
logo_alt = "Cafezal Roasters"
logo_width = 180
font = "'Helvetica Neue', Helvetica, Arial, sans-serif"

[brand.colors]
primary = "#6b3e26"
accent = "#c7782f"
background = "#f6f1eb"
surface = "#ffffff"
text = "#2b2118"
muted = "#7a6a5d"

[sender]
name = "Marina at Cafezal"
email = "community@cafezal.example"
reply_to = "marina@cafezal.example"

[list]
id = "community.cafezal.example"
name = "Cafezal Community"
unsubscribe_url = "https://cafezal.example/email/unsubscribe?t={token}"
postal_address = "Cafezal Roasters Ltda., Rua Fradique Coutinho 1200, Pinheiros, São Paulo - SP, 05416-001, Brazil"

[utm]
source = "cafezal-newsletter"
medium = "email"

[loyalty]
tiers = ["bronze", "silver", "gold", "platinum"]
top_tiers = ["gold", "platinum"]
"""
