"""The metric definitions as SQL: the DuckDB form run on the fixture gives the engine's
results, and each transpiled form parses in its own dialect."""

from datetime import date

import duckdb
import pytest
import sqlglot
from click.testing import CliRunner

from newsletter.build import load
from newsletter.cli import main
from newsletter.customers.data import load_customer_data
from newsletter.customers.queries import expected_progress_sql, for_dialect, metrics_sql, tier_sql
from newsletter.content.customer_settings import CustomerSettings, TierRule

DAY = date(2026, 10, 5)


def test_duckdb_form_run_on_the_fixture_gives_the_engines_tiers(basic):
    project, _ = load(basic)
    data = load_customer_data(project)
    expected = {p.id: (p.tier, p.group, p.unused_benefits, p.onboarding_behind) for p in data.profiles(DAY)}
    # A plain DuckDB table with our field names, as a warehouse would hold it.
    con = duckdb.connect()
    con.execute("CREATE TABLE customers AS SELECT * FROM read_csv($p, header=true)",
                {"p": str(basic / "content/customers.csv")})
    sql = metrics_sql(project, "duckdb").replace("CURRENT_DATE", f"DATE '{DAY.isoformat()}'")
    statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    con.execute(statements[0].sql(dialect="duckdb"))  # CREATE VIEW profiles
    got = {row[0]: tuple(row[1:]) for row in con.execute(
        "SELECT id, computed_tier, nps_group, unused_benefits, onboarding_behind FROM profiles").fetchall()}
    assert got == expected
    nps = {row[0]: row[1:] for row in con.execute(statements[1].sql(dialect="duckdb")).fetchall()}
    assert nps[None][4:] == (9, 100 * (5 - 2) / 9)  # overall: respondents and score
    ladder = dict((row[0], row[1]) for row in con.execute(statements[2].sql(dialect="duckdb")).fetchall())
    assert ladder == {"platinum": 4, "gold": 2, "silver": 2, "bronze": 2}


@pytest.mark.parametrize("dialect", ["spark", "bigquery", "snowflake", "postgres", "databricks"])
def test_each_transpiled_form_parses_in_its_dialect(basic, dialect):
    project, _ = load(basic)
    sql = metrics_sql(project, dialect)
    parsed = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    assert len(parsed) == 3
    assert "computed_tier" in sql and "onboarding_behind" in sql and "'platinum'" in sql


def test_unknown_dialect():
    with pytest.raises(ValueError, match="unknown SQL dialect 'cobol'"):
        for_dialect("cobol", CustomerSettings(), {}, "en")


def test_cli_prints_sql_for_a_dialect(basic):
    result = CliRunner().invoke(main, ["customers", "-p", str(basic), "--sql", "bigquery"])
    assert result.exit_code == 0, result.output
    assert "CREATE VIEW profiles AS" in result.output and "DATE_DIFF(" in result.output
    bad = CliRunner().invoke(main, ["customers", "-p", str(basic), "--sql", "cobol"])
    assert bad.exit_code == 2 and "unknown SQL dialect" in bad.output


def test_rule_and_curve_fragments():
    settings = CustomerSettings(tiers=[TierRule(name="gold", min_ltv=10, audiences=["trade"]),
                                       TierRule(name="bronze")], tier_source="export")
    assert tier_sql(settings) == ("CASE WHEN tier IS NOT NULL THEN tier WHEN audience IN ('trade') AND "
                                  "ROUND(ltv, 6) >= 10.0 THEN 'gold' WHEN TRUE THEN 'bronze' END")
    con = duckdb.connect()
    curve = expected_progress_sql({7: 20, 30: 50, 90: 100})
    got = [con.execute(f"SELECT {curve} FROM (SELECT {d} AS day_number)").fetchone()[0]
           for d in (-1, 0, 3, 7, 60, 90, 91)]
    assert got == [None, 0.0, pytest.approx(20 * 3 / 7), 20.0, 75.0, 100.0, None]
