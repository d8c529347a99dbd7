"""Each provider's reader against a fixture shaped like its documentation (see
tests/fixtures/results/SOURCES.md for the page each one follows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsletter.core.diagnostics import Diagnostics
from newsletter.results.providers import json_records, read_events

FIXTURES = Path(__file__).parent / "fixtures" / "results"
LUCY = "utm_content=lucy-hart-spotlight"


def events(provider: str, name: str):
    diagnostics = Diagnostics()
    found = read_events(provider, (FIXTURES / name).read_text(encoding="utf-8"), name, diagnostics)
    assert diagnostics.items == []
    return found


def summary(found):
    return sorted((e.kind, e.recipient, e.machine, LUCY in e.url) for e in found)


def test_sendgrid_counts_delivered_open_click_and_machine_opens():
    found = events("sendgrid", "sendgrid.json")
    assert summary(found) == [
        ("click", "bo@example.com", None, False), ("click", "bo@example.com", None, True),
        ("delivered", "ana@example.com", None, False), ("delivered", "bo@example.com", None, False),
        ("open", "ana@example.com", True, False), ("open", "bo@example.com", False, False)]
    # processed and deferred are left out; rows keep their line in the file
    assert [e.location.line for e in found if e.kind == "delivered"] == [3, 4]


@pytest.mark.parametrize("name", ["ses-sns.json", "ses-firehose.json"])
def test_ses_reads_sns_notifications_and_firehose_lines(name):
    found = events("ses", name)
    assert summary(found) == [("click", "ana@example.com", None, False),
                              ("delivered", "ana@example.com", None, False),
                              ("open", "ana@example.com", None, False)]
    assert "utm_content=grind-size-guide" in next(e.url for e in found if e.kind == "click")


def test_ses_firehose_lines_are_numbered():
    found = events("ses", "ses-firehose.json")
    assert [e.location.line for e in found] == [1, 3, 4]


def test_postmark_ignores_bounces():
    assert summary(events("postmark", "postmark.json")) == [
        ("click", "ana@example.com", None, True), ("delivered", "ana@example.com", None, False),
        ("open", "ana@example.com", None, False)]


@pytest.mark.parametrize("name", ["mailgun-webhooks.json", "mailgun-events.json"])
def test_mailgun_webhooks_and_events_api_page(name):
    found = events("mailgun", name)
    assert summary(found) == [("click", "ana@example.com", None, True),
                              ("delivered", "ana@example.com", None, False),
                              ("open", "ana@example.com", True, False)]


def test_mailgun_events_page_items_keep_their_own_lines():
    text = (FIXTURES / "mailgun-events.json").read_text(encoding="utf-8")
    lines = [line for line, _ in json_records(text)]
    assert len(lines) == 3 and lines == sorted(lines) and lines[0] > 1


def test_brevo_marketing_and_transactional_clicks_and_proxy_opens():
    found = events("brevo", "brevo.json")
    assert summary(found) == [
        ("click", "bo@example.com", None, True), ("click", "cy@example.com", None, False),
        ("delivered", "ana@example.com", None, False), ("open", "ana@example.com", True, False),
        ("open", "bo@example.com", False, False)]


def test_mailchimp_csv_sent_open_click_and_proxy_opens():
    found = events("mailchimp", "mailchimp.csv")
    assert summary(found) == [
        ("click", "bo@example.com", None, True), ("delivered", "ana@example.com", None, False),
        ("delivered", "bo@example.com", None, False), ("open", "ana@example.com", True, False),
        ("open", "bo@example.com", False, False)]
    assert [e.location.line for e in found] == [2, 3, 4, 5, 6]


def test_bad_rows_are_reported_with_file_and_line():
    text = ('[\n{"event": "delivered", "email": "a@example.com"},\n{"event": "click", "email": "b@example.com"},\n'
            '{"event": "open"},\n"not an object"\n]')
    diagnostics = Diagnostics()
    found = read_events("sendgrid", text, "content/results/x/sendgrid-a.json", diagnostics)
    assert len(found) == 1
    assert [str(d) for d in diagnostics.items] == [
        "content/results/x/sendgrid-a.json:3: error: row skipped: a click without its link ('url') [results-row]",
        "content/results/x/sendgrid-a.json:4: error: row skipped: no recipient ('email') [results-row]",
        "content/results/x/sendgrid-a.json:5: error: row skipped: expected an object with the event's "
        "fields [results-row]"]


def test_json_syntax_error_keeps_rows_before_it():
    text = '[\n{"event": "delivered", "email": "a@example.com"},\n{"event": "open", "email": }\n]'
    diagnostics = Diagnostics()
    found = read_events("sendgrid", text, "f.json", diagnostics)
    assert [e.kind for e in found] == ["delivered"]
    (problem,) = diagnostics.items
    assert problem.code == "results-syntax" and (problem.location.line, problem.location.column) == (3, 28)


def test_sns_message_that_is_not_json():
    text = '{"Type": "Notification", "Message": "{oops"}'
    diagnostics = Diagnostics()
    assert read_events("ses", text, "f.json", diagnostics) == []
    assert "Message is not JSON" in diagnostics.items[0].message
