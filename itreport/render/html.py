"""Render one edition's view to a self-contained HTML document (CSS, fonts and charts inline)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from itreport import charts
from itreport.analyse.finance import Group
from itreport.analyse.finance import total as sum_figures
from itreport.analyse.money import ZERO, round_to_total
from itreport.analyse.portfolio import DIMENSIONS, rag_counts
from itreport.describe import GROUPS
from itreport.edition import Briefing, template_view
from itreport.models.base import month_start
from itreport.render import units
from itreport.render.chartpages import in_parts, money_unit, part_title
from itreport.render.env import make_env, theme_dirs
from itreport.render.formatting import MILLION, THOUSAND, Formatter
from itreport.render.i18n import Translator
from itreport.render.loader import listing
from itreport.render.notes import note_text
from itreport.render.sandbox import Limits, Sandbox, default_limits, refuse_external, render_template
from itreport.render.units import Scale

FONT = "Source Sans 3, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class MoneyRow:
    """A table row in thousands, rounded so that the column sums equal the rounded totals."""

    label: str
    plan_ytd: Decimal
    actual_ytd: Decimal
    plan_fy: Decimal
    forecast_fy: Decimal
    variance_pct: Decimal | None
    trend: Any = None
    incomplete: bool = False
    """Some year-to-date actual behind this row is missing (marked, explained in a note)."""
    exact_variance_ytd: Decimal = ZERO
    exact_variance_fy: Decimal = ZERO
    """The exact variances, in currency units: a variance that rounds to zero keeps their sign."""

    @property
    def variance_ytd(self) -> Decimal:
        return self.actual_ytd - self.plan_ytd

    @property
    def variance_fy(self) -> Decimal:
        return self.forecast_fy - self.plan_fy


def money_table(
    groups: tuple[Group, ...],
    label: Any,
    trends: dict[str, Any] | None = None,
    total_trend: Any = None,
    factor: Decimal = THOUSAND,
) -> tuple[list[MoneyRow], MoneyRow]:
    """Rows and total row in units of `factor`; each column is rounded with largest remainders."""
    cols: dict[str, list[Decimal]] = {}
    for name in ("plan_ytd", "actual_ytd", "plan_fy", "forecast_fy"):
        cols[name] = [x / factor for x in round_to_total([getattr(g.figures, name) for g in groups], factor)]
    rows = [
        MoneyRow(
            label(g.key),
            cols["plan_ytd"][i],
            cols["actual_ytd"][i],
            cols["plan_fy"][i],
            cols["forecast_fy"][i],
            g.figures.variance_fy_pct,
            (trends or {}).get(g.key),
            g.figures.incomplete,
            g.figures.variance_ytd,
            g.figures.variance_fy,
        )
        for i, g in enumerate(groups)
    ]
    exact = sum_figures(g.figures for g in groups)
    total = MoneyRow(
        "total",
        sum(cols["plan_ytd"], ZERO),
        sum(cols["actual_ytd"], ZERO),
        sum(cols["plan_fy"], ZERO),
        sum(cols["forecast_fy"], ZERO),
        exact.variance_fy_pct,
        total_trend,
        exact.incomplete,
        exact.variance_ytd,
        exact.variance_fy,
    )
    return rows, total


def group_amounts(groups: tuple[Group, ...]) -> list[Decimal]:
    """The amounts that choose a money table's unit: plans, actuals and forecasts with their totals.

    Not the variances: they are differences of the printed amounts, and a near-zero one (the
    example's +98 SEK on a 32.4 MSEK forecast) put one table in whole SEK while every other
    table of the edition was in kSEK. In kSEK it prints "+0" (its sign kept) beside "+<0.1%".
    """
    figs = [g.figures for g in groups] + [sum_figures(g.figures for g in groups)]
    return [x for f in figs for x in (f.plan_ytd, f.actual_ytd, f.plan_fy, f.forecast_fy)]


@dataclass(frozen=True)
class SavingRow:
    title: str
    state: str
    target: Decimal
    realised: Decimal


def saving_rows(savings: tuple[Any, ...], factor: Decimal) -> tuple[list[SavingRow], SavingRow]:
    """Every saving (dropped ones too, with their state) in units of `factor`; columns add up."""
    targets = round_to_total([s.target for s in savings], factor)
    realised = round_to_total([s.realised for s in savings], factor)
    rows = [
        SavingRow(s.title, s.state.value, targets[i] / factor, realised[i] / factor)
        for i, s in enumerate(savings)
    ]
    return rows, SavingRow(
        "total", "", sum((r.target for r in rows), ZERO), sum((r.realised for r in rows), ZERO)
    )


@dataclass(frozen=True)
class SpendRow:
    key: str
    label: str
    projects: int
    budget: Decimal
    actual: Decimal


def spend_rows(items: tuple[Any, ...], factor: Decimal = THOUSAND) -> tuple[list[SpendRow], SpendRow]:
    budgets = round_to_total([s.budget for s in items], factor)
    actuals = round_to_total([s.actual for s in items], factor)
    rows = [
        SpendRow(s.key, s.label, s.projects, budgets[i] / factor, actuals[i] / factor)
        for i, s in enumerate(items)
    ]
    return rows, SpendRow(
        "total",
        "total",
        sum(s.projects for s in items),
        sum((r.budget for r in rows), ZERO),
        sum((r.actual for r in rows), ZERO),
    )


def scale(values: Any, options: tuple[tuple[Decimal, int], ...], tr: Translator, currency: str) -> Scale:
    """The unit for one table or tile group (see `units`), with its printed label."""
    factor, places = units.choose(values, options)
    key = {MILLION: "unit_m", THOUSAND: "unit_k"}.get(factor, "unit_1")
    return Scale(factor, places, tr(key, currency=currency))


def table_scales(view: Briefing, tr: Translator) -> dict[str, Scale]:
    """One unit per table and per tile group, from every amount it shows."""
    cur = view.division.currency
    live = [h for h in view.portfolio if h.live]
    closed = [h for h in view.portfolio if not h.live]
    ev = [h.earned_value for h in view.portfolio if h.earned_value is not None]
    s = view.strategy
    out = {
        "portfolio": scale([x for h in live for x in (h.budget, h.eac)], units.TABLE, tr, cur),
        "closed": scale(
            [x for h in closed for x in (h.budget, h.project.budget.actual_to_date)], units.TABLE, tr, cur
        ),
        "ev": scale([x for e in ev for x in (e.pv, e.ev, e.ac, e.eac)], units.TABLE, tr, cur),
        "objective": scale([x for o in s.by_objective for x in (o.budget, o.actual)], units.TABLE, tr, cur),
        "class": scale([x for o in s.by_class for x in (o.budget, o.actual)], units.TABLE, tr, cur),
        "benefits": scale([s.benefits_planned, s.benefits_realised], units.TILES, tr, cur),
    }
    f = view.finance
    if f is not None:
        t = f.total
        out |= {
            "tiles": scale(
                [t.plan_fy, t.forecast_fy, t.variance_fy, t.actual_ytd, t.plan_ytd], units.TILES, tr, cur
            ),
            "category": scale(group_amounts(f.by_category), units.TABLE, tr, cur),
            "nature": scale(group_amounts(f.by_nature), units.TABLE, tr, cur),
            "cost_centre": scale(group_amounts(f.by_cost_centre), units.TABLE, tr, cur),
            "projects": scale(
                [x for p in f.projects for x in (p.budget, p.actual_to_date, p.eac)],
                units.TABLE,
                tr,
                cur,
            ),
            "savings": scale(
                [x for v in f.savings for x in (v.target, v.realised)]
                + [f.savings_target, f.savings_realised],
                units.TABLE,
                tr,
                cur,
            ),
            "revenue": scale([x for _u, p, a in f.revenue_by_unit for x in (p, a)], units.TABLE, tr, cur),
        }
    return out


def fiscal_year_label(fiscal_year: int, start_month: int, tr: Translator) -> str:
    """'Full year 2026' for a calendar year; 'FY 2026/27' for a year that starts in another month."""
    if start_month == 1:
        return tr("full_year", year=str(fiscal_year))
    return tr("fiscal_year_split", year=f"{fiscal_year}/{(fiscal_year + 1) % 100:02d}")


def chart_labels(tr: Translator, prefix: str) -> dict[str, str]:
    return {k[len(prefix) + 1 :]: v for k, v in tr.labels.items() if k.startswith(prefix + ".")}


# The section of the default theme that shows each chart.
CHART_SECTIONS = {
    "cumulative": "finance",
    "variance": "finance",
    "portfolio_rag": "portfolio",
    "milestones": "milestones",
    "heatmap": "risks",
    "headcount": "people",
}


def build_charts(view: Briefing, fmt: Formatter, tr: Translator, every: bool = True) -> dict[str, Any]:
    """The charts the edition's data allows; without `every`, only those its sections show.

    Charts with a row per item (milestones, headcount) are tuples of page-sized parts.

    The default theme shows each chart in one section (`CHART_SECTIONS`), so an edition without
    a milestones or finance section need not pay for those charts. Template overrides may show
    any chart anywhere, so with them every chart is built.
    """
    out: dict[str, Callable[[], Any]] = {}
    mega = lambda v: fmt.mega(v)  # noqa: E731
    f = view.finance
    if f is not None:
        out["cumulative"] = lambda: charts.cumulative_spend(
            f.monthly.months,
            f.monthly.plan,
            f.monthly.actual,
            f.monthly.forecast,
            title=tr("chart_cumulative"),
            fmt=mega,
            labels=chart_labels(tr, "cumulative"),
            month_label=fmt.month_short,
            month_name=lambda m: fmt.month(m, "LLLL yyyy"),
            chart_id="cumulative",
            font_family=FONT,
            stand_in=f.monthly.stand_in,
        )
        # The variances the table of spend by category prints (its rounded forecast less its
        # rounded plan), not the exact ones: the chart's "+49" beside the table's "+50" (2,450 less
        # 2,400) was one figure contradicting another.
        unit = scale(group_amounts(f.by_category), units.TABLE, tr, view.division.currency).factor
        shown, _total = money_table(f.by_category, lambda k: tr("cat_" + k), factor=unit)
        variances = [(row.label, row.variance_fy * unit) for row in shown]
        out["variance"] = lambda: charts.variance_by_category(
            variances,
            title=tr("chart_variance"),
            fmt=money_unit(fmt, [v for _, v in variances]),
            labels=chart_labels(tr, "variance"),
            chart_id="variance",
            font_family=FONT,
        )
    out["portfolio_rag"] = lambda: charts.portfolio_rag(
        rag_counts(view.portfolio),
        title=tr("chart_portfolio"),
        labels=chart_labels(tr, "rag"),
        chart_id="portfolio",
        font_family=FONT,
    )
    rows = [
        charts.MilestoneRow(
            f"{m.project.name}: {m.milestone.name}",
            m.milestone.baseline,
            m.milestone.forecast,
            m.milestone.actual,
            m.milestone.key,
        )
        for m in (*view.milestones.missed, *view.milestones.upcoming, *view.milestones.completed)
        if m.milestone.key
    ]
    as_of = view.division.as_of
    start = month_start(f"{as_of.year:04d}-{as_of.month:02d}") - timedelta(days=92)
    end = as_of + timedelta(days=view.thresholds.milestone_horizon_days + 5)
    parts = in_parts(rows)
    out["milestones"] = lambda: tuple(
        charts.milestone_timeline(
            part,
            start=start.replace(day=1),
            end=end,
            as_of=as_of,
            title=part_title(tr("chart_milestones"), k, len(parts)),
            labels=chart_labels(tr, "timeline"),
            date_label=lambda d: fmt.month(f"{d.year:04d}-{d.month:02d}", "MMM"),
            date_text=fmt.date,
            chart_id="milestones" if len(parts) == 1 else f"milestones-{k + 1}",
            font_family=FONT,
        )
        for k, part in enumerate(parts)
    )
    out["heatmap"] = lambda: charts.risk_heatmap(
        view.risks.heatmap,
        title=tr("chart_heatmap"),
        labels=chart_labels(tr, "heatmap"),
        bands=charts.risk_bands(view.thresholds.risk_score.amber, view.thresholds.risk_score.red),
        chart_id="heatmap",
        font_family=FONT,
    )
    p = view.people
    labels = chart_labels(tr, "headcount")
    if p.fte_by_type:
        team_rows: list[tuple[str, dict[str, Decimal]]] = [(name, fte) for name, fte in p.fte_by_type]
        types: tuple[str, ...] = ("employee", "contractor", "consultant")
    else:  # totals-only audiences: merged groups, no split by employment type
        team_rows = [
            (tr("other_teams") if c.label == "other" else c.label, {"employee": c.fte}) for c in p.teams
        ]
        types = ("employee",)
        labels = {**labels, "employee": tr("fte_all"), "alt_employee": tr("fte_all")}
    team_parts = in_parts(team_rows)
    out["headcount"] = lambda: tuple(
        charts.headcount_by_team(
            part,
            title=part_title(
                tr("chart_headcount_units" if p.rolled_up else "chart_headcount"), k, len(team_parts)
            ),
            labels=labels,
            types=types,
            fmt=lambda v: fmt.number(v, 1),
            chart_id="headcount" if len(team_parts) == 1 else f"headcount-{k + 1}",
            font_family=FONT,
        )
        for k, part in enumerate(team_parts)
    )
    return {name: make() for name, make in out.items() if every or view.has(CHART_SECTIONS[name])}


@dataclass(frozen=True)
class Mark:
    """A trend mark beside a figure: ▲ up, ▼ down, ● unchanged; coloured by better/worse."""

    symbol: str
    direction: str  # worse | better | same
    text: str


def _mark(change: Any, up: bool, text: str) -> Mark:
    if change is None:
        return Mark("●", "same", text)
    return Mark(
        "▲" if up else "▼", "worse" if change.worse else "better" if change.worse is False else "same", text
    )


def _kilo_delta(fmt: Formatter, tr: Translator, delta: Decimal, currency: str, mega: bool = False) -> str:
    """A change in thousands (millions with `mega`), or in a smaller unit when it would round to
    zero in that one: a ▲ beside "±0 kSEK" would contradict itself."""
    if mega and abs(delta) >= 50_000:
        return fmt.signed_mega(delta)
    if abs(delta) < 500:
        return f"{fmt.signed(delta)} {currency}"
    return f"{fmt.signed_kilo(delta)} {tr('unit_k', currency=currency)}"


def trend_marks(view: Briefing, fmt: Formatter, tr: Translator) -> dict[str, Any]:
    """Marks for the portfolio and finance tables from the (already filtered) changes."""
    empty: dict[str, Any] = {"rag": {}, "slip": {}, "eac": {}, "category": {}, "forecast_total": None}
    c = view.changes
    if c is None:
        return empty
    since = tr("since_baseline", date=fmt.date(c.baseline_as_of))
    out = dict(empty)
    for h in view.portfolio:
        if not h.live:
            continue
        pid = h.project.id
        rag = c.find("rag", pid, "overall")
        out["rag"][pid] = _mark(
            rag,
            rag is not None and not rag.worse,
            f"{since}: {tr('rag_' + rag.before.value)} → {tr('rag_' + rag.after.value)}"
            + (f" ({tr('chg_by_threshold')})" if rag.detail == "threshold" else "")
            if rag
            else since,
        )
        end = c.find("end_moved", pid)
        out["slip"][pid] = _mark(
            end, end is not None and end.delta > 0, f"{since}: {fmt.signed(end.delta)} d" if end else since
        )
        eac = c.find("eac_moved", pid)
        out["eac"][pid] = _mark(
            eac,
            eac is not None and eac.delta > 0,
            f"{since}: {_kilo_delta(fmt, tr, eac.delta, view.division.currency)}" if eac else since,
        )
    if view.finance is not None:
        for g in view.finance.by_category:
            ch = c.find("forecast_moved", g.key)
            out["category"][g.key] = _mark(
                ch,
                ch is not None and ch.delta > 0,
                f"{since}: {_kilo_delta(fmt, tr, ch.delta, view.division.currency)}" if ch else since,
            )
        total = c.find("forecast_moved", "total")
        out["forecast_total"] = _mark(
            total,
            total is not None and total.delta > 0,
            f"{since}: {_kilo_delta(fmt, tr, total.delta, view.division.currency, mega=True)}"
            if total
            else since,
        )
    return out


@lru_cache(maxsize=8)
def cached_env(
    locale: str, currency: str, user_templates: Path | None, limits: Limits, names: object = ()
) -> Sandbox:
    """One Jinja environment per theme, locale, limits and listing of the user's templates
    (`names`, see `loader.listing`), so each template is compiled once per process, not once per
    edition or per rebuild of `itreport serve`. A template edited or swapped between builds is
    read and checked again: the loader's `uptodate` compares the file with what was read.

    Every template is compiled here, before any edition's time budget starts: the budget is
    for running a template, and compiling a theme on a busy machine took a good part of it.
    A template that does not compile is reported when an edition uses it.
    """
    env = make_env(Formatter(locale, currency), Translator(locale), user_templates, limits)
    for name in env.list_templates(filter_func=lambda n: ":" not in n and n.endswith(".html")):
        # Whatever a hostile template provokes while compiling is reported when it is used.
        with contextlib.suppress(Exception):
            env.get_template(name)
    return env


def render_html(
    view: Briefing, user_templates: Path | None = None, trends: dict[str, Any] | None = None
) -> str:
    div = view.division
    fmt = Formatter(div.locale, div.currency)
    tr = Translator(div.locale)
    env = cached_env(div.locale, div.currency, user_templates, default_limits(), listing(user_templates))
    period_label = div.period.label or fmt.month(
        f"{div.period.end.year:04d}-{div.period.end.month:02d}", "LLLL yyyy"
    )
    trends = trends or trend_marks(view, fmt, tr)
    scales = table_scales(view, tr)
    finance_tables = []
    savings: tuple[list[SavingRow], SavingRow | None] = ([], None)
    if view.finance is not None:
        f = view.finance
        cat, cc, nat = scales["category"], scales["cost_centre"], scales["nature"]
        cat_rows, cat_total = money_table(
            f.by_category,
            lambda k: tr("cat_" + k),
            trends.get("category"),
            trends.get("forecast_total"),
            cat.factor,
        )
        cc_rows, cc_total = money_table(f.by_cost_centre, lambda k: view.centres.get(k, k), factor=cc.factor)
        nat_rows, nat_total = money_table(f.by_nature, lambda k: tr("nature_" + k), factor=nat.factor)
        finance_tables = [
            (tr("by_category_caption", unit=cat.label), cat_rows, cat_total, tr("col_category")),
            (tr("by_nature_caption", unit=nat.label), nat_rows, nat_total, tr("col_nature")),
            (tr("by_cost_centre_caption", unit=cc.label), cc_rows, cc_total, tr("col_cost_centre")),
        ]
        savings = saving_rows(f.savings, scales["savings"].factor)
    objective_rows, objective_total = spend_rows(view.strategy.by_objective, scales["objective"].factor)
    class_rows, class_total = spend_rows(view.strategy.by_class, scales["class"].factor)
    context = {
        "view": view,
        "lang": div.locale.split("_")[0],
        "period_label": period_label,
        "unit_k": tr("unit_k", currency=div.currency),
        "footer_text": f"{view.classification} · {tr('as_of')} {fmt.date(div.as_of)}"
        + (
            f" · {view.commit[:12]}" if view.commit else "" if view.versioned else f" · {tr('not_versioned')}"
        ),
        "page_counter": page_counter(tr("page_x_of_y")),
        "counts": {**rag_counts(view.portfolio), "live": sum(1 for h in view.portfolio if h.live)},
        "dimensions": DIMENSIONS,
        "trends": trends,
        "charts": build_charts(view, fmt, tr, every=user_templates is not None),
        "finance_tables": finance_tables,
        "objective_rows": objective_rows,
        "objective_total": objective_total,
        "class_rows": class_rows,
        "class_total": class_total,
        "roles": view.roles,
        "scales": scales,
        "saving_rows": savings[0],
        "side_by_side": side_by_side(view),
        "saving_total": savings[1],
        "full_year_label": fiscal_year_label(view.finance.fiscal_year, div.fiscal_year_start, tr)
        if view.finance is not None
        else "",
        "change_groups": GROUPS,
        "incomplete_items": incomplete_items(view, fmt),
        "data_quality": [note_text(n, fmt, tr) for n in view.data_quality],
    }
    frozen = template_view(context)
    roots = theme_dirs(user_templates)
    env.budget.restart()  # the template's own time starts now
    html = render_template(env, "briefing.html", frozen, roots)
    refuse_external(html, env, roots)
    return html


# Two tables side by side are a flex row, which WeasyPrint cannot break across pages: beyond
# about a third of a page each, they are printed one after the other so that each can break.
SIDE_BY_SIDE_ROWS = 12


def side_by_side(view: Briefing) -> bool:
    """Whether the savings and revenue tables are short enough to stand side by side."""
    f = view.finance
    return f is None or max(len(f.savings), len(f.revenue_by_unit)) <= SIDE_BY_SIDE_ROWS


def incomplete_items(view: Briefing, fmt: Formatter) -> str:
    """'Alpha build (Jun 2026); Cloud (Feb 2026, Mar 2026)': lines and months without an actual."""
    if view.finance is None:
        return ""
    return "; ".join(
        f"{r.line.name} ({', '.join(fmt.month(m) for m in r.missing_actuals)})" for r in view.finance.missing
    )


def page_counter(template: str) -> Markup:
    """'Page {page} of {pages}' as CSS content: "Page " counter(page) " of " counter(pages)."""
    parts = []
    for i, piece in enumerate(re.split(r"\{(pages?)\}", template)):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(parts))
