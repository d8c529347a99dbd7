"""Personal data stays out of build output: no customer email, score or value in any file.

The fixture's checks do read the customer data (tiers and consent), so the report is where
a leak would show first; a story with a wrong tier makes sure findings are written.
"""

import csv
import re
from decimal import Decimal
from pathlib import Path


from newsletter.build import build
from newsletter.customers.metrics import format_money

from .conftest import edit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _rows(root):
    with (root / "content/customers.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _forbidden(root) -> list[str]:
    """Strings that must never reach build/: emails, the word NPS, every customer's value."""
    rows = _rows(root)
    needles = [row["email"] for row in rows] + ["nps", "net promoter", "lifetime"]
    for row in rows:
        value = Decimal(row["purchases_per_year"]) * Decimal(row["average_order_value"]) * Decimal(row["expected_years"])
        needles += [format_money(value, "GBP", "en"), format_money(value, "GBP", "zh-CN"), f"{value:,}"]
    return needles


def _scan(out: Path, needles: list[str]) -> list[tuple[str, str]]:
    leaks = []
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files, "the build wrote nothing"
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace").casefold()
        # .eml parts are quoted-printable or base64: decode a plain copy as well.
        if path.suffix == ".eml":
            import email
            from email import policy

            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            text += "".join(part.get_content() for part in message.walk()
                            if part.get_content_maintype() == "text").casefold()
        leaks += [(path.relative_to(out).as_posix(), n) for n in needles if _contains(text, n.casefold())]
    return leaks


def _contains(text: str, needle: str) -> bool:
    """A bare amount ("800") counts only as a whole number, not inside a file size like 21800."""
    if re.fullmatch(r"[\d.,]+", needle):
        return re.search(rf"(?<![\d.,]){re.escape(needle)}(?![\d.,])", text) is not None
    return needle in text


def test_fixture_has_customer_data_that_the_checks_use(basic):
    rows = _rows(basic)
    assert len(rows) == 10 and all("@" in row["email"] and row["nps"] is not None for row in rows)


def test_no_personal_data_in_any_build_output(basic):
    result = build(basic)
    assert {"manifest.json", "report.json", "index.html"} <= set(result.files)
    assert _scan(basic / "build", _forbidden(basic)) == []


def test_no_personal_data_in_check_findings_either(basic):
    edit(basic / "content/stories/mei-spotlight.md", "tier: gold", "tier: platinum")
    edit(basic / "content/customers.csv", "2026-01-01,2027-01-01", "2025-01-01,2026-09-30")
    result = build(basic)
    report = (basic / "build/report.json").read_text(encoding="utf-8")
    assert "q1-tier-from-data" in report and "content/customers.csv:3" in report  # findings written
    assert result.report.errors >= 1
    assert _scan(basic / "build", _forbidden(basic)) == []


def test_the_scan_would_catch_a_leak(basic):
    """Guard against a scan that passes because it looks nowhere: an address typed into a story."""
    edit(basic / "content/stories/tom-testimonial.md", "Tom joined our subscription",
         "Write to tom@baker.lumen-customer.example. Tom joined our subscription")
    build(basic)
    leaks = _scan(basic / "build", _forbidden(basic))
    files = {path for path, needle in leaks if needle == "tom@baker.lumen-customer.example"}
    assert {"issues/2026-10/new-readers/email.html", "issues/2026-10/new-readers/email.txt"} <= files
    assert any(path.endswith(".eml") for path in files)
