"""Year-to-date months without an actual: a warning per budget line and month (error with --strict).

A month missing from `actual` is not zero spend: the briefing marks the affected totals as
incomplete, and this rule tells the editor which line and month to fill in.
"""

from __future__ import annotations

from functools import partial

from itreport.checks import Checker
from itreport.models.base import fiscal_months, month_of
from itreport.models.budget import BudgetFile, BudgetLine
from itreport.problems import Note


def missing_months(line: BudgetLine, ytd: list[str]) -> list[str]:
    """Year-to-date months with a non-zero plan and no actual (a zero plan expects no spend)."""
    return [m for m in ytd if m not in line.actual and line.plan.get(m, 0) != 0]


def check(ctx: Checker) -> None:
    div = ctx.content.division
    settings = (div.fiscal_year_start, month_of(div.period.end))
    # Thousands of lines in one file: a preview replays what it found while nothing changed.
    ctx.per_entity("actuals", ctx.content.budgets, settings, partial(_budget, settings=settings))


def _budget(ctx: Checker, budget: BudgetFile, settings: tuple[int, str]) -> None:
    fiscal_year_start, period_month = settings
    ytd = [m for m in fiscal_months(budget.fiscal_year, fiscal_year_start) if m <= period_month]
    for line in budget.lines:
        for month in missing_months(line, ytd):
            ctx.warning(
                line,
                "plan",
                month,
                at_key=True,
                message=f"budget line '{line.id}' has no actual for {month}, a month of the "
                f"year to date (to {period_month}); the briefing marks its totals incomplete",
                hint=f"add '{month}: <amount>' under 'actual:' (0 if nothing was spent)",
                rule="budget.missing-actual",
                note=Note("dq_missing_actual", (("line", line.name), ("month", month))),
            )
