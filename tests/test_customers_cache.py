"""The customer-data cache: an unchanged export is read from Parquet, a changed one is not,
and the folder is safe to delete."""

import shutil

from newsletter.build import load
from newsletter.customers.cache import CACHE_DIR
from newsletter.customers.data import load_customer_data

from .conftest import edit


def _project(root):
    project, _ = load(root)
    return project


def test_unchanged_export_is_read_from_the_cache_and_a_change_is_not(basic):
    project = _project(basic)
    first = load_customer_data(project)
    cached = list((basic / CACHE_DIR).glob("*.parquet"))
    assert len(cached) == 1
    second = load_customer_data(project)
    # The second read maps the Parquet copy instead of reading the CSV.
    kind = second.engine.con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'customers'").fetchone()[0]
    assert kind == "VIEW"
    assert [r.id for r in second.records] == [r.id for r in first.records]
    edit(basic / "content/customers.csv", "L-9,Nina Shah", "L-9,Nina Shaw")
    third = load_customer_data(project)
    assert "Nina Shaw" in [r.name for r in third.records]
    assert len(list((basic / CACHE_DIR).glob("*.parquet"))) == 2
    shutil.rmtree(basic / CACHE_DIR)  # safe to delete: the next read rebuilds it
    assert [r.name for r in load_customer_data(project).records] == [r.name for r in third.records]
