"""The results as an HTML page with SVG charts for the preview (no scripts, every value escaped).

Shows counts and rates per audience and story; never a recipient's address.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..content.reader import load_project
from ..core.diagnostics import BuildError, Diagnostic, Diagnostics
from ..core.reportpage import document, problems_card
from .files import capped
from .redemption import Redemption
from .report import IssueReport, build_reports, percent

PROOF, OTHER, GREY = "#2e7d32", "#1f4e79", "#bdbdbd"


def bars_svg(label: str, rows: list[tuple[str, int, int, str]]) -> str:
    """Horizontal bars of rates: (label, part, whole, color); each bar says its counts."""
    height, label_w, bar_w = 30, 230, 420
    parts = []
    for i, (name, part, whole, color) in enumerate(rows):
        y = i * height
        width = round(bar_w * part / whole, 1) if whole else 0
        text = escape(percent(part, whole))
        parts.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end">{escape(name)}</text>'
                     f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="20" fill="#f0f0f0"/>'
                     f'<rect x="{label_w}" y="{y + 5}" width="{width}" height="20" fill="{color}">'
                     f"<title>{escape(name)}: {text}</title></rect>"
                     f'<text x="{label_w + bar_w + 6}" y="{y + 19}">{text}</text>')
    total = max(1, len(rows)) * height
    width = label_w + bar_w + 130
    return (f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {total}" width="100%" '
            f'style="max-width:{width}px" font-size="13" xmlns="http://www.w3.org/2000/svg">'
            f'{"".join(parts)}</svg>')


def _messages(report: IssueReport) -> str:
    rows = []
    for m in report.messages:
        d = len(m.delivered)
        rows.append(f"<tr><td>{escape(m.audience_name)}{' (new customers)' if m.new_customers else ''}</td>"
                    f"<td>{escape(', '.join(sorted(m.providers)) or '–')}</td><td class=num>{d}</td>"
                    f"<td class=num>{len(m.opened)}</td><td>{escape(m.opens_note)}</td>"
                    f"<td class=num>{escape(percent(len(m.clickers), d))}</td></tr>")
    proof = []
    for m in report.messages:
        d = len(m.delivered)
        proof.append((f"{m.audience}: social proof", len(m.proof_clickers(True)), d, PROOF))
        proof.append((f"{m.audience}: other stories", len(m.proof_clickers(False)), d, OTHER))
    return ('<div class="card"><table><tr><th>audience</th><th>providers</th><th class=num>delivered</th>'
            '<th class=num>unique opens</th><th>opens</th><th class=num>click rate</th></tr>'
            f'{"".join(rows)}</table></div>'
            '<h3>Social-proof stories against the rest</h3><div class="card">'
            f'{bars_svg("Share of delivered recipients who clicked a social-proof story, and another story", proof)}'
            f'<p class="legend muted"><span><i style="background:{PROOF}"></i>social proof (spotlight, '
            f'testimonial, case study)</span><span><i style="background:{OTHER}"></i>other stories</span></p></div>')


def _stories(report: IssueReport) -> str:
    out = []
    for m in report.messages:
        d = len(m.delivered)
        rows = [(s.title if s.kind else s.content, len(s.clickers), d, PROOF if s.social_proof else
                 OTHER if s.kind else GREY) for s in m.ordered_stories()]
        if rows:
            out.append(f"<h3>{escape(m.audience_name)}</h3><div class=\"card\">"
                       f"{bars_svg(f'Click rate per story for {m.audience_name}', rows)}</div>")
    return "".join(out)


def _redemption(r: Redemption) -> str:
    rows = [(f"{g.label}: customers", g.redeemed_customers, g.customers, color)
            for g, color in ((r.reminded, PROOF), (r.not_reminded, GREY))]
    rows += [(f"{g.label}: benefits", g.redeemed_after, g.unused_before, color)
             for g, color in ((r.reminded, PROOF), (r.not_reminded, GREY))]
    return (f'<h2>Benefit redemption</h2><div class="card"><p class="muted">Customers with unused benefits in '
            f"{escape(r.before)}, and what they redeemed by {escape(r.after)}. Reminder sections went to: "
            f"{escape(', '.join(r.reminder_audiences) or 'no audience')}.</p>"
            f'{bars_svg("Redemption with and without a reminder", rows)}</div>')


def _survey(report: IssueReport) -> str:
    overall = report.survey.to_dict()["overall"]
    if not overall["answers"]:
        return ""
    return (f'<h2>Survey answers</h2><div class="card"><p>NPS {overall["nps"]:+d} from {overall["answers"]} '
            f'answer(s): {overall["promoters"]} promoters, {overall["passives"]} passives, '
            f'{overall["detractors"]} detractors.</p></div>')


def _problems(items: list[Diagnostic]) -> str:
    return problems_card("Problems in the result files", [str(d) for d in capped(items)])


def render_report_page(reports: list[IssueReport], brand: str, problems: list[Diagnostic]) -> str:
    """The page for computed reports."""
    if not reports:
        body = ("<h1>No results yet</h1><p>Put your provider's event export in "
                "<code>content/results/&lt;issue&gt;/&lt;provider&gt;-&lt;audience&gt;.json</code> "
                "(Mailchimp: <code>.csv</code>); see 'Results and the loop' in the README.</p>")
        return document("Results", body + _problems(problems))
    body = [f"<h1>{escape(brand)}: results</h1>"]
    for report in reports:
        body.append(f"<h2>{escape(report.title)} ({escape(report.issue)})</h2>"
                    f'<p class="muted">From {escape(", ".join(report.files))}. Click rate = unique '
                    "clickers / delivered; opens include machine opens where the provider does not say.</p>"
                    f"{_messages(report)}<h2>Clicks per story</h2>{_stories(report)}")
        if report.redemption:
            body.append(_redemption(report.redemption))
        body.append(_survey(report))
    body.append(_problems(problems))
    return document(f"{brand}: results", "".join(body))


def render_results_page(root: Path) -> str:
    """The results of the project at `root` as a page; a broken project gives a page that says so."""
    try:
        project, _ = load_project(Path(root))
    except BuildError as exc:
        return document("Results: the project has problems",
                         "<h1>The project has problems</h1>" + _problems(exc.diagnostics))
    diagnostics = Diagnostics()
    reports = build_reports(project, diagnostics)
    return render_report_page(reports, project.config.brand.name, diagnostics.items)
