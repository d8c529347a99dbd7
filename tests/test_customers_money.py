"""Money in SQL is written exactly as babel writes it, for every locale with even grouping."""

from decimal import Decimal

import duckdb
import pytest

from newsletter.customers.metrics import format_money
from newsletter.customers.money import money_sql


@pytest.mark.parametrize("locale", ["en", "pt-BR", "ru", "zh-CN", "ar", "fr", "de-CH"])
@pytest.mark.parametrize("currency", ["USD", "BRL", "RUB", "JPY"])
def test_money_in_sql_is_written_like_babel(locale, currency):
    # Beside the everyday amounts: more digits than the engine keeps (10), halves to round to
    # even, and amounts on both sides of 10^8, where the SQL rounds a wider kind of decimal.
    amounts = ["0", "0.5", "12.345", "999.995", "1234.5", "50000", "1234567.891", "98765432.1",
               "0.125", "2.675", "1.00500000000001", "99999999.995", "99999999.99999999999",
               "100000000.005", "123456789012.345", None]
    sql = money_sql("v", currency, locale)
    if locale == "de-CH":
        # Babel groups de-CH's 1'234.50 but not 1234567.89: a pattern cannot match it, so the
        # engine leaves those amounts to babel (the report then calls babel per customer).
        assert sql is None
        return
    con = duckdb.connect()
    got = [row[0] for row in con.execute(
        f"SELECT {sql} FROM (SELECT unnest($a) AS v, generate_subscripts($a, 1) AS i) ORDER BY i",
        {"a": amounts}).fetchall()]
    assert got == [format_money(None if a is None else Decimal(a).quantize(Decimal("1e-10")), currency, locale)
                   for a in amounts]


def test_uneven_grouping_is_left_to_babel():
    assert money_sql("x", "INR", "hi") is None
