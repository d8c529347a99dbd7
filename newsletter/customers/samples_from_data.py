"""Sample recipients for previews and test sends, made from customer data.

Each sample carries what the merge tags and conditional blocks read: first name, company,
unused benefits, onboarding behind, the audience. Anonymised samples (the default,
`[customers] anonymise`) get a made-up first name and company in the customer's
language and no email ever: the preview shows real situations, not real people.
"""

from __future__ import annotations

from datetime import date

from ..content.samples import Sample
from ..core.diagnostics import Diagnostics
from .data import load_customer_data
from .metrics import Profile
from .suggest import slugify

FAKE_FIRST_NAMES: dict[str, list[str]] = {
    "en": ["Alex", "Sam", "Jordan", "Casey", "Robin", "Morgan", "Jamie", "Taylor"],
    "pt": ["Ana", "João", "Mariana", "Pedro", "Beatriz", "Lucas", "Carla", "Rafael"],
    "ru": ["Ольга", "Иван", "Мария", "Алексей", "Елена", "Николай", "Татьяна", "Павел"],
    "zh": ["小明", "小红", "李华", "王芳", "张伟", "刘洋", "陈静", "杨帆"],
}
FAKE_COMPANIES: dict[str, list[str]] = {
    "en": ["Example Espresso Bar", "Sample Street Café", "Demo Bakery"],
    "pt": ["Café Exemplo", "Padaria Modelo", "Cafeteria Teste"],
    "ru": ["Кофейня «Пример»", "Пекарня «Образец»", "Кафе «Демо»"],
    "zh": ["示例咖啡馆", "样本面包房", "演示书店"],
}


def _pick(options: dict[str, list[str]], locale: str, index: int) -> str:
    names = options.get(locale.split("-")[0], options["en"])
    return names[index % len(names)]


def _representative(profiles: list[Profile]) -> list[Profile]:
    """One customer per audience and situation, so every branch of every block is seen."""
    chosen: dict[tuple, Profile] = {}
    for p in profiles:
        situation = (p.audience, p.unused_benefits > 0, p.onboarding_behind, bool(p.record.first_name),
                     bool(p.record.company))
        chosen.setdefault(situation, p)
    return list(chosen.values())


def samples_from_profiles(profiles: list[Profile], *, anonymise: bool = True,
                          representative: bool = True) -> list[Sample]:
    """Samples in profile order; `representative` keeps one per audience and situation."""
    picked = _representative(profiles) if representative else list(profiles)
    samples = []
    counts: dict[str, int] = {}
    for p in picked:
        record = p.record
        flags = [f for f, on in (("unused benefits", p.unused_benefits > 0),
                                 ("onboarding behind", p.onboarding_behind)) if on]
        situation = ", ".join([p.tier or "no tier", *flags])
        audiences = [p.audience] if p.audience else None
        if anonymise:
            group = p.audience or "any"
            n = counts[group] = counts.get(group, 0) + 1
            samples.append(Sample(
                id=f"data-{group}-{n}"[:64], description=f"made up, from customer data: {situation}",
                first_name=_pick(FAKE_FIRST_NAMES, p.locale, n - 1) if record.first_name else None,
                company=_pick(FAKE_COMPANIES, p.locale, n - 1) if record.company else None,
                locale=p.locale, unused_benefits=p.unused_benefits > 0,
                onboarding_behind=p.onboarding_behind, audiences=audiences))
            continue
        last = None
        if record.first_name and record.name.startswith(record.first_name + " "):
            last = record.name[len(record.first_name) + 1:]
        samples.append(Sample(
            id=f"customer-{slugify(record.id) or len(samples) + 1}"[:64],
            description=f"{record.name} ({record.location}): {situation}",
            first_name=record.first_name, last_name=last, company=record.company, locale=p.locale,
            unused_benefits=p.unused_benefits > 0, onboarding_behind=p.onboarding_behind,
            audiences=audiences))
    return samples


def samples_from_project(project, *, anonymise: bool | None = None, today: date | None = None,
                         representative: bool = True,
                         diagnostics: Diagnostics | None = None) -> list[Sample]:
    """Samples from the project's customer data; [] when it has none.

    `anonymise` None follows `[customers] anonymise`; `today` (default: today) is the day
    onboarding progress is judged on.
    """
    data = load_customer_data(project, diagnostics)
    if data is None:
        return []
    if anonymise is None:
        anonymise = data.settings.anonymise
    on = today or date.today()
    if not representative:
        return samples_from_profiles(data.profiles(on), anonymise=anonymise, representative=False)
    # One customer per audience and situation, picked by the engine (the first in the export).
    table = data.engine.profiles_table(on)
    firsts = (f"_order IN (SELECT min(_order) FROM {table} GROUP BY audience, unused_benefits > 0, "
              "onboarding_behind, first_name IS NOT NULL, company IS NOT NULL)")
    return samples_from_profiles(data.profile_rows(on, firsts), anonymise=anonymise)
