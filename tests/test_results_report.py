"""Results per issue x audience x story on the example project, with hand-counted exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsletter.build import load
from newsletter.core.diagnostics import Diagnostics
from newsletter.results.report import UNTAGGED, build_reports, percent

LINK = ("https://cafezal.example/s?utm_source=cafezal-newsletter&utm_medium=email&utm_campaign={issue}"
        "&utm_content={story}&utm_term={audience}")


def link(story: str, audience: str = "new-subscribers", issue: str = "2026-10") -> str:
    return LINK.format(issue=issue, story=story, audience=audience)


@pytest.fixture
def project_with(example: Path):
    """The example project with its result exports replaced by the test's own."""
    folder = example / "content/results/2026-10"
    shutil.rmtree(folder)
    folder.mkdir(parents=True)

    def write(name: str, records) -> Path:
        (folder / name).write_text(json.dumps(records) if not isinstance(records, str) else records,
                                   encoding="utf-8")
        return example

    return write


def sendgrid(kind: str, email: str, **extra) -> dict:
    return {"event": kind, "email": email, **extra}


def test_counts_per_audience_and_story(project_with):
    root = project_with("sendgrid-new-subscribers.json", [
        sendgrid("delivered", "a@x.example"), sendgrid("delivered", "b@x.example"),
        sendgrid("delivered", "c@x.example"), sendgrid("delivered", "d@x.example"),
        sendgrid("open", "a@x.example", sg_machine_open=True),
        sendgrid("open", "b@x.example", sg_machine_open=False),
        sendgrid("click", "b@x.example", url=link("lucy-hart-spotlight")),
        sendgrid("click", "b@x.example", url=link("lucy-hart-spotlight")),  # the same clicker twice
        sendgrid("click", "c@x.example", url=link("grind-size-guide")),
        sendgrid("click", "c@x.example", url="https://cafezal.example/email/unsubscribe"),
    ])
    project, _ = load(root)
    diagnostics = Diagnostics()
    (report,) = build_reports(project, diagnostics)
    assert diagnostics.items == []
    (message,) = report.messages
    data = message.to_dict()
    assert (data["delivered"], data["unique_opens"], data["machine_only_opens"], data["unique_clicks"]) == (4, 2, 1, 2)
    assert data["opens_reliable"] is False and "1 machine-only" in data["opens_note"]
    assert data["new_customers"] is True  # onboarding is an early stage
    assert data["social_proof"]["unique_clicks"] == 1 and data["social_proof"]["click_rate"] == 0.25
    assert data["other_stories"]["unique_clicks"] == 1
    stories = {s["id"]: s for s in data["stories"]}
    assert stories["lucy-hart-spotlight"]["unique_clicks"] == 1
    assert stories["lucy-hart-spotlight"]["customer"] == "Lucy Hart"
    assert stories[UNTAGGED]["unique_clicks"] == 1 and stories[UNTAGGED]["kind"] is None
    # a story the audience got that nobody clicked is listed too
    assert any(s["unique_clicks"] == 0 and s["kind"] for s in data["stories"])


def test_clicks_go_where_their_utm_says(project_with):
    root = project_with("sendgrid-new-subscribers.json", [
        sendgrid("delivered", "a@x.example"),
        sendgrid("click", "a@x.example", url=link("dan-okafor-spotlight", "cafe-owners")),
        sendgrid("click", "a@x.example", url=link("x", "cafe-owners", "1999-01")),
    ])
    project, _ = load(root)
    diagnostics = Diagnostics()
    (report,) = build_reports(project, diagnostics)
    by_audience = {m.audience: m for m in report.messages}
    assert by_audience["cafe-owners"].stories["dan-okafor-spotlight"].clickers == {"a@x.example"}
    assert by_audience["new-subscribers"].clickers == set()
    (warning,) = diagnostics.items
    assert warning.code == "results-unknown-link"
    assert str(warning.location) == "content/results/2026-10/sendgrid-new-subscribers.json:1"


def test_an_export_without_deliveries_is_flagged(project_with):
    root = project_with("sendgrid-cafe-owners.json", [sendgrid("open", "a@x.example")])
    project, _ = load(root)
    diagnostics = Diagnostics()
    (report,) = build_reports(project, diagnostics)
    assert [d.code for d in diagnostics.items] == ["results-no-deliveries"]
    assert report.messages[0].to_dict()["click_rate"] is None
    assert report.messages[0].opens_note.startswith("unreliable: machine opens not flagged")


def test_percent_shows_the_counts():
    assert percent(1, 8) == "12.5% (1/8)"
    assert percent(3, 0) == "n/a (3/0)"
