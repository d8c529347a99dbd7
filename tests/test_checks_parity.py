"""The result-parity check: every customer result and quote in both parts, or an error at its line."""

from newsletter.build import build

from .checkhelpers import findings
from .conftest import edit
from .test_checks_checklist import override_template

MEI = "content/stories/mei-spotlight.md"


def add_metrics(root):
    metrics = ("metrics:\n  - {label: 每月读完, value: 4 本}\n  - {label: 成员, value: 10 → 26}\n"
               "  - {label: 续订, value: 100%}\n  - {label: 新成员, value: '16 位'}\ncta:\n")
    edit(root / MEI, "cta:\n", metrics)


def test_every_result_is_in_both_parts(minimal):
    add_metrics(minimal)
    assert findings(minimal, "result-parity") == []
    out = build(minimal, minimal / "build").out_dir
    html = (out / "issues/2026-10/book-clubs/email.html").read_text(encoding="utf-8")
    text = (out / "issues/2026-10/book-clubs/email.txt").read_text(encoding="utf-8")
    for value in ("4 本", "10 → 26", "100%", "16 位"):  # a fourth result too: no "first three" cut
        assert value in html and value in text


def test_a_result_dropped_from_the_html_fails_at_its_line(minimal):
    add_metrics(minimal)
    override_template(minimal, "partials/metrics.mjml.j2", "story.metrics | batch(3)", "story.metrics[:3] | batch(3)")
    found = findings(minimal, "result-parity", "book-clubs")
    assert [(s, w) for s, w, _, _ in found] == [("error", f"{MEI}:21:25"), ("error", f"{MEI}:21:13")]
    assert found[0][2] == "mei-spotlight: '16 位' is missing from the HTML part"
    assert found[1][2] == "mei-spotlight: '新成员' is missing from the HTML part"
