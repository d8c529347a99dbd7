"""Money written the way a language writes it: babel in Python, and the same pattern as SQL.

`format_money` formats one amount with babel. `money_sql` turns babel's pattern for a
locale and currency into a SQL expression, so a report of a million customers is
formatted by the engine, not by a million babel calls; the tests compare both.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_precision, get_currency_symbol

from .queries import literal


def format_money(amount: Decimal | float | None, currency: str, locale: str) -> str:
    """`amount` in `currency`, written the way `locale` writes money; an en dash when unknown."""
    if amount is None:
        return "–"
    return format_currency(amount, currency, locale=locale.replace("-", "_"))


def money_sql(amount: str, currency: str, locale: str) -> str | None:
    """SQL writing the non-negative DECIMAL `amount` like format_money; None when the locale
    groups digits unevenly (hi: 12,34,567), which only babel itself writes."""
    tag = locale.replace("-", "_")
    pattern = Locale.parse(tag).currency_formats["standard"]
    if tuple(pattern.grouping) != (3, 3):
        return None
    digits = get_currency_precision(currency)
    symbol = get_currency_symbol(currency, tag)
    prefix = pattern.prefix[0].replace("¤", symbol)
    suffix = pattern.suffix[0].replace("¤", symbol)
    decimal, group = _separators(currency, tag)
    if decimal is None:
        return None
    number = f"format('{{:,.{digits}f}}', CAST(round_even({amount}, {digits}) AS DOUBLE))"
    # fmt writes 1,234.50: swap in the locale's separators through a placeholder.
    number = (f"replace(replace(replace({number}, ',', chr(1)), '.', {literal(decimal)}), chr(1), "
              f"{literal(group)})")
    return f"CASE WHEN {amount} IS NULL THEN '–' ELSE {literal(prefix)} || {number} || {literal(suffix)} END"


def _separators(currency: str, tag: str) -> tuple[str | None, str]:
    """The decimal and group separators babel writes for this currency and locale, read off a
    probe amount (a locale may use other separators for money than for numbers, or none)."""
    probe = format_currency(Decimal("1234567.25"), currency, locale=tag, currency_digits=False,
                            format="#,##0.00")
    digits = "".join(ch for ch in probe if ch.isdigit())
    if digits != "123456725":
        return None, ""  # other digits (Arabic-Indic, ...): only babel writes them
    between = probe[probe.index("1") + 1:probe.index("2")]
    before_cents = probe[probe.index("7") + 1:probe.rindex("2")]
    return before_cents, between
