"""Dates in order, nothing booked after as-of, totals that add up, one currency, sane thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from itreport.checks import Checker
from itreport.models.base import Model, fiscal_months, month_of
from itreport.models.budget import BudgetFile
from itreport.models.division import Division
from itreport.models.people import PeopleFile, PositionsFile
from itreport.models.projects import Project, ProjectState
from itreport.problems import Note


def _order(ctx: Checker, entity: Model, first: str, second: str, what: str = "") -> None:
    a: date | None = getattr(entity, first)
    b: date | None = getattr(entity, second)
    if a is not None and b is not None and b < a:
        ctx.error(
            entity,
            second,
            message=f"{what}{second} ({b}) is before {first} ({a})",
            hint=f"{second} must be on or after {first}",
            rule="dates.order",
        )


def _not_after(ctx: Checker, entity: Model, key: str, as_of: date, what: str) -> None:
    value: date | None = getattr(entity, key)
    if value is not None and value > as_of:
        ctx.error(
            entity,
            key,
            message=f"{what} {value} is after the as-of date {as_of}",
            hint="something that happened cannot be dated in the future; use a forecast date instead, "
            "or move as_of in division.yaml",
            rule="dates.after-as-of",
        )


def _money_sum(values: Any) -> Decimal:
    return sum(values, Decimal(0))


def check(ctx: Checker) -> None:
    c = ctx.content
    div = c.division
    as_of = div.as_of
    as_of_month = month_of(as_of)

    # File by file: a preview replays an unchanged file's findings while as_of stays the same.
    ctx.per_entity("consistency.division", [div], None, _division)
    ctx.per_entity(
        "consistency.positions", ctx.files_of(PositionsFile), as_of, partial(_positions, as_of=as_of)
    )
    ctx.per_entity("consistency.people", ctx.files_of(PeopleFile), as_of, partial(_people, as_of=as_of))
    ctx.per_entity("consistency.project", c.projects, as_of, partial(_project, as_of=as_of))

    years: dict[int, Any] = {}
    for budget in c.budgets:
        if budget.currency != div.currency:
            ctx.error(
                budget,
                "currency",
                message=f"currency {budget.currency} differs from the division's {div.currency}",
                hint="all amounts are in one currency; convert the budget or fix division.yaml",
                rule="totals.currency",
            )
        if budget.fiscal_year in years:
            ctx.error(
                budget,
                "fiscal_year",
                message=f"fiscal year {budget.fiscal_year} has two budget files",
                hint="keep one budget file per fiscal year",
                rule="budget.year",
            )
        years[budget.fiscal_year] = budget
    # One budget file holds thousands of lines: a preview does not go through them again while
    # the file and the two settings it is checked against stay the same.
    settings = (div.fiscal_year_start, as_of_month)
    ctx.per_entity("consistency.budget", c.budgets, settings, partial(_budget_lines, settings=settings))


def _division(ctx: Checker, div: Division) -> None:
    """The reporting period in order and ended by as_of; every threshold's amber below its red."""
    as_of = div.as_of
    _order(ctx, div.period, "start", "end", "period ")
    if div.period.end > as_of:
        ctx.error(
            div.period,
            "end",
            message=f"the reporting period ends ({div.period.end}) after as_of ({as_of})",
            hint="as_of is the briefing's 'today'; it must be on or after the period end",
            rule="dates.period",
        )
    for name in type(div.thresholds).model_fields:
        t = getattr(div.thresholds, name)
        if hasattr(t, "amber") and t.amber >= t.red:
            ctx.error(
                t,
                "red",
                message=f"threshold {name}: red ({t.red}) must be above amber ({t.amber})",
                hint="amber is the early warning, red the limit: amber < red",
                rule="thresholds.order",
            )


def _positions(ctx: Checker, file: PositionsFile, as_of: date) -> None:
    """Open positions: dates in order and not after as_of, and a filled one says by whom and when."""
    for pos in file.positions:
        _order(ctx, pos, "opened", "target_start")
        _not_after(ctx, pos, "opened", as_of, "position opened")
        if pos.status.value == "filled" and pos.filled_by is None:
            ctx.error(
                pos,
                "status",
                message="a filled position needs 'filled_by'",
                hint="add 'filled_by: <person id>'",
                rule="positions.filled",
            )
        if pos.status.value == "filled" and pos.filled is None:
            ctx.warning(
                pos,
                "status",
                message="a filled position without 'filled' (the date) is not counted in "
                "'filled this period'",
                hint="add 'filled: YYYY-MM-DD', the day the offer was accepted",
                rule="positions.filled-date",
                note=Note("dq_filled_undated", (("position", pos.id),)),
            )
        elif pos.filled is not None and pos.status.value != "filled":
            ctx.error(
                pos,
                "filled",
                message=f"'filled' is set but the status is '{pos.status.value}'",
                hint="set 'status: filled', or remove 'filled'",
                rule="positions.filled-date",
            )
        else:
            _order(ctx, pos, "opened", "filled")
            _not_after(ctx, pos, "filled", as_of, "position filled")


def _budget_lines(ctx: Checker, budget: BudgetFile, settings: tuple[int, str]) -> None:
    """Months inside the fiscal year, no actuals after as-of, totals that add up, savings in reach."""
    fiscal_year_start, as_of_month = settings
    months = fiscal_months(budget.fiscal_year, fiscal_year_start)
    span = f"{months[0]} to {months[-1]}"
    for line in list(budget.lines) + list(budget.revenue):
        for key in ("plan", "forecast", "actual"):
            series: dict[str, Decimal] = getattr(line, key, {})
            for month in series:
                if month not in months:
                    ctx.error(
                        line,
                        key,
                        month,
                        at_key=True,
                        message=f"month {month} is outside fiscal year {budget.fiscal_year} ({span})",
                        hint="move this amount to the budget file of its own fiscal year",
                        rule="budget.month",
                    )
                elif key == "actual" and month > as_of_month:
                    ctx.error(
                        line,
                        key,
                        month,
                        at_key=True,
                        message=f"actual for {month} is after the as-of month {as_of_month}",
                        hint="actuals can only be booked for months that have started; "
                        "put future amounts under forecast",
                        rule="budget.actual-after-as-of",
                    )
    for line in budget.lines:
        if line.annual_plan is not None and line.annual_plan != _money_sum(line.plan.values()):
            ctx.error(
                line,
                "annual_plan",
                message=f"annual_plan {line.annual_plan} is not the sum of the monthly plan "
                f"({_money_sum(line.plan.values())})",
                hint="fix a monthly amount or the annual figure so that they agree",
                rule="totals.plan",
            )
        both = sorted(set(line.forecast) & set(line.actual))
        if both:
            ctx.warning(
                line,
                "forecast",
                both[0],
                at_key=True,
                message=f"forecast given for {both[0]}, which already has an actual; the actual is used",
                hint="remove forecasts for months that have actuals",
                rule="budget.forecast-overlap",
                note=Note("dq_forecast_overlap", (("line", line.name), ("month", both[0]))),
            )
    for saving in budget.savings:
        if saving.realised > saving.target:
            ctx.warning(
                saving,
                "realised",
                message=f"realised saving {saving.realised} exceeds its target {saving.target}",
                hint="raise the target if the scope grew",
                rule="budget.saving",
                note=Note("dq_saving_over_target", (("saving", saving.title),)),
            )


def _people(ctx: Checker, file: PeopleFile, as_of: date) -> None:
    """Dates in order, and nothing done after as-of, for every person of one file."""
    for person in file.people:
        _order(ctx, person, "start", "end")
        for held in person.certifications:
            _order(ctx, held, "issued", "expires")
            _not_after(ctx, held, "issued", as_of, "certification issued")
        for assigned in person.training:
            _order(ctx, assigned, "assigned", "completed")
            _not_after(ctx, assigned, "completed", as_of, "training completed")
        if person.review.last is not None:
            _not_after(ctx, person.review, "last", as_of, "last review")


def _project(ctx: Checker, project: Project, as_of: date) -> None:
    """One project's dates in order and not after as-of, its totals, and what completed means."""
    sched = project.schedule
    for name in ("baseline", "forecast", "actual"):
        rng = getattr(sched, name)
        if rng is not None:
            _order(ctx, rng, "start", "end", f"{name} ")
    if sched.actual is not None:
        _not_after(ctx, sched.actual, "start", as_of, "actual start")
        _not_after(ctx, sched.actual, "end", as_of, "actual end")
    money = project.budget
    if money.total is not None and money.total != money.capex + money.opex:
        ctx.error(
            money,
            "total",
            message=f"total {money.total} is not capex + opex ({money.capex + money.opex})",
            hint="fix capex, opex or total so that they add up (or remove total)",
            rule="totals.budget",
        )
    if project.state is ProjectState.COMPLETED and project.percent_complete != 100:
        ctx.error(
            project,
            "percent_complete",
            message=f"a completed project must be 100% complete, not {project.percent_complete}%",
            hint="set percent_complete: 100, or change the state",
            rule="projects.complete",
        )
    if project.state is ProjectState.COMPLETED and (sched.actual is None or sched.actual.end is None):
        ctx.error(
            project,
            "state",
            message="a completed project needs schedule.actual.end",
            hint="add the date it finished under schedule: actual: end:",
            rule="projects.complete",
        )
    for report in project.status:
        _not_after(ctx, report, "date", as_of, "status report dated")
    for ms in project.milestones:
        _not_after(ctx, ms, "actual", as_of, "milestone reached")
    for issue in project.issues:
        _not_after(ctx, issue, "resolved", as_of, "issue resolved")
    for decision in project.decisions:
        _not_after(ctx, decision, "decided", as_of, "decision taken")
