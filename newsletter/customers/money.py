"""Money written the way a language writes it: babel in Python, and the same pattern as SQL.

`format_money` formats one amount with babel. `money_sql` turns babel's pattern for a
locale and currency into a SQL expression, so a report of a million customers is
formatted by the engine, not by a million babel calls; the tests compare both.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import (format_currency, get_currency_precision, get_currency_symbol,
                           get_decimal_symbol, get_group_symbol)

from .queries import literal


def format_money(amount: Decimal | float | None, currency: str, locale: str) -> str:
    """`amount` in `currency`, written the way `locale` writes money; an en dash when unknown."""
    if amount is None:
        return "–"
    return format_currency(amount, currency, locale=locale.replace("-", "_"))


def money_sql(text: str, currency: str, locale: str) -> str | None:
    """SQL writing the non-negative amount `text` (SQL giving its decimal text, such as the
    engine's ltv_text) like format_money; None when the locale groups digits unevenly
    (hi: 12,34,567), which only babel itself writes."""
    tag = locale.replace("-", "_")
    pattern = Locale.parse(tag).currency_formats["standard"]
    if tuple(pattern.grouping) != (3, 3):
        return None
    digits = get_currency_precision(currency)
    symbol = get_currency_symbol(currency, tag)
    prefix = pattern.prefix[0].replace("¤", symbol)
    suffix = pattern.suffix[0].replace("¤", symbol)
    decimal, group = get_decimal_symbol(tag), get_group_symbol(tag)
    if not _babel_agrees(currency, tag, digits, prefix, suffix, decimal, group):
        return None
    # Rounded as a DECIMAL(18, 10) (64-bit) when the amount fits one (below 10^8), and as a
    # DECIMAL(38, 10) otherwise: the same value, but rounding the 128-bit kind cost 0.2 CPU-s
    # at a million customers. COALESCE reaches its second argument only for the rows left.
    rounded = (f"coalesce(round_even(TRY_CAST({text} AS DECIMAL(18, 10)), {digits}), "
               f"round_even(CAST({text} AS DECIMAL(38, 10)), {digits}))")
    number = f"format('{{:,.{digits}f}}', CAST({rounded} AS DOUBLE))"
    # fmt writes 1,234.50: swap in the locale's separators (through a placeholder when both
    # change), and only those that differ.
    if decimal != ".":
        number = f"replace({number}, ',', chr(1))" if group != "," else number
        number = f"replace({number}, '.', {literal(decimal)})"
        number = f"replace({number}, chr(1), {literal(group)})" if group != "," else number
    elif group != ",":
        number = f"replace({number}, ',', {literal(group)})"
    return f"CASE WHEN {text} IS NULL THEN '–' ELSE {literal(prefix)} || {number} || {literal(suffix)} END"


#: Amounts on which babel's output is compared with the pattern the SQL writes.
_PROBES = ("0", "0.5", "999.995", "1234.5", "50000", "1234567.891", "98765432.1")


def _babel_agrees(currency: str, tag: str, digits: int, prefix: str, suffix: str, decimal: str,
                  group: str) -> bool:
    """Whether babel writes the probe amounts exactly as the regular pattern would (some
    locales' data make babel group some amounts and not others; those stay with babel)."""
    for probe in _PROBES:
        amount = Decimal(probe).quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_EVEN")
        number = f"{amount:,.{digits}f}".replace(",", "\x01").replace(".", decimal).replace("\x01", group)
        if format_currency(Decimal(probe), currency, locale=tag) != f"{prefix}{number}{suffix}":
            return False
    return True
