"""The results page for the preview: charts, counts, no addresses, and its route."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

from newsletter.preview.app import Preview
from newsletter.results.page import render_results_page


def test_example_page_has_charts_and_no_addresses(repo: Path):
    page = render_results_page(repo)
    assert page.count("<svg") >= 3 and 'role="img"' in page
    assert "Benefit redemption" in page and "social proof" in page
    assert "@" not in page.replace("@media", "")  # no recipient address anywhere
    assert "<script" not in page


def test_page_without_results_says_where_to_put_them(example: Path):
    shutil.rmtree(example / "content/results")
    assert "No results yet" in render_results_page(example)


def test_page_lists_problems(example: Path):
    (example / "content/results/2026-10/sendgrid-nobody.json").write_text("[]", encoding="utf-8")
    page = render_results_page(example)
    assert "Problems in the result files" in page and "sendgrid-nobody.json" in page


def test_preview_serves_the_page(example: Path):
    with Preview(example, port=0, watch=False) as preview:
        with urllib.request.urlopen(preview.url + "results") as response:
            assert response.status == 200
            assert "results</title>" in response.read().decode("utf-8")
