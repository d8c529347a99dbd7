"""Sample recipients made from customer data, and the customers page for the preview."""

import re
import shutil
from datetime import date
from pathlib import Path


from newsletter.build import load
from newsletter.preview.customers_page import render_customers_page
from newsletter.customers.samples_from_data import FAKE_FIRST_NAMES, samples_from_project
from newsletter.core.merge import parse, plain
from newsletter.content.samples import Sample

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 10, 5)
REAL_NAMES = ["Tom", "Baker", "Ruth", "Arjun", "Helen", "Dave", "Nina", "Owen", "林梅", "王强", "陈静"]


def samples_from_data(root, **options):
    project, _ = load(Path(root))
    return samples_from_project(project, **options)


def test_anonymised_samples_keep_the_situation_not_the_person(basic):
    samples = samples_from_data(basic, today=TODAY)  # [customers] anonymise defaults to true
    assert all(isinstance(s, Sample) for s in samples)
    dumped = " ".join(s.model_dump_json() for s in samples)
    assert "@" not in dumped and not any(name in dumped for name in REAL_NAMES)
    by_id = {s.id: s for s in samples}
    # One sample per audience and situation: Nina (unused voucher, behind) and Owen (unused
    # voucher, on track) differ from the long-standing customers.
    situations = {(s.audiences[0], s.unused_benefits, s.onboarding_behind) for s in samples}
    assert ("new-readers", True, True) in situations and ("new-readers", True, False) in situations
    assert ("new-readers", False, False) in situations
    first = by_id["data-new-readers-1"]
    assert first.first_name in FAKE_FIRST_NAMES["en"] and first.locale == "en"
    chinese = [s for s in samples if s.audiences == ["book-clubs"]]
    assert chinese and all(s.first_name in FAKE_FIRST_NAMES["zh"] for s in chinese)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", s.id) for s in samples)


def test_real_samples_when_asked(basic):
    project, _ = load(basic)
    samples = samples_from_project(project, anonymise=False, today=TODAY, representative=False)
    assert len(samples) == 10
    tom = samples[0]
    assert (tom.id, tom.first_name, tom.last_name, tom.company) == (
        "customer-l-1", "Tom", "Baker", "Baker & Daughters")
    nina = next(s for s in samples if s.first_name == "Nina")
    assert nina.unused_benefits and nina.onboarding_behind and nina.audiences == ["new-readers"]
    assert "@" not in " ".join(s.model_dump_json() for s in samples)


def test_samples_drive_the_conditional_blocks(basic):
    project, _ = load(basic)
    nina = next(s for s in samples_from_project(project, anonymise=False, today=TODAY)
                if s.first_name == "Nina")
    text = parse("{% if unused_benefits %}Your voucher is waiting.{% endif %}"
                 "{% if onboarding_behind %} Need a hand?{% endif %}")
    assert plain(text, nina.data()) == "Your voucher is waiting. Need a hand?"


def test_no_data_no_samples(tmp_path):
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    assert samples_from_data(root) == []


def test_customers_page_has_charts_and_no_contact_details(basic):
    page = render_customers_page(basic, today=TODAY)
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert page.count("<svg") == 2
    assert 'aria-label="Customers per loyalty tier"' in page and 'aria-label="NPS split per audience"' in page
    assert "<title>platinum: 4</title>" in page
    assert "<title>new-readers: 4 promoters</title>" not in page  # labelled by audience name
    assert "<title>New readers: 4 promoters</title>" in page
    assert "Baker &amp; Daughters" in page and "£261,200.00" in page
    assert "@" not in page


def test_customers_page_for_a_project_without_data_or_with_errors(tmp_path):
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    assert "No customer data" in render_customers_page(root)
    (root / "newsletter.toml").write_text("[project\n", encoding="utf-8")
    page = render_customers_page(root)
    assert "The project has problems" in page and "newsletter.toml:1" in page
