"""Budget figures: plan, actual, forecast and variance by line, category, cost centre and nature.

Definitions (printed in every briefing's appendix):
- The fiscal year is the one that contains the end of the reporting period.
- YTD months are the fiscal months up to and including the month the reporting period ends in
  (not the as-of month: figures after the period are forecast).
- Full-year forecast = actuals for YTD months + forecast for later months (plan where a later
  month has no forecast).
- Variance = forecast (or actual) − plan; positive means overspend.
- A year-to-date month with a plan but no actual is missing, not zero: the actual year to date
  is what is booked and is marked incomplete; the full-year forecast uses the month's forecast
  (or plan) in its place, so missing data does not pull the forecast down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from itreport.analyse.money import ZERO, pct
from itreport.checks.actuals import missing_months
from itreport.content import Content
from itreport.models.base import fiscal_months, fiscal_year_of, month_of
from itreport.models.budget import BudgetFile, BudgetLine, Category, Revenue, Saving
from itreport.models.projects import Project, ProjectState


@dataclass(frozen=True)
class Figures:
    """Plan/actual/forecast for one line or one group of lines."""

    plan_ytd: Decimal = ZERO
    actual_ytd: Decimal = ZERO
    plan_fy: Decimal = ZERO
    forecast_fy: Decimal = ZERO
    missing: int = 0
    """Year-to-date months without an actual, over the lines summed here (0: complete)."""

    @property
    def incomplete(self) -> bool:
        return self.missing > 0

    @property
    def variance_ytd(self) -> Decimal:
        return self.actual_ytd - self.plan_ytd

    @property
    def variance_ytd_pct(self) -> Decimal | None:
        return pct(self.variance_ytd, self.plan_ytd)

    @property
    def variance_fy(self) -> Decimal:
        return self.forecast_fy - self.plan_fy

    @property
    def variance_fy_pct(self) -> Decimal | None:
        return pct(self.variance_fy, self.plan_fy)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.plan_ytd + other.plan_ytd,
            self.actual_ytd + other.actual_ytd,
            self.plan_fy + other.plan_fy,
            self.forecast_fy + other.forecast_fy,
            self.missing + other.missing,
        )


def total(figures: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in figures:
        out = out + f
    return out


@dataclass(frozen=True)
class LineResult:
    line: BudgetLine
    figures: Figures
    missing_actuals: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    key: str
    figures: Figures


@dataclass(frozen=True)
class MonthlySeries:
    """Per-month totals for the chart: actual only up to the period end, forecast only after it."""

    months: tuple[str, ...]
    plan: tuple[Decimal, ...]
    actual: tuple[Decimal | None, ...]
    forecast: tuple[Decimal | None, ...]
    stand_in: Decimal = ZERO
    """Forecast (or plan) in place of missing year-to-date actuals: part of the forecast, not actual."""


@dataclass(frozen=True)
class RevenueResult:
    revenue: Revenue
    plan_ytd: Decimal
    actual_ytd: Decimal
    plan_fy: Decimal


@dataclass(frozen=True)
class ProjectCost:
    project: Project
    budget: Decimal
    actual_to_date: Decimal
    eac: Decimal

    @property
    def variance(self) -> Decimal:
        return self.eac - self.budget

    @property
    def variance_pct(self) -> Decimal | None:
        return pct(self.variance, self.budget)


@dataclass(frozen=True)
class Finance:
    fiscal_year: int
    months: tuple[str, ...]
    ytd_months: tuple[str, ...]
    lines: tuple[LineResult, ...]
    total: Figures
    by_category: tuple[Group, ...]
    by_cost_centre: tuple[Group, ...]
    by_nature: tuple[Group, ...]
    monthly: MonthlySeries
    revenue: tuple[RevenueResult, ...]
    revenue_by_unit: tuple[tuple[str, Decimal, Decimal], ...]
    savings: tuple[Saving, ...]
    savings_target: Decimal
    savings_realised: Decimal
    projects: tuple[ProjectCost, ...]
    missing: tuple[LineResult, ...] = field(default=())
    """Lines with year-to-date months without an actual (validation warns about each)."""

    @property
    def savings_pct(self) -> Decimal | None:
        return pct(self.savings_realised, self.savings_target)


def _expected(line: BudgetLine, month: str) -> Decimal:
    """What a month without an actual is expected to cost: its forecast, else its plan."""
    return line.forecast.get(month, line.plan.get(month, ZERO))


def line_figures(line: BudgetLine, months: list[str], ytd: set[str]) -> LineResult:
    plan_ytd = sum((line.plan.get(m, ZERO) for m in months if m in ytd), ZERO)
    actual_ytd = sum((line.actual.get(m, ZERO) for m in months if m in ytd), ZERO)
    plan_fy = sum((line.plan.get(m, ZERO) for m in months), ZERO)
    missing = tuple(missing_months(line, [m for m in months if m in ytd]))
    stand_in = sum((_expected(line, m) for m in missing), ZERO)
    rest = sum((_expected(line, m) for m in months if m not in ytd), ZERO)
    figures = Figures(plan_ytd, actual_ytd, plan_fy, actual_ytd + stand_in + rest, len(missing))
    return LineResult(line, figures, missing)


def _group(
    results: Iterable[LineResult], key: Callable[[BudgetLine], str], order: list[str]
) -> tuple[Group, ...]:
    sums: dict[str, Figures] = {}
    for r in results:
        k = key(r.line)
        sums[k] = sums.get(k, Figures()) + r.figures
    ranked = sorted(sums, key=lambda k: (order.index(k) if k in order else len(order), k))
    return tuple(Group(k, sums[k]) for k in ranked)


def approved_budget(p: Project) -> Decimal:
    """The approved budget: `total` when given (checked to equal capex + opex), else capex + opex."""
    return p.budget.total if p.budget.total is not None else p.budget.capex + p.budget.opex


def estimate_at_completion(p: Project) -> Decimal:
    """EAC: what was spent for completed or cancelled projects (unless a completed one gives an
    estimate), else the stated estimate, else the approved budget."""
    stated = p.budget.estimate_at_completion
    if p.state is ProjectState.CANCELLED or (stated is None and p.state is ProjectState.COMPLETED):
        return p.budget.actual_to_date
    return stated if stated is not None else approved_budget(p)


def project_costs(projects: Iterable[Project]) -> tuple[ProjectCost, ...]:
    return tuple(
        ProjectCost(p, approved_budget(p), p.budget.actual_to_date, estimate_at_completion(p))
        for p in projects
        if p.state is not ProjectState.PROPOSED
    )


def analyse_finance(content: Content, budget: BudgetFile | None = None) -> Finance | None:
    """Figures for the fiscal year that contains the period end (or the given budget file)."""
    div = content.division
    if budget is None:
        budget = content.budget_for(fiscal_year_of(div.period.end, div.fiscal_year_start))
    if budget is None:
        return None
    months = fiscal_months(budget.fiscal_year, div.fiscal_year_start)
    period_month = month_of(div.period.end)
    ytd = [m for m in months if m <= period_month]
    ytd_set = set(ytd)
    lines = tuple(line_figures(line, months, ytd_set) for line in budget.lines)
    categories = [c.value for c in Category]
    centre_order = [cc.id for cc in div.cost_centres]

    monthly_plan = tuple(sum((ln.plan.get(m, ZERO) for ln in budget.lines), ZERO) for m in months)
    monthly_actual = tuple(
        sum((ln.actual.get(m, ZERO) for ln in budget.lines), ZERO) if m in ytd_set else None for m in months
    )
    monthly_forecast = tuple(
        None if m in ytd_set else sum((ln.forecast.get(m, ln.plan.get(m, ZERO)) for ln in budget.lines), ZERO)
        for m in months
    )

    revenue = tuple(
        RevenueResult(
            r,
            sum((r.plan.get(m, ZERO) for m in ytd), ZERO),
            sum((r.actual.get(m, ZERO) for m in ytd), ZERO),
            sum(r.plan.values(), ZERO),
        )
        for r in budget.revenue
    )
    units: dict[str, tuple[Decimal, Decimal]] = {}
    for rr in revenue:
        plan, actual = units.get(rr.revenue.business_unit, (ZERO, ZERO))
        units[rr.revenue.business_unit] = (plan + rr.plan_ytd, actual + rr.actual_ytd)

    # Every saving, dropped ones included: a dropped saving is a saving not delivered, so its
    # target stays in the target total and it stays in the table with its state.
    savings = tuple(budget.savings)
    return Finance(
        fiscal_year=budget.fiscal_year,
        months=tuple(months),
        ytd_months=tuple(ytd),
        lines=lines,
        total=total(r.figures for r in lines),
        by_category=_group(lines, lambda ln: ln.category.value, categories),
        by_cost_centre=_group(lines, lambda ln: ln.cost_centre, centre_order),
        by_nature=_group(lines, lambda ln: ln.nature.value, ["capex", "opex"]),
        monthly=MonthlySeries(
            tuple(months),
            monthly_plan,
            monthly_actual,
            monthly_forecast,
            sum((_expected(r.line, m) for r in lines for m in r.missing_actuals), ZERO),
        ),
        revenue=revenue,
        revenue_by_unit=tuple((k, v[0], v[1]) for k, v in sorted(units.items())),
        savings=savings,
        savings_target=sum((s.target for s in savings), ZERO),
        savings_realised=sum((s.realised for s in savings), ZERO),
        projects=project_costs(content.projects),
        missing=tuple(r for r in lines if r.missing_actuals),
    )
