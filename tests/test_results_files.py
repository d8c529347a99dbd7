"""Finding result exports in a project, and capping repeated problems."""

from __future__ import annotations

from pathlib import Path

from newsletter.core.diagnostics import Diagnostic, Diagnostics, Location, Severity
from newsletter.results.files import capped, find_results

ISSUES, AUDIENCES = {"2026-10", "2026-11"}, {"new-subscribers", "cafe-owners"}


def test_finds_exports_by_issue_provider_and_audience(tmp_path: Path):
    folder = tmp_path / "content/results/2026-10"
    folder.mkdir(parents=True)
    (folder / "sendgrid-cafe-owners.json").write_text('[{"event": "delivered", "email": "a@example.com"}]')
    (folder / "customers-before.csv").write_text("id,name\n")
    diagnostics = Diagnostics()
    found = find_results(tmp_path, ISSUES, AUDIENCES, diagnostics)
    assert diagnostics.items == []
    (file,) = found["2026-10"].files
    assert (file.path, file.provider, file.audience, len(file.events)) == (
        "content/results/2026-10/sendgrid-cafe-owners.json", "sendgrid", "cafe-owners", 1)
    assert found["2026-10"].customer_exports == {"customers-before": "content/results/2026-10/customers-before.csv"}


def test_bad_names_are_reported(tmp_path: Path):
    (tmp_path / "content/results/1999-01").mkdir(parents=True)
    folder = tmp_path / "content/results/2026-11"
    folder.mkdir()
    (folder / "sendgrid-nobody.json").write_text("[]")
    (folder / "mailchimp-cafe-owners.json").write_text("[]")
    (folder / "notes.txt").write_text("")
    diagnostics = Diagnostics()
    found = find_results(tmp_path, ISSUES, AUDIENCES, diagnostics)
    assert found["2026-11"].files == []
    lines = sorted(str(d) for d in diagnostics.items)
    assert lines[0].startswith("content/results/1999-01: error: no issue '1999-01'")
    assert lines[1] == ("content/results/2026-11/mailchimp-cafe-owners.json: error: mailchimp exports are "
                        "read as .csv files [results-file]")
    assert "not a results file" in lines[2] and "notes.txt" in lines[2]
    assert "not a results file" in lines[3] and "sendgrid-nobody.json" in lines[3]


def test_exports_are_read_with_or_without_a_byte_order_mark_and_bad_bytes_located(tmp_path: Path):
    folder = tmp_path / "content/results/2026-10"
    folder.mkdir(parents=True)
    (folder / "sendgrid-cafe-owners.json").write_bytes(
        b'\xef\xbb\xbf[{"event": "delivered", "email": "a@example.com"}]')
    (folder / "sendgrid-new-subscribers.json").write_bytes(b'[\n{"event": "caf\xe9"}]')
    diagnostics = Diagnostics()
    found = find_results(tmp_path, ISSUES, AUDIENCES, diagnostics)
    (file,) = found["2026-10"].files
    assert file.audience == "cafe-owners" and len(file.events) == 1
    assert [str(d) for d in diagnostics.items] == [
        "content/results/2026-10/sendgrid-new-subscribers.json:2:15: error: not UTF-8 text "
        "(invalid continuation byte); export it again as UTF-8 (in a spreadsheet: CSV UTF-8) [encoding]"]


def test_no_results_folder_is_not_an_error(tmp_path: Path):
    diagnostics = Diagnostics()
    assert find_results(tmp_path, ISSUES, AUDIENCES, diagnostics) == {} and diagnostics.items == []


def test_capped_keeps_the_first_of_each_kind_then_counts():
    items = [Diagnostic(Severity.ERROR, f"row {n}", Location("f.json", n), "results-row") for n in range(1, 9)]
    items.append(Diagnostic(Severity.WARNING, "other", Location("f.json", 9), "results-survey"))
    shown = capped(items, 3)
    assert [d.message for d in shown[:4]] == ["row 1", "row 2", "row 3", "other"]
    assert shown[4].message.startswith("5 more problem(s) of this kind") and shown[4].code == "results-row"
    assert len(shown) == 5
