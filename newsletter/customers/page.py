"""The customer report as an HTML page with SVG charts: marketers would rather look than read.

Every value is escaped; the page has no scripts and no external requests. It shows NPS
groups, not individual answers, and no email addresses.
"""

from __future__ import annotations

from datetime import date
from html import escape

from ..core.diagnostics import Diagnostic
from ..core.reportpage import document, problems_card
from .metrics import DETRACTOR, PASSIVE, PROMOTER, NpsSummary
from .report import CustomerReport, build_report, format_nps

COLORS = {PROMOTER: "#2e7d32", PASSIVE: "#bdbdbd", DETRACTOR: "#c62828"}
LABELS = {PROMOTER: "promoters", PASSIVE: "passives", DETRACTOR: "detractors"}
#: This page's own rules beside the shared report style.
STYLE = ".promoter{color:#2e7d32}.detractor{color:#c62828}.passive{color:#616161}\n"


def _document(title: str, body: str) -> str:
    return document(title, body, STYLE)


def _problems(items: list[Diagnostic]) -> str:
    return problems_card("Problems in the data", [str(d) for d in items])


def ladder_svg(report: CustomerReport, color: str, top_color: str) -> str:
    """Horizontal bars, top tier first, each labelled with its count."""
    rungs = report.rungs
    largest = max((r.count for r in rungs), default=0) or 1
    height, label_w, bar_w = 34, 110, 520
    parts = []
    for i, rung in enumerate(rungs):
        y = i * height
        width = max(2, round(bar_w * rung.count / largest)) if rung.count else 0
        fill = top_color if rung.tier in report.data.top_tiers else color
        name = escape(rung.tier or "(no tier)")
        parts.append(f'<text x="{label_w - 8}" y="{y + 21}" text-anchor="end">{name}</text>'
                     f'<rect x="{label_w}" y="{y + 6}" width="{width}" height="22" rx="3" fill="{fill}">'
                     f"<title>{name}: {rung.count}</title></rect>"
                     f'<text x="{label_w + width + 6}" y="{y + 21}">{rung.count}</text>')
    total = len(rungs) * height
    return (f'<svg role="img" aria-label="Customers per loyalty tier" viewBox="0 0 {label_w + bar_w + 60} {total}" '
            f'width="100%" style="max-width:{label_w + bar_w + 60}px" font-size="13" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


def nps_svg(rows: list[tuple[str, NpsSummary]]) -> str:
    """One stacked bar per audience: promoters, passives, detractors, and the score."""
    height, label_w, bar_w = 34, 190, 440
    parts = []
    for i, (label, summary) in enumerate(rows):
        y = i * height
        parts.append(f'<text x="{label_w - 8}" y="{y + 21}" text-anchor="end">{escape(label)}</text>')
        x = float(label_w)
        for group in (PROMOTER, PASSIVE, DETRACTOR):
            width = bar_w * summary.share(group)
            if width:
                count = {PROMOTER: summary.promoters, PASSIVE: summary.passives,
                         DETRACTOR: summary.detractors}[group]
                parts.append(f'<rect x="{x:.1f}" y="{y + 6}" width="{width:.1f}" height="22" '
                             f'fill="{COLORS[group]}"><title>{escape(label)}: {count} '
                             f"{LABELS[group]}</title></rect>")
                x += width
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 21}" font-weight="bold">'
                     f"{escape(format_nps(summary))}</text>")
    total = len(rows) * height
    return (f'<svg role="img" aria-label="NPS split per audience" viewBox="0 0 {label_w + bar_w + 60} {total}" '
            f'width="100%" style="max-width:{label_w + bar_w + 60}px" font-size="13" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


def _tables(report: CustomerReport) -> str:
    total = report.count or 1
    ladder = "".join(
        f"<tr><td>{escape(r.tier or '(no tier)')}</td><td class=num>{r.count}</td>"
        f"<td class=num>{100 * r.count / total:.0f}%</td><td class=num>{escape(report.money(r.average_ltv))}</td>"
        f"<td class=num>{escape(report.money(r.total_ltv))}</td></tr>" for r in report.rungs)
    rows = []
    for p in report.profiles:
        last = report.ledger.last_featured(p.name)
        company = f", {escape(p.record.company)}" if p.record.company else ""
        group = f'<span class="{p.group}">{p.group}</span>' if p.group else "–"
        rows.append(f"<tr><td>{escape(p.name)}{company}</td><td>{escape(report.audience_label(p.audience))}</td>"
                    f"<td>{escape(p.tier or '–')}</td><td class=num>{escape(report.money(p.ltv))}</td>"
                    f"<td>{group}</td><td>{escape(last.issue if last else '–')}</td>"
                    f"<td>{escape(', '.join(report.notes(p)))}</td></tr>")
    return ('<h2>Ladder in numbers</h2><div class="card"><table><tr><th>tier</th><th class=num>customers</th>'
            '<th class=num>share</th><th class=num>average lifetime value</th><th class=num>total</th></tr>'
            f"{ladder}</table></div>"
            '<h2>Customers</h2><div class="card"><table><tr><th>customer</th><th>audience</th><th>tier</th>'
            '<th class=num>lifetime value</th><th>NPS group</th><th>last featured</th><th>notes</th></tr>'
            f'{"".join(rows)}</table></div>')


def render_report_page(report: CustomerReport, colors) -> str:
    """The page for a computed report; `colors` is the brand's [brand.colors]."""
    rows = [(report.audience_label(a), s) for a, s in report.by_audience.items()]
    rows.append(("All customers", report.overall))
    legend = "".join(f'<span><i style="background:{COLORS[g]}"></i>{LABELS[g]}</span>'
                     for g in (PROMOTER, PASSIVE, DETRACTOR))
    body = (f"<h1>{escape(report.brand)}: customers</h1>"
            f'<p class="muted">{report.count} customers from {escape(", ".join(report.data.files))}, '
            f"on {report.today.isoformat()}. Lifetime value = purchases per year × average order × "
            f"expected years, in {escape(report.data.currency)}.</p>"
            f'<h2>Loyalty ladder</h2><div class="card">{ladder_svg(report, colors.primary, colors.accent)}</div>'
            f'<h2>Net Promoter Score</h2><div class="card">{nps_svg(rows)}'
            f'<p class="legend muted">{legend} NPS = % promoters − % detractors</p></div>'
            f"{_tables(report)}{_problems(report.data.diagnostics.items)}")
    return _document(f"{report.brand}: customers", body)


def render_problems_page(diagnostics: list[Diagnostic]) -> str:
    """The page shown instead of the report when the project cannot be read."""
    return _document("Customers: the project has problems",
                     "<h1>The project has problems</h1>" + _problems(diagnostics))


def render_page(project, today: date) -> str:
    """The customer report of a read project as a standalone page, or a page saying there is no data."""
    report = build_report(project, today)
    if report is None:
        return _document("Customers: no data", "<h1>No customer data</h1><p>Add <code>content/customers.csv</code> "
                         "or name your export in <code>[customers] files</code>; see 'Customer data' in the README.</p>")
    return render_report_page(report, project.config.brand.colors)
