"""customers.sources: which export files a project has, without loading the data engine."""

import subprocess
import sys

from newsletter.content.customer_settings import CustomerSettings
from newsletter.customers.sources import DEFAULT_FILE, data_files, has_data


def test_named_files_win_and_the_default_counts_only_when_present(tmp_path):
    assert data_files(tmp_path, CustomerSettings()) == [] and not has_data(tmp_path, CustomerSettings())
    (tmp_path / "content").mkdir()
    (tmp_path / DEFAULT_FILE).write_text("id,name\n", encoding="utf-8")
    assert data_files(tmp_path, CustomerSettings()) == [DEFAULT_FILE]
    named = CustomerSettings(files=["data/a.csv", "data/b.parquet"])
    assert data_files(tmp_path, named) == ["data/a.csv", "data/b.parquet"] and has_data(tmp_path, named)


def test_a_build_without_customer_data_never_loads_duckdb(minimal):
    code = ("import sys; from newsletter.build import build; build(sys.argv[1], cache=False); "
            "print('duckdb' in sys.modules, 'sqlglot' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(minimal)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
