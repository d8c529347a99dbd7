"""The customer report: the loyalty ladder, NPS per audience and every customer's row.

`print_customer_report` draws it in the terminal with rich (tables and bar charts made
of block characters); `newsletter.customers.page` makes the same report as a standalone
HTML page with SVG charts for the preview. Neither shows email addresses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.diagnostics import Diagnostics
from .data import CustomerData, load_customer_data
from .json_rows import write_json_array
from .ledger import Ledger, build_ledger
from .metrics import DETRACTOR, PASSIVE, PROMOTER, NpsSummary, Profile, Rung, format_money
from .money import money_sql
from .queries import literal, text

GROUP_STYLE = {PROMOTER: "green", PASSIVE: "yellow", DETRACTOR: "red"}
BAR = 20  # characters for the longest bar
#: Digits of the engine's exact totals (DECIMAL(38, 10)), with room for their averages.
DECIMAL_DIGITS = 40


@dataclass
class CustomerReport:
    """Everything the report shows, computed once for one day."""

    data: CustomerData
    today: date
    locale: str  # how money is written in the report
    brand: str
    audience_names: dict[str, str]
    count: int
    rungs: list[Rung]
    overall: NpsSummary
    by_audience: dict[str | None, NpsSummary]
    ledger: Ledger
    _profiles: list[Profile] | None = field(default=None, repr=False)

    @property
    def profiles(self) -> list[Profile]:
        """Every customer in report order (one Python object each: for the text report and page)."""
        if self._profiles is None:
            self._profiles = self.data.profile_rows(self.today, order=_rank_sql(self.data) +
                                                    " DESC, coalesce(ltv, 0) DESC, name, _order")
        return self._profiles

    def money(self, amount: Decimal | None) -> str:
        return format_money(amount, self.data.currency, self.locale)

    def audience_label(self, audience: str | None) -> str:
        return self.audience_names.get(audience or "", audience or "(no audience)")

    def notes(self, p: Profile) -> list[str]:
        """Short flags for one customer: what to act on."""
        notes = []
        if p.unused_benefits:
            notes.append(f"{p.unused_benefits} unused benefit{'s' if p.unused_benefits > 1 else ''}")
        if p.onboarding_behind:
            notes.append("onboarding behind")
        problem = p.record.consent_problem(self.today)
        if problem and "expired" in problem:
            notes.append("consent expired")
        return notes

    def _head(self) -> dict:
        return {
            "date": self.today.isoformat(), "currency": self.data.currency, "files": self.data.files,
            "ladder": [{"tier": r.tier, "customers": r.count, "total_lifetime_value": str(r.total_ltv),
                        "average_lifetime_value": None if r.average_ltv is None else str(r.average_ltv.quantize(Decimal("0.01")))}
                       for r in self.rungs],
            "nps": {"overall": self.overall.to_dict(),
                    "audiences": {a or "": s.to_dict() for a, s in self.by_audience.items()}},
            "customers": [],
            "diagnostics": [d.to_dict() for d in self.data.diagnostics.items],
        }

    def write_json(self, write: Callable[[str], object], first: dict | None = None,
                   write_bytes: Callable[[bytes], object] | None = None) -> None:
        """The whole report as indented JSON, in pieces to `write`; the engine writes the customers
        to a temporary file first, so a million of them never sit in Python's memory at once.
        `first`'s keys (the document's schema) come before the report's. `write_bytes` takes
        the customers as the engine's UTF-8 (json_rows.write_json_array), the rest goes to `write`."""
        engine = self.data.engine
        engine.use_profiles(self.today, table=False)
        latest = [(key, found[-1].issue) for key, found in sorted(self.ledger.by_key().items())]
        engine.con.execute("CREATE OR REPLACE TEMP TABLE last_featured (key VARCHAR, issue VARCHAR)")
        if latest:
            engine.con.executemany("INSERT INTO last_featured VALUES (?, ?)", latest)
        money = money_sql("p.ltv_text", self.data.currency, self.locale)
        sql = text("report_customers").format(money=money or "NULL", rank=_rank_sql(self.data, "p."))
        head, tail = json.dumps({**(first or {}), **self._head()}, ensure_ascii=False,
                                indent=2).split('  "customers": [],', 1)
        write(head + '  "customers": ')
        write_json_array(engine, sql, write, None if money else self._babel_money, write_bytes)
        write("," + tail + "\n")

    def _babel_money(self, item: dict) -> dict:
        amount = item["lifetime_value"]
        return dict(item, lifetime_value_text=self.money(None if amount is None else Decimal(amount)))

    def json_text(self) -> str:
        """The whole report as JSON text (see write_json)."""
        parts: list[str] = []
        self.write_json(parts.append)
        return "".join(parts)

    def to_dict(self) -> dict:
        def customer(p: Profile) -> dict:
            last = self.ledger.last_featured(p.name)
            return {"id": p.id, "name": p.name, "company": p.record.company, "audience": p.audience,
                    "source": str(p.record.location), "tier": p.tier, "nps": p.record.nps,
                    "nps_group": p.group, "years": round(p.years, 2),
                    "lifetime_value": None if p.ltv is None else str(p.ltv),
                    "lifetime_value_text": self.money(p.ltv), "unused_benefits": p.unused_benefits,
                    "onboarding_behind": p.onboarding_behind,
                    "last_featured": last.issue if last else None}

        return dict(self._head(), customers=[customer(p) for p in self.profiles])


def _rank_sql(data: CustomerData, prefix: str = "") -> str:
    """A tier's place on the ladder as SQL (higher is better, -1 without a tier)."""
    whens = " ".join(f"WHEN {literal(t)} THEN {i}" for i, t in enumerate(data.tiers))
    return f"(CASE {prefix}computed_tier {whens} ELSE -1 END)"


def _rungs(data: CustomerData) -> list[Rung]:
    """Rungs top-down, then the unranked if any (sql/report_ladder.sql)."""
    found = {tier: (count, total, scale) for tier, count, total, scale in data.engine.query(text("report_ladder"))}
    rungs = []
    for tier in [*reversed(data.tiers), None]:
        if tier is None and tier not in found:
            continue
        count, total, scale = found.get(tier, (0, None, 0))
        # The engine sums in DECIMAL(38, 10): at most 38 digits, 10 after the point, which
        # Python's default 28-digit context cannot hold.
        with localcontext(prec=DECIMAL_DIGITS):
            exact = Decimal(0) if total is None else Decimal(total).quantize(
                Decimal(1).scaleb(-min(scale or 0, 10)))
        rungs.append(Rung(tier, count, exact))
    return rungs


def _nps(data: CustomerData, rank: str) -> tuple[NpsSummary, dict[str | None, NpsSummary]]:
    """Overall and per-audience NPS (sql/nps.sql); audiences in the order the report meets them."""
    # An audience's place is that of its first customer in report order: the smallest sort key.
    sql = (f"WITH n AS ({text('nps')}), seen AS (SELECT audience, min(struct_pack(r := -{rank}, "
           "v := -coalesce(ltv, 0), n := name, o := _order)) AS pos FROM profiles GROUP BY audience) "
           "SELECT n.audience, n.overall, n.promoters, n.passives, n.detractors FROM n "
           "LEFT JOIN seen ON seen.audience IS NOT DISTINCT FROM n.audience AND n.overall = 0 "
           "ORDER BY n.overall, seen.pos")
    overall, by = NpsSummary(), {}
    for audience, is_overall, promoters, passives, detractors in data.engine.query(sql):
        summary = NpsSummary(promoters, passives, detractors)
        if is_overall:
            overall = summary
        else:
            by[audience] = summary
    return overall, by


def build_report(project, today: date, locale: str | None = None,
                 diagnostics: Diagnostics | None = None, store_aside: bool = False) -> CustomerReport | None:
    """The report for `project` on `today`; None when the project has no customer data.
    `store_aside`: see load_customer_data (the caller then calls `report.data.engine.wait()`)."""
    data = load_customer_data(project, diagnostics, store_aside=store_aside)
    if data is None:
        return None
    try:
        data.engine.use_profiles(today, table=False)
        overall, by_audience = _nps(data, _rank_sql(data))
        names = {a.id: a.name for a in project.audiences.values()}
        return CustomerReport(data, today, locale or data.default_locale, project.config.brand.name, names,
                              data.engine.count(), _rungs(data), overall, by_audience, build_ledger(project))
    except BaseException:
        data.engine.wait()  # no thread outlives a failure
        raise


def _bar(count: int, largest: int, style: str) -> Text:
    width = round(BAR * count / largest) if largest else 0
    return Text("█" * width or ("▏" if count else ""), style=style)


def nps_bar(summary: NpsSummary, width: int = BAR) -> Text:
    """Promoters, passives and detractors side by side, in proportion."""
    text = Text()
    if not summary.respondents:
        return text
    for group in (PROMOTER, PASSIVE, DETRACTOR):
        text.append("█" * round(width * summary.share(group)), style=GROUP_STYLE[group])
    return text


def format_nps(summary: NpsSummary) -> str:
    return "–" if summary.score is None else f"{summary.score:+.0f}"


def print_customer_report(console: Console, report: CustomerReport) -> None:
    data = report.data
    console.print(f"[bold]{report.brand}[/bold]: {report.count} customers from "
                  f"{', '.join(data.files)}, on {report.today.isoformat()}", highlight=False)
    top = set(data.top_tiers)
    largest = max((r.count for r in report.rungs), default=0)
    table = Table(title="Loyalty ladder (lifetime value = purchases/year x average order x years)",
                  title_justify="left")
    for column in ("tier", "customers", "share", "average value", "total value"):
        table.add_column(column, justify="left" if column == "tier" else "right")
    table.add_column("", no_wrap=True, overflow="crop", min_width=BAR)
    total = report.count or 1
    for rung in report.rungs:
        name = rung.tier or "(no tier)"
        table.add_row(Text(name, style="bold" if rung.tier in top else ""), str(rung.count),
                      f"{100 * rung.count / total:.0f}%", report.money(rung.average_ltv),
                      report.money(rung.total_ltv),
                      _bar(rung.count, largest, "magenta" if rung.tier in top else "blue"))
    console.print(table)
    table = Table(title="Net Promoter Score (% promoters 9-10 minus % detractors 0-6)", title_justify="left")
    for column in ("audience", "answers", "promoters", "passives", "detractors", "NPS"):
        table.add_column(column, justify="left" if column == "audience" else "right")
    table.add_column("", no_wrap=True, overflow="crop", min_width=BAR)
    rows = [(report.audience_label(a), s) for a, s in report.by_audience.items()]
    for label, s in [*rows, ("all customers", report.overall)]:
        table.add_row(label, str(s.respondents), str(s.promoters), str(s.passives), str(s.detractors),
                      format_nps(s), nps_bar(s))
    console.print(table)
    console.print(Text.assemble("  ", ("█ promoters", "green"), "  ", ("█ passives", "yellow"), "  ",
                                ("█ detractors", "red")))
    table = Table(title="Customers (NPS: green promoter, yellow passive, red detractor)",
                  title_justify="left")
    for column in ("id", "customer", "audience", "tier", "value", "NPS", "featured", "notes"):
        table.add_column(column, justify="right" if column in ("value", "NPS") else "left",
                         no_wrap=column in ("id", "tier", "value", "NPS", "featured"))
    for p in report.profiles:
        last = report.ledger.last_featured(p.name)
        name = p.name + (f", {p.record.company}" if p.record.company else "")
        score = "–" if p.record.nps is None else str(p.record.nps)
        table.add_row(p.id, name, p.audience or "–", p.tier or "–", report.money(p.ltv),
                      Text(score, style=GROUP_STYLE.get(p.group or "", "")), last.issue if last else "–",
                      ", ".join(report.notes(p)))
    console.print(table)
